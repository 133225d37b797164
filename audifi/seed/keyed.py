"""Keyed randomness (splitmix64, vectorised): numbers that depend on (seed, namespace, key),
never on draw order, so a decision keyed by its entity or day is the same however the history
is split into runs, and appended days re-derive hidden attributes (popularity) from the key."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from audifi.seed.timeline import DAY

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_DRAW = np.uint64(0xD1B54A32D192ED03)
POP_SIGMA = 1.3  # artists' popularity is lognormal(0, POP_SIGMA)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a bijection of uint64 that scatters neighbouring keys."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _tag(seed: int, namespace: str) -> np.uint64:
    return np.uint64(_key(f"{seed}/{namespace}"))


def string_keys(values: Sequence[str]) -> np.ndarray:
    """uint64 keys of strings (ids), stable across runs and processes."""
    return np.fromiter((_key(v) for v in values), np.uint64, len(values))


def uniform(seed: int, namespace: str, keys: np.ndarray | int, draw: int = 0) -> np.ndarray:
    """Uniform [0, 1) per key; ``draw`` numbers independent values for one key."""
    with np.errstate(over="ignore"):
        k = np.asarray(keys).astype(np.uint64) * _GOLDEN + np.uint64(draw) * _DRAW
        x = _mix(_mix(k ^ _tag(seed, namespace)))
    return (x >> np.uint64(11)).astype(np.float64) * 2.0**-53


def normal(seed: int, namespace: str, keys: np.ndarray | int, draw: int = 0) -> np.ndarray:
    """Standard normal per key (Box-Muller on two keyed uniforms)."""
    u1 = uniform(seed, namespace, keys, 2 * draw)
    u2 = uniform(seed, namespace, keys, 2 * draw + 1)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)


def exponential(seed: int, namespace: str, keys: np.ndarray | int, draw: int = 0) -> np.ndarray:
    """Exponential with mean 1 per key."""
    return -np.log1p(-uniform(seed, namespace, keys, draw))


def categorical(u: np.ndarray, p: np.ndarray | Sequence[float]) -> np.ndarray:
    """The category index of each uniform ``u`` under probabilities ``p``."""
    cdf = np.cumsum(np.asarray(p, dtype=float))
    return np.minimum(np.searchsorted(cdf / cdf[-1], u, side="right"), len(cdf) - 1)


def day_rng(seed: int, namespace: str, day: int) -> np.random.Generator:
    """The random stream of one domain on one day (unix day number): a day's events come out
    the same whichever window generates them."""
    return np.random.default_rng([seed, int(_tag(seed, namespace)) & 0xFFFFFFFF, day])


def artist_popularity(seed: int, artist_ids: Sequence[str]) -> np.ndarray:
    """An artist's popularity (lognormal, heavy-tailed), keyed by the artist's id."""
    return np.exp(POP_SIGMA * normal(seed, "artist-popularity", string_keys(artist_ids)))


def master_popularity(
    seed: int, artist_ids: Sequence[str], master_ids: Sequence[str]
) -> np.ndarray:
    """A master's popularity: its artist's times its own lognormal factor, keyed by ids."""
    own = np.exp(normal(seed, "master-popularity", string_keys(master_ids)))
    return artist_popularity(seed, artist_ids) * own


def arrivals(
    seed: int,
    namespace: str,
    total: float,
    history_days: int,
    shape: float,
    origin: int,
    start: int,
    end: int,
) -> np.ndarray:
    """Instants in [start, end) at which newcomers arrive (users, artists, producers), sorted:
    a Poisson count per day from the day's stream, so that ``total`` arrive over the history's
    ``history_days`` days after ``origin``, the count so far growing as (elapsed share) **
    ``shape``; the same curve continues after the history."""
    out = [np.zeros(0, np.int64)]
    for day in range(max(start, origin) // DAY, end // DAY):
        k = day - origin // DAY
        share = ((k + 1) / history_days) ** shape - (k / history_days) ** shape
        rng = day_rng(seed, namespace, day)
        out.append(day * DAY + np.sort(rng.integers(0, DAY, rng.poisson(total * share))))
    return np.concatenate(out)
