"""The play model shared by the full seed (``generate_plays``) and ``append_days``
(``append_plays``): source mix, time of day, length played and logging delay.

Each function draws from ``rng`` in a fixed order; callers keep their order of calls, so a
seed's content does not depend on which side generates it.
"""

from __future__ import annotations

import numpy as np

from audifi.seed.context import COUNTRIES, COUNTRY_WEIGHTS
from audifi.seed.timeline import DAY, HOUR_WEIGHTS

SOURCES = ["web", "ios", "android", "desktop", "embed", "vstudio"]
SOURCE_WEIGHTS = np.array([0.3, 0.25, 0.3, 0.08, 0.05, 0.02])
UNKNOWN_COUNTRY_SHARE = 0.03  # no geo-IP match (VPNs, embeds): country_code NULL


def countries(rng: np.random.Generator, signed: np.ndarray, user_country: np.ndarray) -> np.ndarray:
    """Country index per play (-1: unknown): a signed-in listener's own country 90 % of the
    time, else a draw from the country mix; 3 % of plays have no country at all."""
    size = len(signed)
    country = np.where(
        signed & (rng.random(size) < 0.9),
        user_country,
        rng.choice(len(COUNTRIES), size, p=COUNTRY_WEIGHTS),
    )
    return np.where(rng.random(size) < UNKNOWN_COUNTRY_SHARE, -1, country)


def start_times(rng: np.random.Generator, day: np.ndarray | int, size: int) -> np.ndarray:
    """``size`` sorted start instants on ``day`` (unix days; an array of one per play, or one
    day for all), following the hourly curve."""
    hour = rng.choice(24, size=size, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    return np.sort(day * DAY + hour * 3600 + rng.integers(0, 3600, size))


def ms_played(rng: np.random.Generator, dur: np.ndarray) -> np.ndarray:
    """Milliseconds played of tracks lasting ``dur`` ms: 25 % skips under the 30-second rule,
    45 % full listens (up to 2 s over), the rest stopped between 30 s and the end."""
    size = len(dur)
    mode = rng.random(size)
    return np.where(
        mode < 0.25,
        np.minimum(rng.integers(1000, 30000, size), dur),
        np.where(
            mode < 0.7,
            np.minimum(dur + rng.integers(0, 2000, size), 2 * dur),
            rng.integers(30000, np.maximum(dur, 30001)),
        ),
    )


def logged_at(rng: np.random.Generator, t: np.ndarray, ms: np.ndarray, end: int) -> np.ndarray:
    """When a play's row is written: 2-30 s after it stopped, never at or after ``end``."""
    return np.minimum(t + ms // 1000 + rng.integers(2, 30, len(t)), end - 1)
