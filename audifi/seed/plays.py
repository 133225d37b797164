"""Plays (``play_events``), one simulation for both paths: a day's stream draws its count, then a
row of uniforms per decision about each play, so a split window gives the same rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

import numpy as np
import psycopg

from audifi.seed import keyed, tsv
from audifi.seed.context import COUNTRIES, COUNTRY_WEIGHTS, Run, user_countries
from audifi.seed.copy_loader import Loader, TableWriter
from audifi.seed.scales import Scale
from audifi.seed.timeline import AS_OF, DAY

SOURCES = {"web": 0.3, "ios": 0.25, "android": 0.3, "desktop": 0.08, "embed": 0.05, "vstudio": 0.02}
UNKNOWN_COUNTRY_SHARE = 0.03  # no geo-IP match (VPNs, embeds): country_code NULL
SIGNED_SHARE = 0.75  # plays that try a signed-up listener (3 tries) before an anonymous device
# uniforms per play: master, signed, 3 tries, device, mode, length, own country, country, no
# country, source, log delay (the order ``simulate_plays`` unpacks them in)
DRAWS = 13
ANON_DEVICES = 100  # anonymous devices beyond one per signed-up user
HOUR_WEIGHTS = np.array(  # relative listening activity by hour (UTC, a blend of the main markets)
    [3, 2, 1.5, 1.2, 1, 1.2, 2, 3.5, 5, 5.5, 5.5, 6, 6.5, 6.5, 6, 6, 6.5, 7, 8, 9, 9.5, 9, 7, 5]
)
WEEKDAY_WEIGHTS = np.array([0.92, 0.9, 0.93, 0.97, 1.08, 1.22, 1.15])  # Monday..Sunday
HOUR_CDF = np.r_[0, np.cumsum(HOUR_WEIGHTS)] / HOUR_WEIGHTS.sum()  # its CDF at each hour's start


class Listeners(NamedTuple):  # every user, in sign-up order
    id: Sequence[str]
    created: np.ndarray  # sign-up instant (ascending)
    churn: np.ndarray  # first instant the user no longer plays
    country: np.ndarray  # index into ``COUNTRIES``


def catalogue(m: dict) -> dict[str, np.ndarray]:
    """``Catalogue.run``'s released masters, by (playable: released and created, STR-05; id)."""
    ids, t = np.asarray(m["id"], dtype=str), np.maximum(m["created"], m["release"])
    ok = np.flatnonzero(m["release"] >= 0)
    k = ok[np.lexsort((ids[ok], t[ok]))]
    return dict(id=tsv.as_bytes(ids[k]), playable=t[k], duration=m["duration"][k], pop=m["pop"][k])


def daily_rate(scale: Scale, origin: int, start: int, end: int) -> np.ndarray:
    """Expected plays on each day of [start, end), by growth and weekday."""
    first, n = origin // DAY, AS_OF // DAY - origin // DAY
    d = np.r_[first : first + n, start // DAY : end // DAY]  # the history's days, then the window's
    w = (0.6 + 0.4 * (d - first) / max(1, n)) * WEEKDAY_WEIGHTS[(d + 3) % 7]  # day 0: a Thursday
    return scale.plays * w[n:] / w[:n].sum()  # the history's days sum to ``scale.plays``


def simulate_plays(
    seed: int,
    scale: Scale,
    origin: int,
    listeners: Listeners,
    cat: dict[str, np.ndarray],
    start: int,
    end: int,
    first_id: int,
    chunk: int,
) -> Iterator[dict[str, np.ndarray]]:
    """``tsv`` frames of the plays of the whole days in [start, end), ids from ``first_id``."""
    cumw, users = np.cumsum(cat["pop"]), tsv.with_null(tsv.as_bytes(listeners.id))
    # one padding entry past the users: the index -1 of "no user" and of a rounded-up draw
    churn, user_country = np.append(listeners.churn, 0), np.append(listeners.country, 0)
    hashed = np.arange(len(listeners.id) + ANON_DEVICES, dtype=np.uint64) * np.uint64(2654435761)
    anon = tsv.concat(b"anon-", tsv.hex_digits(hashed % np.uint64(1 << 32), 8).view("S8").ravel())
    devices, countries = tsv.with_null(anon), tsv.with_null(tsv.as_bytes(COUNTRIES))
    durations, sources = tsv.ints(cat["duration"] * 1000), tsv.as_bytes(list(SOURCES))  # per master
    times: list[np.ndarray] = []
    blocks: list[np.ndarray] = []
    for day, rate in enumerate(daily_rate(scale, origin, start, end).tolist(), start // DAY):
        rng = keyed.day_rng(seed, "plays", day)
        gaps = rng.standard_exponential(rng.poisson(rate) + 1)
        # sorted uniforms (exponential spacings) through the day's curve: sorted start times
        s = np.interp(np.cumsum(gaps[:-1]) / gaps.sum(), HOUR_CDF, np.arange(25) * 3600.0)
        times.append(day * DAY + np.minimum(s.astype(np.int64), DAY - 1))
        blocks.append(rng.random((DRAWS, len(s))))  # a row per decision about each play (below)
        if sum(map(len, times)) < chunk and day < end // DAY - 1:
            continue  # a frame holds whole days
        t, u, times, blocks = np.concatenate(times), np.concatenate(blocks, axis=1), [], []
        k = np.searchsorted(cat["playable"], t, side="right")  # masters playable by then
        if not (ok := k > 0).all():
            t, k, u = t[ok], k[ok], u[:, ok]
        master, signed_u, *tries, device_u, mode, v, own_u, country_u, no_country, src, delay = u
        mi = np.minimum(np.searchsorted(cumw, master * cumw[k - 1], "right"), k - 1)
        # listener: up to three tries at a signed-up, not churned user, else an anonymous device
        ku = np.searchsorted(listeners.created, t, side="right")
        user, want = np.full(len(t), -1), (signed_u < SIGNED_SHARE) & (ku > 0)
        for row in tries:
            cand = (row * ku).astype(np.int64)
            good = want & (user < 0) & (churn[cand] > t)
            user[good] = cand[good]
        device = np.where(user >= 0, -1, (device_u * (ku + ANON_DEVICES)).astype(np.int64))
        # played: 25 % skips (under 30 s), 45 % in full (up to 2 s over), the rest 30 s to the end
        dur = cat["duration"][mi] * 1000
        skip = np.minimum(1000 + (v * 29000).astype(np.int64), dur)
        full = np.minimum(dur + (v * 2000).astype(np.int64), 2 * dur)
        part = 30000 + (v * (np.maximum(dur, 30001) - 30000)).astype(np.int64)
        ms = np.select([mode < 0.25, mode < 0.7], [skip, full], part)
        own = (user >= 0) & (own_u < 0.9)  # a listener plays 90 % from their own country
        country = np.where(own, user_country[user], keyed.categorical(country_u, COUNTRY_WEIGHTS))
        country[no_country < UNKNOWN_COUNTRY_SHARE] = -1
        logged = t + ms // 1000 + 2 + (delay * 28).astype(np.int64)  # 2-30 s after it stopped
        yield {
            "id": tsv.ints(np.arange(first_id, first_id + len(t))),
            "master_id": cat["id"][mi],
            "user_id": users[user],
            "anonymous_id": devices[device],
            "started_at": tsv.timestamps(t),
            "ms_played": tsv.ints(ms),
            "track_duration_ms": durations[mi],
            "source": sources[keyed.categorical(src, list(SOURCES.values()))],
            "country_code": countries[country],
            "created_at": tsv.timestamps(np.minimum(logged, t // DAY * DAY + DAY - 1)),  # same day
        }
        first_id += len(t)


def play_job(run: Run, first: int = 1) -> Callable[[TableWriter], None]:
    """The run's plays as a job; its listeners and catalogue are copied now, so that a forked
    job can run alongside the later stages."""
    (life, ids), sc = run.users, run.scale
    people = Listeners(
        list(ids), life.created.copy(), life.churn.copy(), user_countries(run.seed, ids)
    )
    cat = catalogue(run.catalogue["masters"])
    args = (run.seed, sc, run.origin, people, cat, run.start, run.end, first, sc.play_chunk)
    total = round(daily_rate(sc, run.origin, run.start, run.end).sum())
    return lambda out: out.copy_frames("play_events", simulate_plays(*args), total=total)


def append_plays(conn: psycopg.Connection, writer: Loader, w: Run) -> None:
    """The window's plays: the simulation continued with every stored user and released master."""
    first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM oltp.play_events").fetchone()[0]
    play_job(w, first)(writer)
    sync_play_identity(conn)


def sync_play_identity(conn: psycopg.Connection) -> None:
    """Plays are written with explicit ids: move the id sequence past them for later inserts."""
    conn.execute(
        "SELECT setval(pg_get_serial_sequence('oltp.play_events', 'id'), "
        "GREATEST((SELECT max(id) FROM oltp.play_events), 1))"
    )
