"""Audit log, security events, system (job) events and rate-limit windows.

One simulation (``Activity``) for the full seed and for appended days.  Day by day, each table
from its own keyed day stream: users who can act that day (``able``: signed up before it, not
churned by its end, neither suspended nor unverified) log in (audit rows), trip security events
and rate limits, as do some unknown visitors; the blockchain indexer syncs each chain once.
Rows are numbered by their day (audit rows by their action, target and instant), so every path
mints the same ids.  A security event is investigated after a keyed delay: its row is written as
of the data set's instant, and appended days move the days before them on.  Audit rows of new
masters come from the catalogue (``artists``), those of IPO launches from the IPOs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg

from audifi.seed import keyed
from audifi.seed.append_state import Window
from audifi.seed.context import Ctx
from audifi.seed.copy_loader import Loader
from audifi.seed.identity import SECURITY_ADMIN, Lifecycle, stored_lifecycle, user_email
from audifi.seed.ids import IdFactory
from audifi.seed.timeline import CHAINS, DAY
from oltp.observability import SecurityEventType

SEC_TYPES = [t.value for t in SecurityEventType]  # the enum, in its declared order
SEVERITIES, SEVERITY_MIX = (
    ["info", "low", "medium", "high", "critical"],
    [0.4, 0.3, 0.2, 0.08, 0.02],
)
LOGIN_RATE = 0.006  # audited (magic-link) logins per user who can act, per day
SECURITY_VISITORS, SECURITY_RATE = 0.3, 0.0006  # a day: from unknown visitors + per user
LIMIT_VISITORS, LIMIT_RATE = 0.1, 0.00015  # rate-limit windows a day: by IP + per user
RATE_LIMIT = 20  # login attempts per 15-minute window; more are blocked for 30 minutes
SETTLE_DAYS = 2  # a security event is investigated and resolved within this many days
SECURITY_MOVES = [
    "is_investigated",
    "investigated_by",
    "investigated_at",
    "investigation_notes",
    "is_resolved",
    "resolution",
    "resolved_at",
]


def _ip(i: int) -> str:
    return f"203.0.{(i // 250) % 250}.{i % 250 + 1}"


def master_audit(master_id: str, title: str, t: int) -> dict:
    return {
        "actor_type": "user",
        "action_category": "master",
        "action": "create_master",
        "target_type": "master",
        "target_id": master_id,
        "target_identifier": title,
        "new_state": {"status": "draft"},
        "changed_fields": ["status"],
        "created_at": t,
    }


def ipo_audit(ipo_id: str, t: int) -> dict:
    return {
        "actor_type": "system",
        "actor_identifier": "ipo-scheduler",
        "action_category": "ipo",
        "action": "launch_ipo",
        "target_type": "master_ipo",
        "target_id": ipo_id,
        "previous_state": {"status": "scheduled"},
        "new_state": {"status": "live"},
        "changed_fields": ["status"],
        "created_at": t,
    }


def login_audit(user_id: str, u: int, t: int) -> dict:
    """User number ``u`` logs in at ``t`` (from an address of their own)."""
    email = user_email(u)
    return {
        "user_id": user_id,
        "actor_type": "user",
        "actor_identifier": email,
        "action_category": "authentication",
        "action": "login",
        "ip_address": _ip(u),
        "user_agent": "Mozilla/5.0",
        "metadata": {"email": email, "method": "magic_link"},
        "created_at": t,
    }


def audit_rows(seed: int, audit: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Audit rows with their ids and request ids, numbered by (action, target or user, instant)
    so that every path mints the same ones."""
    keys = keyed.string_keys(
        [
            f"{seed}/{a['action']}/{a.get('target_id') or a['user_id']}/{a['created_at']}"
            for a in audit
        ]
    ).tolist()
    ids = IdFactory(seed).uuids_at("audit_logs", keys)
    for a, k, aid in zip(audit, keys, ids, strict=True):
        a.update(id=aid, request_id=f"req-{k:016x}", success=True)
    return audit


def write_audit(writer: Loader, seed: int, audit: list[dict[str, Any]]) -> None:
    writer.copy_rows("audit_logs", audit_rows(seed, audit))


def indexer_sync(sid: str, chain_id: str, day: int, ms: int, records: int) -> dict:
    """The blockchain indexer's daily sync of one chain (01:00 UTC)."""
    return {
        "id": sid,
        "event_type": "indexer_sync",
        "source": "blockchain_indexer",
        "message": f"synced chain {chain_id}",
        "job_id": f"idx-{chain_id}-{day}",
        "duration_ms": ms,
        "records_processed": records,
        "success": True,
        "metadata": {"chain": chain_id},
        "created_at": day * DAY + 3600,
    }


@dataclass
class Activity:
    """The users (by number, all signed up so far) and what they do day by day."""

    seed: int
    users: Lifecycle
    user_ids: list[str]

    def __post_init__(self) -> None:
        self.ids = IdFactory(self.seed)  # rows numbered by their day, as on every path

    def able(self, day: int) -> np.ndarray:
        """Numbers of the users who can act on ``day``."""
        n = int(np.searchsorted(self.users.created, day * DAY))
        ok = np.isin(self.users.plan[:n], (0, 3)) & (self.users.churn[:n] >= (day + 1) * DAY)
        return np.flatnonzero(ok)

    def _day(self, kind: str, day: int, rate: float, visitors: float) -> tuple:
        """The day's stream of ``kind``, and its events' users (-1: a visitor) and instants in
        time order: ``rate`` per user who can act, ``visitors`` a day from unknown ones."""
        rng = keyed.day_rng(self.seed, kind, day)
        who = self.able(day)
        user = who[(rng.random(rng.poisson(rate * len(who))) * len(who)).astype(int)]
        user = np.r_[user, np.full(rng.poisson(visitors), -1)]
        t = day * DAY + rng.integers(0, DAY - 1800, len(user))
        order = np.lexsort((user, t))
        return rng, user[order], t[order]

    def run(self, start: int, end: int) -> dict[str, list[dict]]:
        """The rows of the days in [start, end), as of ``end``."""
        out: dict[str, list[dict]] = {
            t: [] for t in ("logins", "security_events", "rate_limits", "system_events")
        }
        for day in range(start // DAY, end // DAY):
            out["logins"] += self.logins(day)
            out["security_events"] += self.security(day, end)
            out["rate_limits"] += self.rate_limits(day)
            out["system_events"] += self.indexer(day)
        return out

    def logins(self, day: int) -> list[dict]:
        _, user, t = self._day("logins", day, LOGIN_RATE, 0)
        pairs = sorted(set(zip(t.tolist(), user.tolist(), strict=True)))  # one login a second
        return [login_audit(self.user_ids[u], u, ti) for ti, u in pairs]

    def security(self, day: int, as_of: int) -> list[dict]:
        """The day's security events as of ``as_of``: half are investigated (by the security
        admin) 1-31 hours after, and resolved 1-6 hours later."""
        rng, user, t = self._day("security", day, SECURITY_RATE, SECURITY_VISITORS)
        n = len(user)
        kind = rng.integers(0, len(SEC_TYPES), n)
        severity = keyed.categorical(rng.random(n), SEVERITY_MIX)
        ip = rng.integers(0, 62500, n)
        attempts = rng.integers(1, 9, n)
        investigated = rng.random(n) < 0.5
        inv_at = t + 3600 + (rng.random(n) * 30 * 3600).astype(np.int64)
        res_at = inv_at + 3600 + (rng.random(n) * 5 * 3600).astype(np.int64)
        admin = self.user_ids[SECURITY_ADMIN]
        sids = self.ids.uuids_at("security_events", range(day << 16, (day << 16) + n))
        rows = []
        for k in range(n):
            inv = bool(investigated[k] and inv_at[k] < as_of)
            res = bool(inv and res_at[k] < as_of)
            name = SEC_TYPES[kind[k]]
            rows.append(
                {
                    "id": sids[k],
                    "event_type": name,
                    "severity": SEVERITIES[severity[k]],
                    "user_id": self.user_ids[user[k]] if user[k] >= 0 else None,
                    "title": name.replace("_", " "),
                    "ip_address": _ip(int(ip[k])),
                    "user_agent": "curl/8.0",
                    "request_path": "/api/auth/login",
                    "request_method": "POST",
                    "event_data": {"failedAttempts": int(attempts[k])},
                    "is_investigated": inv,
                    "investigated_by": admin if inv else None,
                    "investigated_at": int(inv_at[k]) if inv else None,
                    "investigation_notes": "reviewed" if inv else None,
                    "is_resolved": res,
                    "resolution": "benign" if res else None,
                    "resolved_at": int(res_at[k]) if res else None,
                    "created_at": int(t[k]),
                }
            )
        return rows

    def rate_limits(self, day: int) -> list[dict]:
        """The day's 15-minute login-attempt windows of users and of visitors' addresses; more
        than ``RATE_LIMIT`` attempts block for 30 minutes."""
        rng, user, t = self._day("rate-limits", day, LIMIT_RATE, LIMIT_VISITORS)
        count = rng.integers(1, RATE_LIMIT + 6, len(user))
        ip = rng.integers(0, 62500, len(user))
        rids = self.ids.uuids_at("rate_limits", range(day << 16, (day << 16) + len(user)))
        rows = []
        for k, (u, t0, c) in enumerate(zip(user.tolist(), t.tolist(), count.tolist(), strict=True)):
            blocked = c > RATE_LIMIT
            rows.append(
                {
                    "id": rids[k],
                    "identifier": self.user_ids[u] if u >= 0 else _ip(int(ip[k])),
                    "identifier_type": "user_id" if u >= 0 else "ip_address",
                    "action": "login_attempt",
                    "window_start": t0,
                    "window_end": t0 + 900,
                    "request_count": c,
                    "rate_limit": RATE_LIMIT,
                    "is_blocked": blocked,
                    "blocked_until": t0 + 1800 if blocked else None,
                    "created_at": t0,
                    "updated_at": t0 + 900,
                }
            )
        return rows

    def indexer(self, day: int) -> list[dict]:
        """One indexer sync per chain."""
        rng = keyed.day_rng(self.seed, "indexer", day)
        ms, records = rng.integers(200, 9000, len(CHAINS)), rng.integers(0, 5000, len(CHAINS))
        n = len(CHAINS)
        sids = self.ids.uuids_at("system_events", range(day * n, day * n + n))
        return [
            indexer_sync(sids[c], chain.chain_id, day, int(ms[c]), int(records[c]))
            for c, chain in enumerate(CHAINS)
        ]


def generate_observability(ctx: Ctx) -> None:
    """The full seed's: ``Activity.run`` over the history, plus the masters' and IPO
    launches' audit rows."""
    out = Activity(ctx.seed, ctx.dims["lifecycle"], ctx.dims["users"]["id"]).run(ctx.start, ctx.end)
    audit = out.pop("logins")
    audit += [master_audit(r["id"], r["title"], r["created_at"]) for r in ctx.rows["masters"]]
    audit += [
        ipo_audit(ipo["id"], ipo["actual_start_at"])
        for ipo in ctx.rows["master_ipos"]
        if ipo["actual_start_at"] is not None
    ]
    ctx.rows["audit_logs"] = audit_rows(ctx.seed, audit)
    ctx.rows.update(out)


def append_activity(
    conn: psycopg.Connection, writer: Loader, w: Window, masters: list[dict[str, Any]]
) -> None:
    """``Activity.run`` over the window (the users read back), the new masters' audit rows,
    and the security events of the days before the window moved on to its end."""
    life, user_ids = stored_lifecycle(conn, w.seed)
    act = Activity(w.seed, life, user_ids)
    out = act.run(w.start, w.end)
    audit = out.pop("logins") + [
        master_audit(m["id"], m["title"], m["created_at"]) for m in masters
    ]
    write_audit(writer, w.seed, audit)
    for table, rows in out.items():
        writer.copy_rows(table, rows)
    first = max(w.origin // DAY, w.start // DAY - SETTLE_DAYS)
    earlier = [r for day in range(first, w.start // DAY) for r in act.security(day, w.end)]
    writer.update(
        "security_events",
        [{k: r[k] for k in ("id", *SECURITY_MOVES)} for r in earlier],
        SECURITY_MOVES,
    )
