"""On-platform plays, streamed in time order chunk by chunk (the largest fact table).

Plays pick a master by popularity among the masters already released at that instant (a heavy
tail), follow daily and weekly seasonality, and come from signed-up, not yet churned users or
from anonymous devices.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from audifi.seed import tsv
from audifi.seed.context import COUNTRIES
from audifi.seed.play_model import (
    SOURCE_WEIGHTS,
    SOURCES,
    countries,
    logged_at,
    ms_played,
    start_times,
)
from audifi.seed.timeline import DAY, WEEKDAY_WEIGHTS


def play_columns(
    rng: np.random.Generator,
    masters: dict,
    users: dict,
    start: int,
    end: int,
    n: int,
    first_id: int,
    chunk: int,
) -> Iterator[dict[str, np.ndarray]]:
    """Column frames (``tsv`` byte strings) of ``n`` plays in [start, end), ids from
    ``first_id`` in time order."""
    released = np.flatnonzero(masters["release"] >= 0)
    order = released[np.argsort(masters["release"][released], kind="stable")]
    rel_sorted = masters["release"][order]
    cumw = np.cumsum(masters["pop"][order] + 1e-9)
    m_ids = tsv.with_null(tsv.as_bytes(masters["id"]))
    n_users = len(users["id"])
    u_ids = tsv.with_null(tsv.as_bytes(users["id"]))
    u_created, u_churn = users["created"], users["churn"]
    device = (
        np.arange(max(1, n_users), dtype=np.uint64) * np.uint64(2654435761) % np.uint64(1 << 32)
    )
    anon_ids = tsv.with_null(tsv.concat(b"anon-", tsv.hex_digits(device, 8).view("S8").ravel()))
    sources = tsv.with_null(tsv.as_bytes(SOURCES))
    country_codes = tsv.with_null(tsv.as_bytes(COUNTRIES))

    # only days after the first release can carry plays
    first_day = max(start, int(rel_sorted[0]) + DAY if len(rel_sorted) else end) // DAY
    days = np.arange(first_day, (end + DAY - 1) // DAY)
    growth = np.linspace(0.6, 1.0, len(days)) if len(days) > 1 else np.ones(1)
    w = growth * WEEKDAY_WEIGHTS[(days + 3) % 7]
    per_day = rng.multinomial(n, w / w.sum())
    next_id = first_id
    i = 0
    while i < len(days):
        j, size = i, 0
        while j < len(days) and (size < chunk or j == i):
            size += int(per_day[j])
            j += 1
        day = np.repeat(days[i:j], per_day[i:j])
        i = j
        if size == 0:
            continue
        t = np.clip(start_times(rng, day, size), start, end - 1)
        k = np.searchsorted(rel_sorted, t, side="right")  # masters released by then
        ok = k > 0
        t, k = t[ok], k[ok]
        size = len(t)
        thr = rng.random(size) * cumw[k - 1]
        mi = order[np.minimum(np.searchsorted(cumw, thr, side="right"), k - 1)]
        # listener: a signed-up, not churned user (75 %), else an anonymous device
        uidx = np.full(size, -1)
        want = rng.random(size) < 0.75
        ku = np.searchsorted(u_created, t, side="right")
        for _ in range(3):
            cand = (rng.random(size) * ku).astype(np.int64)
            good = want & (uidx < 0) & (ku > 0) & (u_churn[np.minimum(cand, n_users - 1)] > t)
            uidx[good] = cand[good]
        anon = np.where(uidx < 0, rng.integers(0, len(anon_ids) - 1, size), -1)
        dur = masters["duration"][mi].astype(np.int64) * 1000
        ms = ms_played(rng, dur)
        country = countries(rng, uidx >= 0, users["country"][np.maximum(uidx, 0)])
        source = rng.choice(len(SOURCES), size, p=SOURCE_WEIGHTS)
        created = logged_at(rng, t, ms, end)
        yield {
            "id": tsv.ints(np.arange(next_id, next_id + size)),
            "master_id": m_ids[mi],
            "user_id": u_ids[uidx],
            "anonymous_id": anon_ids[anon],
            "started_at": tsv.timestamps(t),
            "ms_played": tsv.ints(ms),
            "track_duration_ms": tsv.ints(dur),
            "source": sources[source],
            "country_code": country_codes[country],
            "created_at": tsv.timestamps(created),
        }
        next_id += size
