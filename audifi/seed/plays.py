"""Plays (``play_events``, the largest fact table): the play model, the full seed's play log
and the plays of appended days.

The model (source mix, time of day, length played, logging delay, countries) is drawn by both
paths from ``rng`` in a fixed order.  The full seed streams its plays in time order chunk by
chunk (``play_columns``): a master is picked by popularity among those already released at that
instant (a heavy tail), with daily and weekly seasonality, from signed-up, not yet churned users
or anonymous devices.  ``append_plays`` continues at the history's daily rate with popularity =
plays so far, day by day.  Both emit numpy frames formatted by ``tsv``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import psycopg

from audifi.seed import tsv
from audifi.seed.append_state import Window
from audifi.seed.context import COUNTRIES, COUNTRY_WEIGHTS
from audifi.seed.copy_loader import Loader
from audifi.seed.identity import Users
from audifi.seed.timeline import DAY

SOURCES = ["web", "ios", "android", "desktop", "embed", "vstudio"]
SOURCE_WEIGHTS = np.array([0.3, 0.25, 0.3, 0.08, 0.05, 0.02])
UNKNOWN_COUNTRY_SHARE = 0.03  # no geo-IP match (VPNs, embeds): country_code NULL
# Relative listening activity by hour of day (UTC, a blend of the main markets) and weekday.
HOUR_WEIGHTS = np.array(
    [3, 2, 1.5, 1.2, 1, 1.2, 2, 3.5, 5, 5.5, 5.5, 6, 6.5, 6.5, 6, 6, 6.5, 7, 8, 9, 9.5, 9, 7, 5],
    dtype=float,
)
WEEKDAY_WEIGHTS = np.array([0.92, 0.9, 0.93, 0.97, 1.08, 1.22, 1.15])  # Monday..Sunday


def weekday_weights(days: np.ndarray) -> np.ndarray:
    """The weekday weight of each unix day (1970-01-01 was a Thursday)."""
    return WEEKDAY_WEIGHTS[(days + 3) % 7]


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


# -- the full seed


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
    w = growth * weekday_weights(days)
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


# -- appended days


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
    weights = weekday_weights(days)
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
    sync_play_identity(conn)


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


def sync_play_identity(conn: psycopg.Connection) -> None:
    """play_events ids are written explicitly; move the identity past them for later inserts."""
    conn.execute(
        "SELECT setval(pg_get_serial_sequence('oltp.play_events', 'id'), "
        "GREATEST((SELECT max(id) FROM oltp.play_events), 1))"
    )
