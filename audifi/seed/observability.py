"""Audit log, security events, system (job) events and rate-limit windows.

The audit and security rows (``login_audit``, ``master_audit``, ``ipo_audit``,
``security_event``) are also those of appended days.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import psycopg

from audifi.seed.append_state import Window
from audifi.seed.context import Ctx
from audifi.seed.copy_loader import Loader
from audifi.seed.identity import SECURITY_ADMIN, admin_id
from audifi.seed.ids import IdFactory
from audifi.seed.timeline import CHAINS, DAY
from oltp.observability import SecurityEventType

SEC_TYPES = [t.value for t in SecurityEventType]  # the enum, in its declared order


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


def login_audit(user_id: str, email: str, u: int, t: int) -> dict:
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


def security_event(rng: np.random.Generator, i: int, user: str | None, t: int, admin: str) -> dict:
    """Security event number ``i`` at ``t``; half are investigated (by ``admin``) and resolved."""
    kind = SEC_TYPES[int(rng.integers(0, len(SEC_TYPES)))]
    investigated = rng.random() < 0.5
    return {
        "id": None,
        "event_type": kind,
        "severity": str(
            rng.choice(["info", "low", "medium", "high", "critical"], p=[0.4, 0.3, 0.2, 0.08, 0.02])
        ),
        "user_id": user,
        "title": kind.replace("_", " "),
        "ip_address": _ip(i + 7),
        "user_agent": "curl/8.0",
        "request_path": "/api/auth/login",
        "request_method": "POST",
        "event_data": {"failedAttempts": int(rng.integers(1, 9))},
        "is_investigated": investigated,
        "investigated_by": admin if investigated else None,
        "investigated_at": t + 3600 if investigated else None,
        "investigation_notes": "reviewed" if investigated else None,
        "is_resolved": investigated,
        "resolution": "benign" if investigated else None,
        "resolved_at": t + 7200 if investigated else None,
        "created_at": t,
    }


def generate_observability(ctx: Ctx) -> None:
    rng = ctx.rng
    users = ctx.dims["users"]
    audit = []
    for r in ctx.rows["masters"]:
        audit.append(master_audit(r["id"], r["title"], r["created_at"]))
    for ipo in ctx.rows["master_ipos"]:
        if ipo["actual_start_at"] is not None:
            audit.append(ipo_audit(ipo["id"], ipo["actual_start_at"]))
    n_users = len(users["id"])
    for _ in range(n_users // 2):
        u = int(rng.integers(0, n_users))
        t = int(users["created"][u] + rng.random() * (users["churn"][u] - users["created"][u]))
        audit.append(login_audit(users["id"][u], users["email"][u], u, t))
    audit.sort(key=lambda a: a["created_at"])
    for i, a in enumerate(audit):
        a["id"] = ctx.ids.uuid("audit_logs")
        a["request_id"] = f"req-{i:08d}"
        a["success"] = True
    ctx.rows["audit_logs"] = audit

    sec = []
    for i in range(max(40, n_users // 10)):  # a few a day: failed logins, rate-limit hits
        u = int(rng.integers(0, n_users))
        t = int(ctx.start + rng.random() * (ctx.end - ctx.start - DAY))
        user = users["id"][u] if users["created"][u] <= t else None
        sec.append(security_event(rng, i, user, t, users["id"][SECURITY_ADMIN]))
    sec.sort(key=lambda s: s["created_at"])
    for s in sec:
        s["id"] = ctx.ids.uuid("security_events")
    ctx.rows["security_events"] = sec

    ctx.rows["system_events"] = [
        indexer_sync(
            ctx.ids, c.chain_id, day, int(rng.integers(200, 9000)), int(rng.integers(0, 5000))
        )
        for day in range(ctx.start // DAY, ctx.end // DAY)
        for c in CHAINS
    ]

    rl = []
    for _ in range(max(10, n_users // 100)):
        u = int(rng.integers(0, n_users))
        t0 = int(ctx.start + rng.random() * (ctx.end - ctx.start - DAY))
        blocked = rng.random() < 0.2
        rl.append(
            {
                "id": ctx.ids.uuid("rate_limits"),
                "identifier": users["id"][u],
                "identifier_type": "user_id",
                "action": "login_attempt",
                "window_start": t0,
                "window_end": t0 + 900,
                "request_count": int(rng.integers(1, 30)),
                "rate_limit": 20,
                "is_blocked": blocked,
                "blocked_until": t0 + 1800 if blocked else None,
                "created_at": t0,
                "updated_at": t0 + 900,
            }
        )
    ctx.rows["rate_limits"] = rl


def indexer_sync(ids: IdFactory, chain_id: str, day: int, ms: int, records: int) -> dict:
    """The blockchain indexer's daily sync of one chain (01:00 UTC)."""
    return {
        "id": ids.uuid("system_events"),
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


def append_system_events(writer: Loader, w: Window) -> None:
    """One indexer sync per chain and day (the full seed's observability cadence)."""
    rows = [
        indexer_sync(w.ids, c.chain_id, day, 1000, 0)
        for day in range(w.start // DAY, w.end // DAY)
        for c in CHAINS
    ]
    writer.copy_rows("system_events", rows)


# -- appended days: audit trail and security events at the history's rates

ACTIVITY_SQL = """
SELECT (SELECT count(*) FROM oltp.audit_logs WHERE action = 'login') / %(days)s::float,
       (SELECT count(*) FROM oltp.security_events) / %(days)s::float"""
ACTIVE_SQL = """
SELECT u.id::text, u.email, extract(epoch FROM u.created_at)::bigint FROM oltp.users u
WHERE u.status = 'active' ORDER BY u.created_at, u.id"""


def append_activity(
    conn: psycopg.Connection, writer: Loader, w: Window, masters: list[dict[str, Any]]
) -> None:
    """The window's audit trail (new masters, logins of active users) and security events."""
    rng = w.rng("activity")
    logins_pd, security_pd = conn.execute(ACTIVITY_SQL, {"days": w.history_days}).fetchone()  # type: ignore[misc]
    audit = [master_audit(m["id"], m["title"], m["created_at"]) for m in masters]
    users = conn.execute(ACTIVE_SQL).fetchall()
    n_logins = rng.poisson(float(logins_pd) * w.days)
    for t in sorted(rng.integers(w.start + 60, w.end - 120, n_logins).tolist()):
        uid, email, created = users[int(rng.integers(0, len(users)))]
        if created < t:
            audit.append(login_audit(uid, email, int(rng.integers(0, 1 << 20)), int(t)))
    write_audit(conn, writer, w, audit)
    n_security = rng.poisson(float(security_pd) * w.days)
    times = sorted(rng.integers(w.start + 60, w.end - 120, n_security).tolist())
    investigator = admin_id(conn, SECURITY_ADMIN)
    security = [security_event(rng, k, None, t, investigator) for k, t in enumerate(times)]
    for s in security:
        s["id"] = w.ids.uuid("security_events")
    writer.copy_rows("security_events", security)


def write_audit(
    conn: psycopg.Connection, writer: Loader, w: Window, audit: list[dict[str, Any]]
) -> None:
    """Audit rows in time order, request ids numbered on from the stored ones."""
    base = conn.execute("SELECT count(*) FROM oltp.audit_logs").fetchone()[0]  # type: ignore[index]
    audit.sort(key=lambda a: (a["created_at"], a["action"]))
    for k, a in enumerate(audit):
        a.update(id=w.ids.uuid("audit_logs"), request_id=f"req-{base + k:08d}", success=True)
    writer.copy_rows("audit_logs", audit)
