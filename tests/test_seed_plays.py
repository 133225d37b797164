"""``simulate_plays`` without a database: a day's plays do not depend on the window that
generates them, so [a, c) writes the same rows and ids as [a, b) then [b, c)."""

from __future__ import annotations

import numpy as np
import pytest

from audifi.seed import keyed
from audifi.seed.context import COUNTRIES
from audifi.seed.plays import Listeners, catalogue, simulate_plays
from audifi.seed.scales import get_scale
from audifi.seed.timeline import AS_OF, DAY

SCALE = get_scale("tiny")
ORIGIN = AS_OF - SCALE.days * DAY


def _fakes() -> tuple[Listeners, object]:
    rng = np.random.default_rng(3)
    n, m = 60, 25
    created = np.sort(ORIGIN + (rng.random(n) * 130 * DAY).astype(np.int64))
    listeners = Listeners(
        [f"user-{i}" for i in range(n)],
        created,
        created + (rng.exponential(40, n) * DAY).astype(np.int64),
        rng.integers(0, len(COUNTRIES), n),
    )
    made = ORIGIN + (rng.random(m) * 120 * DAY).astype(np.int64)
    masters = [f"master-{i}" for i in range(m)]
    cat = catalogue(
        {
            "id": masters,
            "created": made,
            "release": np.where(np.arange(m) % 5, made + 3600, -1),  # every fifth not released
            "duration": rng.integers(120, 420, m),
            "pop": keyed.master_popularity(7, [f"artist-{i % 6}" for i in range(m)], masters),
        }
    )
    return listeners, cat


def _columns(start: int, end: int, first_id: int, chunk: int) -> dict[str, np.ndarray]:
    listeners, cat = _fakes()
    frames = list(simulate_plays(7, SCALE, ORIGIN, listeners, cat, start, end, first_id, chunk))
    return {k: np.concatenate([f[k] for f in frames]) for k in frames[0]}


@pytest.mark.parametrize("chunk", [1_000, 100_000])
def test_a_window_split_in_two_writes_the_same_plays(chunk: int) -> None:
    # across the history's end: seeded days, then appended days
    a, b, c = ORIGIN + 20 * DAY, AS_OF - 3 * DAY, AS_OF + 9 * DAY
    whole = _columns(a, c, 1, chunk)
    first = _columns(a, b, 1, chunk)
    second = _columns(b, c, 1 + len(first["id"]), chunk)
    assert len(first["id"]) > 1000 and len(second["id"]) > 1000
    for k, col in whole.items():
        assert np.array_equal(col, np.concatenate([first[k], second[k]])), k
    assert whole["id"][-1] == str(len(whole["id"])).encode()
    # a play is logged within its own day, so the window's end does not clip it
    started, logged = whole["started_at"].astype(str), whole["created_at"].astype(str)
    assert (np.array([s[:10] for s in started]) == np.array([s[:10] for s in logged])).all()
