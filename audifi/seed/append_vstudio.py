"""V Studio in the window: scheduled sessions that fall due go live, live ones end, new ones are
announced and run (at least one per append, so every V Studio table grows).

A run is the full seed's: participants join and leave, react, chat and vote on 2–5 decision
points, each vote checked against the point's eligibility rule at its instant (INV-30, same
readings as the seed: NFT owned then, coin held since before, paid period covering it, follow
before it, whitelisted).  Session, participant and decision-point counters are computed from the
rows written (INV-24/25).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import psycopg

from audifi.seed.append_state import Window
from audifi.seed.append_vstudio_rows import Run
from audifi.seed.copy_loader import Loader
from audifi.seed.identity import Users
from audifi.seed.ids import ZERO_ADDRESS, keyed_uniform
from audifi.seed.nfts import Move, owners_in_window
from audifi.seed.timeline import DAY, iso
from audifi.seed.vstudio import Results, session_fate, session_row

DUE_SQL = """
SELECT s.id::text, s.master_id::text, s.artist_id::text, s.allow_anonymous, s.max_participants,
       extract(epoch FROM s.scheduled_start_at)::bigint,
       extract(epoch FROM s.scheduled_end_at)::bigint, s.status::text,
       extract(epoch FROM s.actual_start_at)::bigint
FROM oltp.vstudio_sessions s
WHERE (s.status = 'scheduled' AND s.scheduled_start_at >= %(start)s
       AND s.scheduled_start_at < %(end)s)
   OR (s.status = 'live' AND s.actual_end_at IS NULL)
ORDER BY s.scheduled_start_at, s.id"""

# the votes of a session's decision points without results (a point without votes: one row
# with a null vote id)
OPEN_VOTES_SQL = """
SELECT d.id::text, v.id IS NOT NULL, v.option_selected, v.slider_value::text,
       v.user_id IS NULL AND v.wallet_address IS NULL
FROM oltp.vstudio_decision_points d
LEFT JOIN oltp.vstudio_votes v ON v.decision_point_id = d.id
WHERE d.vstudio_session_id = %s AND d.results_json IS NULL
ORDER BY d.id, v.id"""


class Eligibility:
    """Point-in-time facts the rules need, read after the NFT, coin and billing stages."""

    def __init__(self, conn: psycopg.Connection, moves: dict[str, Move]) -> None:
        self.conn, self.moves = conn, moves
        self.cover: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for user, p0, p1 in conn.execute(
            """SELECT s.user_id::text, extract(epoch FROM i.period_start)::bigint,
                      extract(epoch FROM least(i.period_end,
                                               coalesce(s.canceled_at, i.period_end)))::bigint
               FROM oltp.invoices i JOIN oltp.subscriptions s ON s.id = i.subscription_id
               JOIN oltp.subscription_plans p ON p.id = s.plan_id
               WHERE i.status = 'paid' AND i.amount_due > 0 AND p.price_usd > 0"""
        ):
            self.cover[user].append((p0, p1))

    def for_session(self, master: str, artist: str) -> dict[str, Any]:
        toks = self.conn.execute(
            "SELECT id::text, current_owner_wallet FROM oltp.master_nfts WHERE master_id = %s",
            (master,),
        ).fetchall()
        coins = {
            r[0]: int(r[1])
            for r in self.conn.execute(
                """SELECT h.wallet_address, extract(epoch FROM h.first_acquired_at)::bigint
                   FROM oltp.token_holders h JOIN oltp.artist_tokens t ON t.id = h.artist_token_id
                   WHERE t.artist_id = %s AND h.balance > 0""",
                (artist,),
            )
        }
        follows = {
            r[0]: int(r[1])
            for r in self.conn.execute(
                """SELECT follower_id::text, extract(epoch FROM created_at)::bigint
                   FROM oltp.artist_follows WHERE artist_id = %s""",
                (artist,),
            )
        }
        return {"toks": toks, "coins": coins, "follows": follows}

    def owners_at(self, toks: list[tuple[str, str]], t: int) -> set[str]:
        return set(owners_in_window(toks, self.moves, t)) - {ZERO_ADDRESS}


def append_vstudio(
    conn: psycopg.Connection, writer: Loader, w: Window, users: Users, moves: dict[str, Move]
) -> None:
    rng = w.rng("vstudio")
    n_sessions, n_started, n_parts = conn.execute(
        """SELECT count(*), count(actual_start_at),
                  (SELECT count(*) FROM oltp.vstudio_participants) FROM oltp.vstudio_sessions"""
    ).fetchone()  # type: ignore[misc]
    run = Run(w, rng, users, Eligibility(conn, moves), viewers=n_parts / max(1, n_started))
    session_upd: list[dict[str, Any]] = []
    for sid, master, artist, anon, max_p, s0, s1, status, a0 in conn.execute(
        DUE_SQL, {"start": iso(w.start), "end": iso(w.end)}
    ).fetchall():
        if status == "scheduled":
            row = {"id": sid, "master_id": master, "artist_id": artist, "max_participants": max_p}
            run.session(row, s0, s1, bool(anon), new=False)
            if "status" in row:  # it started (or was cancelled) inside the window
                session_upd.append(row)
        elif s1 < w.end - 60:  # a live session ends: results of its open decision points
            t = w.clamp(s1, keyed_uniform(w.seed, "close", sid))
            session_upd.append(_close(conn, run, sid, max(t, a0 + 60)))
    for row, anon in _announce(conn, w, rng, n_sessions):
        run.session(row, row["scheduled_start_at"], row["scheduled_end_at"], anon, new=True)
    writer.copy_rows("vstudio_sessions", run.new_sessions)
    writer.update(
        "vstudio_sessions",
        session_upd,
        [
            "status",
            "actual_start_at",
            "actual_end_at",
            "max_participants",
            "participant_count",
            "total_votes",
            "peak_concurrent_viewers",
            "updated_at",
        ],
    )
    writer.update("vstudio_participants", run.closed_participants, ["left_at", "updated_at"])
    writer.update(
        "vstudio_decision_points",
        run.closed_points,
        ["is_active", "results_json", "results_computed_at", "updated_at"],
    )
    writer.copy_rows("vstudio_decision_points", run.points)
    writer.copy_rows("vstudio_participants", run.participants)
    writer.copy_rows("vstudio_votes", run.votes)
    writer.copy_rows("vstudio_chat_messages", run.chats)
    writer.copy_rows("vstudio_engagement_events", run.engagement)


def _close(conn: psycopg.Connection, run: Run, sid: str, t: int) -> dict[str, Any]:
    """End a live session at ``t``: its participants leave, open points get their results."""
    kept = conn.execute(
        """SELECT extract(epoch FROM actual_start_at)::bigint, max_participants,
                  participant_count, total_votes, peak_concurrent_viewers
           FROM oltp.vstudio_sessions WHERE id = %s""",
        (sid,),
    ).fetchone()
    assert kept is not None
    results: dict[str, Results] = defaultdict(Results)
    for dp, voted, option, slider, anonymous in conn.execute(OPEN_VOTES_SQL, (sid,)).fetchall():
        res = results[dp]  # a point without votes gets its (empty) results too
        if voted:
            res.add({"option_selected": option, "slider_value": slider or "text"}, anonymous)
    for dp, res in results.items():
        run.closed_points.append(
            {
                "id": dp,
                "is_active": False,
                "results_json": res.json(),
                "results_computed_at": t + 60,
                "updated_at": t + 60,
            }
        )
    for pid, left in conn.execute(
        """SELECT id::text, least(extract(epoch FROM joined_at)::bigint + total_time_seconds, %s)
           FROM oltp.vstudio_participants WHERE vstudio_session_id = %s AND left_at IS NULL""",
        (t, sid),
    ).fetchall():
        run.closed_participants.append({"id": pid, "left_at": int(left), "updated_at": t})
    return {
        "id": sid,
        "status": session_fate(keyed_uniform(run.w.seed, "fate", sid), ran=True),
        "actual_end_at": t,
        "actual_start_at": kept[0],
        "max_participants": kept[1],
        "participant_count": kept[2],
        "total_votes": kept[3],
        "peak_concurrent_viewers": kept[4],
        "updated_at": t,
    }


def _announce(
    conn: psycopg.Connection, w: Window, rng: np.random.Generator, n_sessions: int
) -> list[tuple[dict[str, Any], bool]]:
    """New sessions on popular released masters: announced at 10:00, starting at 18:00."""
    masters = conn.execute(
        """SELECT m.id::text, m.artist_id::text, extract(epoch FROM m.created_at)::bigint,
                  1 + count(p.id)
           FROM oltp.masters m LEFT JOIN oltp.play_events p ON p.master_id = m.id
           WHERE m.status IN ('approved', 'live', 'archived')
           GROUP BY m.id ORDER BY m.id"""
    ).fetchall()
    if not masters:
        return []
    rate = n_sessions / max(1, w.history_days)
    n = max(1, int(rng.poisson(rate * w.days)))
    pop = np.array([m[3] for m in masters], float)
    days = np.sort(np.r_[0, rng.integers(0, w.days, n - 1)])  # the first starts on day one
    out = []
    for k, (mi, d) in enumerate(
        zip(rng.choice(len(masters), n, p=pop / pop.sum()).tolist(), days.tolist(), strict=True)
    ):
        master, artist, _, _ = masters[mi]
        announced = w.start + d * DAY + 10 * 3600
        start = announced + 8 * 3600
        row = session_row(
            f"session-{n_sessions + k}",
            master,
            artist,
            announced,
            start,
            start + int(rng.integers(1, 4)) * 3600,
            w.ids.uuid("vstudio_sessions"),
        )
        out.append((row, bool(rng.random() < 0.3)))
    return out
