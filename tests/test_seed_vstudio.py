"""``Studio`` without a database: given the same eligibility facts, a day's sessions do not
depend on the window that simulates them, so [a, c) writes the same rows and ids as [a, b)
then [b, c) (the second run re-derives the sessions still scheduled at ``b`` from their keys,
as ``write_vstudio`` does with the stored rows)."""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

import numpy as np

from audifi.seed import keyed
from audifi.seed.artists import Masters
from audifi.seed.copy_loader import frames_to_tsv
from audifi.seed.identity import Lifecycle
from audifi.seed.scales import get_scale
from audifi.seed.timeline import AS_OF, DAY, NEVER
from audifi.seed.vstudio import CANCELLED, Facts, Studio

SCALE = get_scale("tiny")
ORIGIN = AS_OF - SCALE.days * DAY


def _studio() -> Studio:
    rng = np.random.default_rng(5)
    n_users, n_masters, n_artists = 300, 30, 8
    created = np.sort(ORIGIN + (rng.random(n_users) * 100 * DAY).astype(np.int64))
    created[:3] = ORIGIN
    users = Lifecycle.of(7, np.arange(n_users), created)
    owners = {m: [f"0x{m:02x}{k:038x}" for k in range(3)] for m in range(0, n_masters, 3)}

    def tokens(master: int) -> tuple[int, Callable[[int], Container[str]]]:
        held = owners.get(master, [])
        first = ORIGIN + (20 + master) * DAY if held else NEVER  # first mints across the history
        return first, lambda t: set(held[: 1 + t % 3]) if t >= first else set()

    facts = Facts(
        follows={
            a: {int(u): ORIGIN + 10 * DAY * int(u % 7) for u in range(3, 200, 3)}
            for a in range(n_artists)
        },
        coins={a: {} for a in range(n_artists)},
        cover={int(u): (ORIGIN, AS_OF - 20 * DAY) for u in range(3, n_users, 4)},
        tokens=tokens,
    )
    masters, artist = [f"master-{i}" for i in range(n_masters)], np.arange(n_masters) % n_artists
    made = np.sort(ORIGIN + (rng.random(n_masters) * 60 * DAY).astype(np.int64))
    release = Masters(7, np.arange(n_masters), made).as_of(AS_OF)[1]
    artists = [f"artist-{k}" for k in range(n_artists)]
    pop = keyed.master_popularity(7, [artists[a] for a in artist], masters)
    dims = {"id": masters, "artist": artist, "release": release, "pop": pop}
    return Studio(7, SCALE, users, [f"user-{i}" for i in range(n_users)], dims, artists, facts)


def _tables(studio: Studio) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {t: b.take() for t, b in studio.rows.items()}
    out["engagement"] = list(frames_to_tsv("vstudio_engagement_events", studio.engagement_frames()))
    return {t: [c.data for c in chunks] for t, chunks in out.items()}


def test_a_window_split_in_two_writes_the_same_sessions() -> None:
    a, b, c = ORIGIN, AS_OF - 3 * DAY, AS_OF + 9 * DAY
    whole = _studio()
    whole.run(a, c)
    first = _studio()
    first.run(a, b)
    second = _studio()
    second.n_sessions = first.n_sessions
    for s in first.sessions.values():
        if s.start >= b:  # still scheduled at b: the second run re-derives it from its keys
            second.session(s.n, s.master, s.announced)
    second.run(b, c)
    tw, t1, t2 = _tables(whole), _tables(first), _tables(second)
    assert len(tw["vstudio_votes"]) and len(t2["vstudio_votes"])  # both windows ran sessions
    for table, chunks in tw.items():
        assert b"".join(chunks) == b"".join(t1[table] + t2[table]), table
    # the session rows: the first window's as of b, moved on (or written) by the second
    rows = {r["id"]: r for r in (first.row(s, b) for s in first.sessions.values())}
    rows |= {r["id"]: r for r in (second.row(s, c) for s in second.sessions.values())}
    assert rows == {r["id"]: r for r in (whole.row(s, c) for s in whole.sessions.values())}
    assert any(
        r["status"] == "scheduled" for r in (first.row(s, b) for s in first.sessions.values())
    )


def test_sessions_meet_the_fates() -> None:
    """Sessions meet ``SESSION_FATES``: 5 % are cancelled and never start."""
    studio = _studio()
    studio.run(ORIGIN, AS_OF + 400 * DAY)
    fates = [s.fate for s in studio.sessions.values()]
    assert 0 < fates.count(CANCELLED) < 0.15 * len(fates)
    assert all(s.participants == 0 for s in studio.sessions.values() if s.fate == CANCELLED)
    assert sum(s.participants > 0 for s in studio.sessions.values()) > 0.8 * len(fates)
