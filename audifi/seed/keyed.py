"""Keyed randomness (splitmix64, vectorised): numbers that depend on (seed, namespace, key),
never on draw order, so appended days re-derive unstored attributes (popularity) from the key."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

_GOLDEN, _DRAW = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xD1B54A32D192ED03)  # multipliers
POP_SIGMA = 1.3  # artists' popularity is lognormal(0, POP_SIGMA)


def _key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _tag(seed: int, namespace: str) -> int:
    return _key(f"{seed}/{namespace}")


def string_keys(values: Sequence[str]) -> np.ndarray:
    return np.fromiter((_key(v) for v in values), np.uint64, len(values))


def uniform(seed: int, namespace: str, keys: np.ndarray | int, draw: int = 0) -> np.ndarray:
    """Uniform [0, 1) per key; ``draw`` numbers independent values for one key."""
    with np.errstate(over="ignore"):
        x = np.asarray(keys).astype(np.uint64) * _GOLDEN + np.uint64(draw) * _DRAW
        x ^= np.uint64(_tag(seed, namespace))
        for _ in range(2):  # splitmix64's finaliser, a bijection scattering neighbouring keys
            x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            x ^= x >> np.uint64(31)
    return (x >> np.uint64(11)).astype(np.float64) * 2.0**-53


def normal(seed: int, namespace: str, keys: np.ndarray | int) -> np.ndarray:
    """Standard normal per key (Box-Muller on the key's draws 0 and 1)."""
    u1, u2 = (uniform(seed, namespace, keys, d) for d in (0, 1))
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)


def exponential(seed: int, namespace: str, keys: np.ndarray | int, draw: int = 0) -> np.ndarray:
    return -np.log1p(-uniform(seed, namespace, keys, draw))


def categorical(u: np.ndarray, p: np.ndarray | Sequence[float]) -> np.ndarray:
    cdf = np.cumsum(np.asarray(p, dtype=float))
    return np.minimum(np.searchsorted(cdf / cdf[-1], u, side="right"), len(cdf) - 1)


def day_rng(seed: int, namespace: str, day: int) -> np.random.Generator:
    """One domain's stream on one day: a day's events are the same whatever window draws them."""
    return np.random.default_rng([seed, _tag(seed, namespace) & 0xFFFFFFFF, day])


def artist_popularity(seed: int, artist_ids: Sequence[str]) -> np.ndarray:
    return np.exp(POP_SIGMA * normal(seed, "artist-popularity", string_keys(artist_ids)))


def master_popularity(
    seed: int, artist_ids: Sequence[str], master_ids: Sequence[str]
) -> np.ndarray:
    own = np.exp(normal(seed, "master-popularity", string_keys(master_ids)))
    return artist_popularity(seed, artist_ids) * own
