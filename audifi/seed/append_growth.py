"""New artists and masters of the appended days, with their roles and audit trail, plus logins
and security events; all at the history's rates (new users: ``identity.append_identity``).

Rates: artists, masters, logins and security events at their count per day of history.  Rows
are built by the full seed's row functions, numbered on from the rows already stored (slugs,
titles stay unique).  New masters are young: draft, pending or approved (released in the
window) as in the seed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import psycopg

from audifi.seed.append_state import Window
from audifi.seed.artists import YOUNG_STATUS, artist_row, master_row
from audifi.seed.context import COUNTRIES, COUNTRY_WEIGHTS, GENRES
from audifi.seed.copy_loader import Loader
from audifi.seed.identity import (
    PLATFORM_ADMIN,
    SECURITY_ADMIN,
    admin_id,
    is_admin_email,
    role_row,
)
from audifi.seed.observability import login_audit, master_audit, security_event
from audifi.seed.timeline import DAY

RATES_SQL = """
SELECT (SELECT count(*) FROM oltp.artists) / %(days)s::float,
       (SELECT count(*) FROM oltp.masters) / %(days)s::float,
       (SELECT count(*) FROM oltp.audit_logs WHERE action = 'login') / %(days)s::float,
       (SELECT count(*) FROM oltp.security_events) / %(days)s::float,
       (SELECT count(*) FROM oltp.artists),
       (SELECT count(*) FROM oltp.masters)
"""
# users who may become artists: active, no admin, with an EVM wallet (artists sell NFTs), no
# profile yet
CANDIDATES_SQL = """
SELECT u.id::text, extract(epoch FROM u.created_at)::bigint, u.email FROM oltp.users u
WHERE u.status = 'active'
  AND EXISTS (SELECT 1 FROM oltp.user_wallets w WHERE w.user_id = u.id AND w.chain_id = '1')
  AND NOT EXISTS (SELECT 1 FROM oltp.artists a WHERE a.user_id = u.id)
ORDER BY u.created_at, u.id"""
ACTIVE_SQL = """
SELECT u.id::text, u.email, extract(epoch FROM u.created_at)::bigint FROM oltp.users u
WHERE u.status = 'active' ORDER BY u.created_at, u.id"""


def append_growth(conn: psycopg.Connection, writer: Loader, w: Window) -> None:
    rng = w.rng("growth")
    (
        artists_pd,
        masters_pd,
        logins_pd,
        security_pd,
        n_artists,
        n_masters,
    ) = conn.execute(RATES_SQL, {"start": w.start, "days": w.history_days}).fetchone()  # type: ignore[misc]
    roles = dict(conn.execute("SELECT name::text, id::text FROM oltp.roles").fetchall())
    g = _Growth(conn, rng, w, roles, admin_id(conn, PLATFORM_ADMIN))
    g.artists(int(n_artists), rng.poisson(float(artists_pd) * w.days))
    g.masters(int(n_masters), rng.poisson(float(masters_pd) * w.days))
    for t in ("artists", "user_roles", "masters"):
        writer.copy_rows(t, g.out[t])
    g.logins(rng.poisson(float(logins_pd) * w.days))
    write_audit(conn, writer, w, g.audit)
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


@dataclass
class _Growth:
    """The rows one append adds to the identity and catalogue tables (``out``, by table)."""

    conn: psycopg.Connection
    rng: np.random.Generator
    w: Window
    roles: dict[str, str]  # role name -> id
    admin: str  # the platform admin, who assigns roles
    out: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    audit: list[dict[str, Any]] = field(default_factory=list)

    def role(self, uid: str, role: str, t: int) -> None:
        rid = self.w.ids.uuid("user_roles")
        self.out["user_roles"].append(role_row(rid, uid, role, self.roles[role], t, self.admin))

    def artists(self, first: int, n: int) -> None:
        rng, w = self.rng, self.w
        candidates = [r[:2] for r in self.conn.execute(CANDIDATES_SQL) if not is_admin_email(r[2])]
        n = min(n, len(candidates))
        picked = sorted(rng.choice(len(candidates), n, replace=False).tolist()) if n else []
        for k, c in enumerate(picked):
            uid, signed_up = candidates[c]
            t = int(rng.integers(max(w.start, signed_up + 3600) + 60, w.end - 2 * 3600))
            genre = GENRES[int(rng.integers(0, len(GENRES)))]
            country = str(COUNTRIES[rng.choice(len(COUNTRIES), p=COUNTRY_WEIGHTS)])
            aid = w.ids.uuid("artists")
            self.out["artists"].append(artist_row(first + k, aid, uid, genre, country, False, t))
            self.role(uid, "artist", t)

    def masters(self, first: int, n: int) -> None:
        """New masters of existing and new artists; approved ones are released in the window."""
        rng, w = self.rng, self.w
        artists = self.conn.execute(
            "SELECT id::text, extract(epoch FROM created_at)::bigint, genre FROM oltp.artists "
            "WHERE is_active ORDER BY created_at, id"
        ).fetchall()
        artists += [(a["id"], a["created_at"], a["genre"]) for a in self.out["artists"]]
        statuses, weights = YOUNG_STATUS
        for k in range(n):
            aid, since, genre = artists[int(rng.integers(0, len(artists)))]
            t = int(rng.integers(max(w.start, since) + 60, w.end - 2 * 3600))
            status = str(rng.choice(statuses, p=weights))
            room = min(20 * DAY, w.end - 3600 - t)
            release = t + int(rng.uniform(0.05, 1) * room) if status == "approved" else None
            duration = int(rng.integers(120, 420))
            mid = w.ids.uuid("masters")
            row = master_row(w.seed, first + k, mid, aid, status, genre, duration, t, release)
            self.out["masters"].append(row)
            self.audit.append(master_audit(mid, row["title"], t))

    def logins(self, n: int) -> None:
        rng, w = self.rng, self.w
        users = self.conn.execute(ACTIVE_SQL).fetchall()
        for t in sorted(rng.integers(w.start + 60, w.end - 120, n).tolist()):
            uid, email, created = users[int(rng.integers(0, len(users)))]
            if created < t:
                self.audit.append(login_audit(uid, email, int(rng.integers(0, 1 << 20)), int(t)))
