"""One V Studio session run inside the window: the rows it produces and its counters."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from audifi.seed.append_state import Window
from audifi.seed.identity import Users
from audifi.seed.vstudio import (
    CANCELLED,
    REACTIONS,
    Results,
    attendance,
    chat_row,
    client_ip_hash,
    decision,
    decision_point_row,
    participant_activity,
    participant_row,
    peak_concurrent,
    session_fate,
    vote_content,
    vote_flags,
    vote_row,
    vote_time,
)

if TYPE_CHECKING:
    from audifi.seed.append_vstudio import Eligibility


class Run:
    """Accumulates the rows of every session run in the window."""

    def __init__(
        self,
        w: Window,
        rng: np.random.Generator,
        users: Users,
        elig: Eligibility,
        viewers: float,
    ) -> None:
        self.w, self.rng, self.users, self.elig, self.viewers = w, rng, users, elig, viewers
        self.new_sessions: list[dict[str, Any]] = []
        self.points: list[dict[str, Any]] = []
        self.participants: list[dict[str, Any]] = []
        self.votes: list[dict[str, Any]] = []
        self.chats: list[dict[str, Any]] = []
        self.engagement: list[dict[str, Any]] = []
        self.closed_points: list[dict[str, Any]] = []
        self.closed_participants: list[dict[str, Any]] = []

    def _event(
        self, sid: str, u: int, kind: str, t: int, dp: str | None = None, data: Any = None
    ) -> None:
        self.engagement.append(
            {
                "id": self.w.ids.uuid("vstudio_engagement_events"),
                "vstudio_session_id": sid,
                "user_id": self.users.id[u] if u >= 0 else None,
                "wallet_address": self.users.wallet[u] if u >= 0 else None,
                "event_type": kind,
                "event_data": data,
                "decision_point_id": dp,
                "created_at": t,
            }
        )

    def session(self, row: dict[str, Any], s0: int, s1: int, anon: bool, new: bool) -> None:
        """Run ``row`` (a new session, or a scheduled one falling due at ``s0``) from two
        minutes after ``s0``; it ends at ``s1`` if that is inside the window (with the seed's
        fate, so some are cancelled instead), else it is still live at the window's end."""
        w, rng = self.w, self.rng
        if new:
            row["allow_anonymous"] = anon
            self.new_sessions.append(row)
        a0 = s0 + 120
        if a0 >= w.end - 600:
            return  # still scheduled
        a1 = s1 if s1 < w.end - 60 else None
        status = session_fate(rng.random()) if a1 else "live"
        if status == CANCELLED:
            row.update(status=status, actual_start_at=None, actual_end_at=None, updated_at=s0)
            row.update(participant_count=0, total_votes=0, peak_concurrent_viewers=0)
            return
        live_end = a1 if a1 is not None else w.end - 60
        row.update(
            status=status,
            actual_start_at=a0,
            actual_end_at=a1,
            updated_at=min(a1 or a0, w.end - 1),
        )
        u = self.users
        pool = np.flatnonzero((u.created < a0) & (u.churn > a0))
        n_p = min(len(pool), max(2, int(self.viewers * rng.lognormal(-0.3, 0.8))))
        if row.get("max_participants") is not None:
            n_p = min(n_p, int(row["max_participants"]))
        elif rng.random() < 0.4:
            row["max_participants"] = int(n_p + rng.integers(0, 50))
        pu = np.sort(rng.choice(pool, n_p, replace=False)) if n_p else np.zeros(0, int)
        joined, left = attendance(rng, a0, live_end, n_p)
        parts = {
            int(p): self._participant(row["id"], int(p), int(j), int(lf), a1 is not None)
            for p, j, lf in zip(pu.tolist(), joined.tolist(), left.tolist(), strict=True)
        }
        for _ in range(rng.poisson(n_p * 1.5)):  # anonymous page views
            self._event(row["id"], -1, "session_view", int(a0 + rng.random() * (live_end - a0)))
        row["peak_concurrent_viewers"] = peak_concurrent(joined, left)
        row["participant_count"] = n_p
        row["total_votes"] = self._decisions(row, a0, live_end, a1, anon, parts)

    def _participant(self, sid: str, u: int, joined: int, left: int, ended: bool) -> dict:
        rng, users = self.rng, self.users
        p = participant_row(self.w.ids, sid, users.id[u], users.wallet[u], joined, left, ended)
        self.participants.append(p)
        for kind, t, reaction in participant_activity(rng, joined, left):
            data: dict[str, Any] | None = None
            if kind == "reaction":
                data = {"emoji": REACTIONS[reaction]}
                p["reactions_count"] += 1
            elif kind == "share":
                data = {"channel": "x"}
            elif kind == "chat_message":
                chat = chat_row(rng, self.w.ids, sid, users.id[u], len(self.chats), t, users.admin)
                self.chats.append(chat)
                p["messages_count"] += 1
            self._event(sid, u, kind, t, data=data)
        return p

    def _decisions(
        self,
        row: dict[str, Any],
        a0: int,
        live_end: int,
        a1: int | None,
        anon: bool,
        parts: dict[int, dict],
    ) -> int:
        """Decision points with their votes; returns the session's vote count."""
        rng, w = self.rng, self.w
        facts = self.elig.for_session(row["master_id"], row["artist_id"])
        n_dp = int(rng.integers(2, 6))
        edges = np.linspace(a0, live_end, n_dp + 1).astype(np.int64)
        users = sorted(parts)
        total = 0
        for d in range(n_dp):
            kind, rule, opts, d0, d1 = decision(
                rng, edges, d, bool(facts["toks"]), bool(facts["coins"])
            )
            listed = {u for u in users if rng.random() < 0.3} if rule == "whitelist" else set()
            dp = decision_point_row(
                w.ids.uuid("vstudio_decision_points"),
                row["id"],
                kind,
                d,
                opts,
                rule,
                [self.users.id[u] for u in sorted(listed)],
                (d0, d1),
                a1 is None and d == n_dp - 1,
                max(w.start + 60, a0 - 3600),
                min(d1 + 60, w.end - 1),
            )
            self.points.append(dp)
            results = Results()
            for u in users:
                p = parts[u]
                t = vote_time(rng, p["joined_at"], d0, d1)
                if t is None:
                    continue
                wallet, uid = self.users.wallet[u], self.users.id[u]
                flags = vote_flags(
                    rule,
                    t,
                    wallet,
                    nft_owners=partial(self.elig.owners_at, facts["toks"]),
                    coin_since=facts["coins"].get(wallet),
                    cover=self.elig.cover.get(uid, []),
                    followed_at=facts["follows"].get(uid),
                    listed=u in listed,
                )
                if flags is None:
                    continue
                self._vote(row, dp, u, t, flags, vote_content(rng, kind, opts), results)
                p["votes_count"] += 1
            if anon and rule == "open":
                for _ in range(rng.poisson(len(users) * 0.3)):
                    t = int(d0 + rng.random() * (d1 - d0))
                    self._vote(row, dp, -1, t, {}, vote_content(rng, kind, opts), results)
            total += results.total
            if d1 < w.end - 60 and (a1 is not None or d < n_dp - 1):
                dp["results_json"] = results.json()
                dp["results_computed_at"] = d1 + 60
        return total

    def _vote(
        self,
        row: dict[str, Any],
        dp: dict[str, Any],
        u: int,
        t: int,
        flags: dict[str, Any],
        content: dict[str, Any],
        results: Results,
    ) -> None:
        results.add(content, anonymous=u < 0)
        uid = self.users.id[u] if u >= 0 else None
        self.votes.append(
            vote_row(
                self.w.ids,
                dp["id"],
                row["id"],
                t,
                content,
                flags,
                user=uid,
                wallet=self.users.wallet[u] if u >= 0 else None,
                anonymous=None if u >= 0 else f"anon-{self.rng.integers(1 << 40):010x}",
                ip_hash=client_ip_hash(int(self.users.number[u])) if u >= 0 else None,
            )
        )
        self._event(row["id"], u, "vote_cast", t, dp=dp["id"])
