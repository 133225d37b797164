"""Plays (``play_events``, the largest fact table): one simulation for the full seed and for
appended days.

``simulate_plays`` writes the plays of whole days; a day's plays depend only on (seed, day),
the listeners and the catalogue, never on the window, so [a, c) gives the same rows and ids as
[a, b) then [b, c).  Each day draws from its own stream (``keyed.day_rng``) in a fixed order:
its number of plays (Poisson around its share of ``scale.plays``: growth times weekday), then
one row of uniforms per decision about each play (hour, master by popularity among those
playable by then, listener or anonymous device, length played, country, source, logging).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import psycopg

from audifi.seed import keyed, tsv
from audifi.seed.context import COUNTRIES, COUNTRY_WEIGHTS, Window, user_countries
from audifi.seed.copy_loader import Loader
from audifi.seed.scales import Scale
from audifi.seed.timeline import AS_OF, DAY

SOURCES = ["web", "ios", "android", "desktop", "embed", "vstudio"]
SOURCE_WEIGHTS = np.array([0.3, 0.25, 0.3, 0.08, 0.05, 0.02])
UNKNOWN_COUNTRY_SHARE = 0.03  # no geo-IP match (VPNs, embeds): country_code NULL
SIGNED_SHARE = 0.75  # plays that try a signed-up listener (3 tries) before an anonymous device
ANON_DEVICES = 100  # anonymous devices beyond one per signed-up user
# Relative listening activity by hour of day (UTC, a blend of the main markets) and weekday.
HOUR_WEIGHTS = np.array(
    [3, 2, 1.5, 1.2, 1, 1.2, 2, 3.5, 5, 5.5, 5.5, 6, 6.5, 6.5, 6, 6, 6.5, 7, 8, 9, 9.5, 9, 7, 5],
    dtype=float,
)
WEEKDAY_WEIGHTS = np.array([0.92, 0.9, 0.93, 0.97, 1.08, 1.22, 1.15])  # Monday..Sunday
# the day's curve as a distribution function (its value at each hour's start)
HOUR_CDF = np.r_[0, np.cumsum(HOUR_WEIGHTS)] / HOUR_WEIGHTS.sum()
# the rows of a day's block of uniforms, one per decision about each play
MASTER, SIGNED, TRY1, TRY2, TRY3, DEVICE, MODE, PLAYED = range(8)
OWN_COUNTRY, COUNTRY, NO_COUNTRY, SOURCE, DELAY = range(8, 13)
DRAWS = 13


@dataclass(frozen=True)
class Listeners:
    """Every user, in sign-up order."""

    id: Sequence[str]
    created: np.ndarray  # sign-up instant (ascending)
    churn: np.ndarray  # first instant the user no longer plays
    country: np.ndarray  # index into ``COUNTRIES``


@dataclass(frozen=True)
class Catalogue:
    """The playable masters, ordered by (playable_from, id)."""

    id: np.ndarray  # ``tsv`` byte strings
    playable_from: np.ndarray  # released and created (STR-05): greatest(created, release)
    duration: np.ndarray  # seconds
    popularity: np.ndarray  # ``keyed.master_popularity``


def catalogue(
    seed: int,
    master_ids: Sequence[str],
    artist_ids: Sequence[str],
    created: np.ndarray,
    release: np.ndarray,  # -1: not released
    duration: np.ndarray,
) -> Catalogue:
    """The released masters among those given (ids, their artists' ids, instants, seconds)."""
    ok = np.flatnonzero(np.asarray(release) >= 0)
    ids = np.asarray(master_ids, dtype=str)[ok]
    playable = np.maximum(created, release)[ok]
    popularity = keyed.master_popularity(seed, np.asarray(artist_ids, dtype=str)[ok], ids)
    order = np.lexsort((ids, playable))
    dur = np.asarray(duration, np.int64)[ok]
    return Catalogue(tsv.as_bytes(ids[order]), playable[order], dur[order], popularity[order])


def daily_rate(scale: Scale, origin: int, days: np.ndarray) -> np.ndarray:
    """Expected plays on each unix day: ``scale.plays`` spread over the history that starts at
    ``origin`` and ends at ``AS_OF`` by growth (0.6 at the origin rising linearly to 1.0 at
    ``AS_OF``, and on beyond it) times the weekday's weight."""
    first, last = origin // DAY, AS_OF // DAY

    def weight(d: np.ndarray) -> np.ndarray:
        growth = 0.6 + 0.4 * (d - first) / max(1, last - first)
        return growth * WEEKDAY_WEIGHTS[(d + 3) % 7]  # 1970-01-01 was a Thursday

    return scale.plays * weight(days) / weight(np.arange(first, last)).sum()


def expected_plays(scale: Scale, origin: int, start: int, end: int) -> int:
    return round(daily_rate(scale, origin, np.arange(start // DAY, end // DAY)).sum())


def simulate_plays(
    seed: int,
    scale: Scale,
    origin: int,
    listeners: Listeners,
    cat: Catalogue,
    start: int,
    end: int,
    first_id: int,
    chunk: int,
) -> Iterator[dict[str, np.ndarray]]:
    """Column frames (``tsv`` byte strings) of the plays of the whole days in [start, end) of
    a history that began at ``origin``, ids from ``first_id`` in time order, about ``chunk``
    plays (whole days) a frame."""
    days = np.arange(start // DAY, end // DAY)
    rates = daily_rate(scale, origin, days)
    lookups = _Lookups(listeners, cat)
    times: list[np.ndarray] = []
    blocks: list[np.ndarray] = []
    for i, (day, rate) in enumerate(zip(days.tolist(), rates.tolist(), strict=True)):
        rng = keyed.day_rng(seed, "plays", day)
        gaps = rng.standard_exponential(rng.poisson(rate) + 1)
        # sorted uniforms (exponential spacings) through the day's curve: sorted start times
        u = np.cumsum(gaps[:-1]) / gaps.sum()
        t = np.interp(u, HOUR_CDF, np.arange(25) * 3600.0).astype(np.int64)
        times.append(day * DAY + np.minimum(t, DAY - 1))
        blocks.append(rng.random((DRAWS, len(t))))
        if sum(map(len, times)) >= chunk or i == len(days) - 1:
            frame = lookups.frame(np.concatenate(times), np.concatenate(blocks, axis=1), first_id)
            first_id += len(frame["id"])
            times, blocks = [], []
            yield frame


class _Lookups:
    """What a frame is formatted from: cumulative popularity and the ``tsv`` lookup tables."""

    def __init__(self, listeners: Listeners, cat: Catalogue) -> None:
        self.listeners, self.cat = listeners, cat
        self.cumw = np.cumsum(cat.popularity)
        # one padding entry past the users: the index -1 of "no user" and of a rounded-up draw
        self.churn = np.append(listeners.churn, 0)
        self.country = np.append(listeners.country, 0)
        self.masters = tsv.with_null(cat.id)
        self.durations = tsv.ints(cat.duration * 1000)
        self.users = tsv.with_null(tsv.as_bytes(listeners.id))
        device = np.arange(len(listeners.id) + ANON_DEVICES, dtype=np.uint64)
        device = device * np.uint64(2654435761) % np.uint64(1 << 32)
        self.devices = tsv.with_null(
            tsv.concat(b"anon-", tsv.hex_digits(device, 8).view("S8").ravel())
        )
        self.sources = tsv.with_null(tsv.as_bytes(SOURCES))
        self.countries = tsv.with_null(tsv.as_bytes(COUNTRIES))

    def frame(self, t: np.ndarray, u: np.ndarray, first_id: int) -> dict[str, np.ndarray]:
        """The plays starting at ``t`` (ascending), one column of uniforms ``u`` each."""
        k = np.searchsorted(self.cat.playable_from, t, side="right")  # masters playable by then
        ok = k > 0
        if not ok.all():
            t, k, u = t[ok], k[ok], u[:, ok]
        mi = np.minimum(np.searchsorted(self.cumw, u[MASTER] * self.cumw[k - 1], "right"), k - 1)
        # listener: up to three tries at a signed-up, not churned user, else an anonymous device
        ku = np.searchsorted(self.listeners.created, t, side="right")
        user = np.full(len(t), -1)
        want = (u[SIGNED] < SIGNED_SHARE) & (ku > 0)
        for row in (TRY1, TRY2, TRY3):
            cand = (u[row] * ku).astype(np.int64)
            good = want & (user < 0) & (self.churn[cand] > t)
            user[good] = cand[good]
        signed = user >= 0
        device = np.where(signed, -1, (u[DEVICE] * (ku + ANON_DEVICES)).astype(np.int64))
        dur = self.cat.duration[mi] * 1000
        ms = _ms_played(u[MODE], u[PLAYED], dur)
        country = np.where(
            signed & (u[OWN_COUNTRY] < 0.9),
            self.country[user],
            keyed.categorical(u[COUNTRY], COUNTRY_WEIGHTS),
        )
        country[u[NO_COUNTRY] < UNKNOWN_COUNTRY_SHARE] = -1
        # logged 2-30 s after it stopped, within the play's own day
        logged = t + ms // 1000 + 2 + (u[DELAY] * 28).astype(np.int64)
        logged = np.minimum(logged, t // DAY * DAY + DAY - 1)
        return {
            "id": tsv.ints(np.arange(first_id, first_id + len(t))),
            "master_id": self.masters[mi],
            "user_id": self.users[user],
            "anonymous_id": self.devices[device],
            "started_at": tsv.timestamps(t),
            "ms_played": tsv.ints(ms),
            "track_duration_ms": self.durations[mi],
            "source": self.sources[keyed.categorical(u[SOURCE], SOURCE_WEIGHTS)],
            "country_code": self.countries[country],
            "created_at": tsv.timestamps(logged),
        }


def _ms_played(mode: np.ndarray, v: np.ndarray, dur: np.ndarray) -> np.ndarray:
    """Milliseconds played of tracks lasting ``dur`` ms: 25 % skips under the 30-second rule,
    45 % full listens (up to 2 s over), the rest stopped between 30 s and the end."""
    skip = np.minimum(1000 + (v * 29000).astype(np.int64), dur)
    full = np.minimum(dur + (v * 2000).astype(np.int64), 2 * dur)
    part = 30000 + (v * (np.maximum(dur, 30001) - 30000)).astype(np.int64)
    return np.select([mode < 0.25, mode < 0.7], [skip, full], part)


# -- appended days


def append_plays(conn: psycopg.Connection, writer: Loader, w: Window) -> None:
    """The plays of the window's days: the history's simulation, continued with the stored
    users (all of them, as in the full seed) and released masters."""
    rows = conn.execute(
        """SELECT id::text, artist_id::text, extract(epoch FROM created_at)::bigint,
                  extract(epoch FROM release_date)::bigint, coalesce(duration, 180)
           FROM oltp.masters
           WHERE status IN ('approved', 'live', 'archived') AND release_date IS NOT NULL"""
    ).fetchall()
    if not rows:
        return
    first_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM oltp.play_events").fetchone()
    mid, aid, *times = zip(*rows, strict=True)
    cat = catalogue(w.seed, mid, aid, *(np.array(c, np.int64) for c in times))
    life, ids = w.users
    listeners = Listeners(ids, life.created, life.churn, user_countries(w.seed, ids))
    frames = simulate_plays(
        w.seed, w.scale, w.origin, listeners, cat, w.start, w.end, first_id[0], w.scale.play_chunk
    )
    writer.copy_frames("play_events", frames, expected_plays(w.scale, w.origin, w.start, w.end))
    sync_play_identity(conn)


def sync_play_identity(conn: psycopg.Connection) -> None:
    """play_events ids are written explicitly; move the identity past them for later inserts."""
    conn.execute(
        "SELECT setval(pg_get_serial_sequence('oltp.play_events', 'id'), "
        "GREATEST((SELECT max(id) FROM oltp.play_events), 1))"
    )
