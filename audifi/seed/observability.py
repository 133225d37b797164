"""Audit log, security events, system (job) events and rate-limit windows: one simulation
(``Activity``) for both paths, from keyed day streams; rows are numbered by their day."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from audifi.seed import keyed
from audifi.seed.context import Run
from audifi.seed.copy_loader import TableWriter
from audifi.seed.identity import SECURITY_ADMIN, Lifecycle, user_email
from audifi.seed.ids import IdFactory
from audifi.seed.timeline import CHAINS, DAY
from oltp.observability import SecurityEventType

SEC_TYPES = [t.value for t in SecurityEventType]  # the enum, in its declared order
SEVERITY = {"info": 0.4, "low": 0.3, "medium": 0.2, "high": 0.08, "critical": 0.02}
LOGIN_RATE = 0.004  # audited (magic-link) logins per user who can act, per day
SECURITY_VISITORS, SECURITY_RATE = 0.3, 0.0006  # a day: from unknown visitors + per user
LIMIT_VISITORS, LIMIT_RATE = 0.1, 0.00015  # rate-limit windows a day: by IP + per user
RATE_LIMIT = 20  # login attempts per 15-minute window; more are blocked for 30 minutes
SETTLE_DAYS = 2  # a security event is investigated and resolved within this many days
SECURITY_MOVES = ["is_investigated", "investigated_by", "investigated_at", "investigation_notes"]
SECURITY_MOVES += ["is_resolved", "resolution", "resolved_at"]
# the constant columns of each kind of row (PROBE: a security event's request)
CREATE_MASTER = dict(actor_type="user", action_category="master", action="create_master")
LAUNCH_IPO = {
    "actor_type": "system",
    "actor_identifier": "ipo-scheduler",
    "action_category": "ipo",
    "action": "launch_ipo",
}
LOGIN = {
    "actor_type": "user",
    "action_category": "authentication",
    "action": "login",
    "user_agent": "Mozilla/5.0",
}
PROBE = {"user_agent": "curl/8.0", "request_path": "/api/auth/login", "request_method": "POST"}
SYNC = {"event_type": "indexer_sync", "source": "blockchain_indexer", "success": True}
LIMIT = {"action": "login_attempt", "rate_limit": RATE_LIMIT}


def _ip(i: int) -> str:
    return f"203.0.{(i // 250) % 250}.{i % 250 + 1}"


def _status_change(target_type: str, target_id: str, old: str | None, new: str, t: int) -> dict:
    """The audit columns of a status change of ``target_id`` at ``t`` (``old`` None: created)."""
    row = dict(target_type=target_type, target_id=target_id, changed_fields=["status"])
    if old is not None:
        row["previous_state"] = {"status": old}
    return row | {"new_state": {"status": new}, "created_at": t}


def master_audit(master: dict) -> dict:
    change = _status_change("master", master["id"], None, "draft", master["created_at"])
    return CREATE_MASTER | change | {"target_identifier": master["title"]}


def ipo_audit(ipo_id: str, t: int) -> dict:
    return LAUNCH_IPO | _status_change("master_ipo", ipo_id, "scheduled", "live", t)


@dataclass
class Activity:
    """The users (by number, all signed up so far) and what they do day by day."""

    seed: int
    users: Lifecycle
    user_ids: list[str]
    ids: IdFactory  # the run's: its namespaces' tags are worked out once

    def _day(self, kind: str, day: int, rate: float, visitors: float) -> tuple:
        """The day's stream, and its events' users (-1: a visitor) and instants in order."""
        rng, n = keyed.day_rng(self.seed, kind, day), np.searchsorted(self.users.created, day * DAY)
        who = np.flatnonzero(self.users.active[:n] & (self.users.churn[:n] >= (day + 1) * DAY))
        user = who[(rng.random(rng.poisson(rate * len(who))) * len(who)).astype(int)]
        user = np.r_[user, np.full(rng.poisson(visitors), -1)]
        t = day * DAY + rng.integers(0, DAY - 1800, len(user))
        order = np.lexsort((user, t))
        return rng, user[order], t[order]

    def _ids(self, table: str, day: int, n: int) -> list[str]:
        return self.ids.uuids_at(table, range(day << 16, (day << 16) + n))

    def run(self, start: int, end: int, masters: list[dict], launches: list[dict]) -> dict:
        """Days [start, end) as of ``end``, with the audit of ``masters`` and the IPO launches'
        audit rows (``launches``: ``nfts.Market.launch_audit``'s, given ids here)."""
        days = range(start // DAY, end // DAY)
        audit = [r for d in days for r in self.logins(d)] + [master_audit(m) for m in masters]
        audit += launches
        keys = keyed.string_keys(  # by (action, target or user, instant): the same on every path
            [f"{a['action']}/{a.get('target_id') or a['user_id']}/{a['created_at']}" for a in audit]
        ).tolist()
        aids = self.ids.uuids_at("audit_logs", keys)
        for a, k, aid in zip(audit, keys, aids, strict=True):
            a.update(id=aid, request_id=f"req-{k:016x}", success=True)
        return {
            "audit_logs": audit,
            "security_events": [r for d in days for r in self.security(d, end)],
            "rate_limits": [r for d in days for r in self.rate_limits(d)],
            "system_events": [r for d in days for r in self.indexer(d)],
        }

    def logins(self, day: int) -> list[dict]:
        """Users log in (at most once a second), each from an address of their own."""
        _, user, t = self._day("logins", day, LOGIN_RATE, 0)
        return [
            {
                **LOGIN,
                "user_id": self.user_ids[u],
                "actor_identifier": user_email(u),
                "ip_address": _ip(u),
                "metadata": {"email": user_email(u), "method": "magic_link"},
                "created_at": ti,
            }
            for ti, u in sorted(set(zip(t.tolist(), user.tolist(), strict=True)))
        ]

    def security(self, day: int, as_of: int) -> Iterator[dict]:
        """The day's security events, investigated and resolved as far as ``as_of``."""
        rng, user, t = self._day("security", day, SECURITY_RATE, SECURITY_VISITORS)
        n, admin = len(user), self.user_ids[SECURITY_ADMIN]
        kind, ip, attempts = (rng.integers(0, m, n) for m in (len(SEC_TYPES), 62500, 8))
        severity = keyed.categorical(rng.random(n), list(SEVERITY.values()))
        investigated = rng.random(n) < 0.5  # by the security admin 1-31 h after the event
        inv_at = t + 3600 + (rng.random(n) * 30 * 3600).astype(np.int64)
        res_at = inv_at + 3600 + (rng.random(n) * 5 * 3600).astype(np.int64)  # 1-6 h later
        for k, sid in enumerate(self._ids("security_events", day, n)):
            inv = bool(investigated[k] and inv_at[k] < as_of)
            res = bool(inv and res_at[k] < as_of)
            steps = (True, admin, int(inv_at[k]), "reviewed") if inv else (False, None, None, None)
            steps += (True, "benign", int(res_at[k])) if res else (False, None, None)
            row = {
                "id": sid,
                "event_type": SEC_TYPES[kind[k]],
                "severity": list(SEVERITY)[severity[k]],
                "user_id": self.user_ids[user[k]] if user[k] >= 0 else None,
                "title": SEC_TYPES[kind[k]].replace("_", " "),
                "ip_address": _ip(int(ip[k])),
                **PROBE,
                "event_data": {"failedAttempts": int(attempts[k]) + 1},
                "created_at": int(t[k]),
            }
            yield row | dict(zip(SECURITY_MOVES, steps, strict=True))

    def rate_limits(self, day: int) -> list[dict]:
        """The day's 15-minute login-attempt windows of users and of visitors' addresses."""
        rng, user, t = self._day("rate-limits", day, LIMIT_RATE, LIMIT_VISITORS)
        count = rng.integers(1, RATE_LIMIT + 6, len(user)).tolist()
        ip = rng.integers(0, 62500, len(user)).tolist()
        rids = self._ids("rate_limits", day, len(user))
        return [
            {
                "id": rid,
                "identifier": self.user_ids[u] if u >= 0 else _ip(a),
                "identifier_type": "user_id" if u >= 0 else "ip_address",
                **LIMIT,
                "window_start": t0,
                "window_end": t0 + 900,
                "request_count": c,
                "is_blocked": c > RATE_LIMIT,
                "blocked_until": t0 + 1800 if c > RATE_LIMIT else None,
                "created_at": t0,
                "updated_at": t0 + 900,
            }
            for rid, u, t0, c, a in zip(rids, user.tolist(), t.tolist(), count, ip, strict=True)
        ]

    def indexer(self, day: int) -> list[dict]:
        """The blockchain indexer's sync of each chain (01:00 UTC)."""
        rng, n = keyed.day_rng(self.seed, "indexer", day), len(CHAINS)
        ms, records = rng.integers(200, 9000, n).tolist(), rng.integers(0, 5000, n).tolist()
        cols = zip(self._ids("system_events", day, n), CHAINS, ms, records, strict=True)
        return [
            {
                **SYNC,
                "id": sid,
                "message": f"synced chain {chain.chain_id}",
                "job_id": f"idx-{chain.chain_id}-{day}",
                "duration_ms": duration,
                "records_processed": processed,
                "metadata": {"chain": chain.chain_id},
                "created_at": day * DAY + 3600,
            }
            for sid, chain, duration, processed in cols
        ]


def write_activity(out: TableWriter, w: Run, masters: list[dict], launches: list[dict]) -> None:
    """``Activity.run`` over the run, and the stored last days' security events moved on to its
    end (a full seed has none: its history starts with the run)."""
    act = Activity(w.seed, *w.users, w.ids)
    for table, rows in act.run(w.start, w.end, masters, launches).items():
        out.copy_rows(table, rows)
    first = max(w.origin // DAY, w.start // DAY - SETTLE_DAYS)
    moved = [r for day in range(first, w.start // DAY) for r in act.security(day, w.end)]
    out.update("security_events", moved, SECURITY_MOVES)
