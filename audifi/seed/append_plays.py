"""Plays of the appended days: the history's daily rate, popularity = plays so far.

Same shape as the full seed's plays (weekday/hour curves, 75 % signed-in listeners who had
signed up and not churned, 30-second-rule mix of skips and full listens), generated day by day.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import psycopg

from audifi.seed import tsv
from audifi.seed.append_state import Users, Window
from audifi.seed.context import COUNTRIES
from audifi.seed.copy_loader import Loader
from audifi.seed.play_model import (
    SOURCE_WEIGHTS,
    SOURCES,
    countries,
    logged_at,
    ms_played,
    start_times,
)
from audifi.seed.timeline import DAY, WEEKDAY_WEIGHTS


def append_plays(conn: psycopg.Connection, writer: Loader, w: Window, users: Users) -> None:
    rows = conn.execute(
        """SELECT m.id::text, greatest(extract(epoch FROM m.created_at),
                  extract(epoch FROM m.release_date))::bigint, coalesce(m.duration, 180),
                  coalesce(p.n, 0)
           FROM oltp.masters m
           LEFT JOIN (SELECT master_id, count(*) n FROM oltp.play_events GROUP BY 1) p
             ON p.master_id = m.id
           WHERE m.status IN ('approved', 'live', 'archived') AND m.release_date IS NOT NULL
           ORDER BY m.created_at, m.id"""
    ).fetchall()
    total, first_id = conn.execute(
        "SELECT count(*), coalesce(max(id), 0) + 1 FROM oltp.play_events"
    ).fetchone()  # type: ignore[misc]
    if not rows:
        return
    rng = w.rng("plays")
    days = np.arange(w.start // DAY, w.end // DAY)
    weights = WEEKDAY_WEIGHTS[(days + 3) % 7]  # 1970-01-01 was a Thursday
    n = int(total / w.history_days * w.days)
    per_day = rng.multinomial(n, weights / weights.sum())
    rows.sort(key=lambda r: (r[1], r[0]))
    masters = {
        "id": tsv.as_bytes([r[0] for r in rows]),
        "from": np.array([r[1] for r in rows], np.int64),
        "dur": np.array([r[2] for r in rows], np.int64) * 1000,
        "cum": np.cumsum(np.array([r[3] + 1 for r in rows], float)),
    }

    def frames() -> Iterator[dict[str, np.ndarray]]:
        next_id = int(first_id)
        for day, k in zip(days.tolist(), per_day.tolist(), strict=True):
            frame = _day(rng, masters, users, w, day, k, next_id)
            next_id += len(frame["id"])
            yield frame

    writer.copy_frames("play_events", frames(), n)
    # ids are written explicitly: keep the identity ahead of them for application inserts
    conn.execute(
        "SELECT setval(pg_get_serial_sequence('oltp.play_events', 'id'), "
        "(SELECT max(id) FROM oltp.play_events))"
    )


def _day(
    rng: np.random.Generator, m: dict, users: Users, w: Window, day: int, k: int, next_id: int
) -> dict[str, np.ndarray]:
    t = start_times(rng, day, k)
    # a master plays only once released and created (STR-05): masters are sorted by that
    # instant, so the playable ones at t are a prefix and one cumulative sum serves all plays
    playable = np.searchsorted(m["from"], t, side="right")
    t, playable = t[playable > 0], playable[playable > 0]
    thr = rng.random(len(t)) * m["cum"][playable - 1]
    mi = np.minimum(np.searchsorted(m["cum"], thr, side="right"), playable - 1)
    size = len(t)
    # listener: a signed-up, not churned user (75 %), else an anonymous device
    cand = rng.integers(0, max(1, len(users.id)), size)
    signed = (
        (rng.random(size) < 0.75)
        & (users.created[cand] <= t)
        & (users.churn[cand] > t)
        & (len(users.id) > 0)
    )
    dur = m["dur"][mi]
    ms = ms_played(rng, dur)
    country = countries(rng, signed, users.country[cand] if len(users.id) else np.zeros(size, int))
    source = rng.choice(len(SOURCES), size, p=SOURCE_WEIGHTS)
    anon = rng.integers(0, 1 << 32, size)
    created = logged_at(rng, t, ms, w.end)
    device = tsv.concat(b"anon-", tsv.hex_digits(anon.astype(np.uint64), 8).view("S8").ravel())
    return {
        "id": tsv.ints(np.arange(next_id, next_id + size)),
        "master_id": m["id"][mi],
        "user_id": tsv.with_null(tsv.as_bytes(users.id))[np.where(signed, cand, -1)],
        "anonymous_id": tsv.null_unless(~signed, device),
        "started_at": tsv.timestamps(t),
        "ms_played": tsv.ints(ms),
        "track_duration_ms": tsv.ints(dur),
        "source": tsv.as_bytes(SOURCES)[source],
        "country_code": tsv.with_null(tsv.as_bytes(COUNTRIES))[country],
        "created_at": tsv.timestamps(created),
    }
