"""Shared state of one generation run: the seed's random stream, id factory, clock and dims."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from audifi.seed.ids import IdFactory, keyed_uniform
from audifi.seed.scales import Scale

COUNTRIES = np.array(
    [
        "US",
        "GB",
        "DE",
        "FR",
        "BR",
        "MX",
        "CA",
        "JP",
        "KR",
        "NG",
        "IN",
        "AU",
        "ES",
        "IT",
        "NL",
        "SE",
        "PL",
        "ZA",
        "AR",
        "ID",
    ]
)
COUNTRY_WEIGHTS = np.array(
    [26, 9, 8, 6, 8, 5, 4, 5, 3, 3, 5, 3, 3, 3, 2, 1.5, 1.5, 1.5, 1.5, 1.5], dtype=float
)
COUNTRY_WEIGHTS /= COUNTRY_WEIGHTS.sum()
GENRES = [
    "electronic",
    "hip-hop",
    "pop",
    "rock",
    "r&b",
    "jazz",
    "latin",
    "afrobeats",
    "indie",
    "classical",
    "house",
    "techno",
    "k-pop",
    "country",
    "ambient",
]


def user_countries(seed: int, user_ids: list[str]) -> np.ndarray:
    """Each user's country (index into ``COUNTRIES``), keyed by (seed, user id): the column is
    not stored, so appended days recover the same countries and the plays' mix carries on."""
    u = np.array([keyed_uniform(seed, "country", uid) for uid in user_ids])
    cdf = np.cumsum(COUNTRY_WEIGHTS / COUNTRY_WEIGHTS.sum())
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(COUNTRIES) - 1)


@dataclass
class Ctx:
    seed: int
    scale: Scale
    start: int  # first instant of the generated window (Unix seconds)
    end: int  # the data set's "as of": nothing happens at or after it
    ids: IdFactory  # counters for the reference tables; every other id is keyed
    # in-memory dimension tables shared between generators (lists / numpy arrays)
    dims: dict[str, Any] = field(default_factory=dict)
    # small and medium tables, fully generated, keyed by table name: dict rows, or a
    # ``RowBuffer`` of formatted lines for tables whose rows are final when created
    rows: dict[str, Any] = field(default_factory=dict)
