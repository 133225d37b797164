"""Shared state of one generation run: the seed's random stream, id factory, clock and dims."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from audifi.seed.ids import IdFactory, keyed_uniform
from audifi.seed.keyed import categorical
from audifi.seed.scales import Scale

# fmt: off
_COUNTRY_WEIGHT = {
    "US": 26, "GB": 9, "DE": 8, "FR": 6, "BR": 8, "MX": 5, "CA": 4, "JP": 5, "KR": 3, "NG": 3,
    "IN": 5, "AU": 3, "ES": 3, "IT": 3, "NL": 2, "SE": 1.5, "PL": 1.5, "ZA": 1.5, "AR": 1.5,
    "ID": 1.5,
}
GENRES = [
    "electronic", "hip-hop", "pop", "rock", "r&b", "jazz", "latin", "afrobeats", "indie",
    "classical", "house", "techno", "k-pop", "country", "ambient",
]
# fmt: on
COUNTRIES = np.array(list(_COUNTRY_WEIGHT))
COUNTRY_WEIGHTS = np.array(list(_COUNTRY_WEIGHT.values()), dtype=float)
COUNTRY_WEIGHTS /= COUNTRY_WEIGHTS.sum()


def user_countries(seed: int, user_ids: list[str]) -> np.ndarray:
    """Each user's country (index into ``COUNTRIES``), keyed by (seed, user id): the column is
    not stored, so appended days recover the same countries and the plays' mix carries on."""
    u = np.array([keyed_uniform(seed, "country", uid) for uid in user_ids])
    return categorical(u, COUNTRY_WEIGHTS)


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
