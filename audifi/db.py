"""Connection pools for the dashboards, notebooks and `audifi query` on the analytics database.

One ``psycopg_pool.ConnectionPool`` per reading role (analyst, finance), sized by
AUDIFI_DB_POOL_MIN / AUDIFI_DB_POOL_MAX.  Every connection carries an application name (so
the DBA sees who runs what in ``pg_stat_activity``), a statement timeout (a runaway dashboard
query must not hold a replica backend) and is read-only.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from typing import Literal

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout
from sqlalchemy.engine import URL

from audifi import replication
from audifi.cluster import resolve_cluster
from audifi.errors import AudifiError
from audifi.settings import Settings, load_settings

# The pool logs each failed reconnection attempt; the user gets one line from us instead.
logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())

Role = Literal["analyst", "finance"]
ROLES: tuple[Role, ...] = ("analyst", "finance")

APPLICATION_NAME = "audifi-dashboards"
# Dashboards answer in milliseconds; anything near this limit is a missing index, not a query
# to wait for.  AUDIFI_DB_STATEMENT_TIMEOUT_MS overrides it (notebooks may want more).
DEFAULT_STATEMENT_TIMEOUT_MS = 5_000

_pools: dict[tuple[Role, tuple[tuple[str, str], ...]], ConnectionPool] = {}
_lock = threading.Lock()


def statement_timeout_ms() -> int:
    raw = os.environ.get("AUDIFI_DB_STATEMENT_TIMEOUT_MS") or str(DEFAULT_STATEMENT_TIMEOUT_MS)
    if not raw.isdigit() or int(raw) < 1:
        raise AudifiError(
            f"AUDIFI_DB_STATEMENT_TIMEOUT_MS={raw!r} must be a positive number of milliseconds"
        )
    return int(raw)


def role_url(role: Role, settings: Settings | None = None) -> URL:
    """The analytics database (the replica, else the primary) logged in as ``role``."""
    if role not in ROLES:
        raise AudifiError(f"unknown role {role!r}: choose analyst or finance")
    settings = settings or load_settings()
    cluster = resolve_cluster(settings)
    url = cluster.analytics.url
    if cluster.replica is None:
        return url  # single-server mode: the primary's own user reads its marts
    roles = replication.roles_from_env(cluster)
    return url.set(username=getattr(roles, f"{role}_user"), password=roles.need(role))


def sqlalchemy_url(role: Role = "analyst") -> URL:
    """For notebooks: ``sqlalchemy.create_engine(sqlalchemy_url("analyst"))``."""
    return role_url(role).set(drivername="postgresql+psycopg")


def _libpq(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _configure(conn: psycopg.Connection) -> None:
    # Runs once per new pooled connection; SET (not SET LOCAL) so it lasts the session.
    conn.execute(f"SET statement_timeout = {statement_timeout_ms():d}")
    conn.execute("SET default_transaction_read_only = on")


def _config_key() -> tuple[tuple[str, str], ...]:
    """What the pools depend on: the AUDIFI_* variables (cheap to read on every query)."""
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("AUDIFI_")))


def get_pool(role: Role = "analyst") -> ConnectionPool:
    """The process's pool for ``role`` on the current configuration (created on first use)."""
    key = (role, _config_key())
    pool = _pools.get(key)
    if pool is not None:
        return pool
    with _lock:
        pool = _pools.get(key)
        if pool is None:
            settings = load_settings()
            conninfo = _libpq(role_url(role, settings))
            _probe(role, conninfo)  # a database that is down: one line now, not a pool retrying
            pool = ConnectionPool(
                conninfo,
                min_size=settings.pool_min,
                max_size=settings.pool_max,
                # autocommit: one round trip per query, no BEGIN/ROLLBACK around reads
                kwargs={
                    "application_name": APPLICATION_NAME,
                    "connect_timeout": 10,
                    "autocommit": True,
                },
                configure=_configure,
                name=f"audifi-{role}",
                open=False,
            )
            pool.open(wait=False)
            _pools[key] = pool
        return pool


@contextlib.contextmanager
def connection(role: Role = "analyst", timeout: float = 10.0) -> Iterator[psycopg.Connection]:
    """A pooled connection; a database that cannot be reached is a one-line AudifiError."""
    pool = get_pool(role)
    try:
        conn = pool.getconn(timeout=timeout)
    except PoolTimeout:
        raise AudifiError(_why_unreachable(role)) from None
    try:
        yield conn
    finally:
        pool.putconn(conn)


def _where(role: Role) -> str:
    url = role_url(role)
    return f"{url.host}:{url.port or 5432}/{url.database} as {url.username}"


def _probe(role: Role, conninfo: str) -> None:
    try:
        psycopg.connect(conninfo, connect_timeout=5).close()
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or ["no answer"])[0]
        raise AudifiError(
            f"cannot connect to the analytics database at {_where(role)}: {first} "
            "(is it running? `audifi up`, then `audifi build`)"
        ) from None


def _why_unreachable(role: Role) -> str:
    return f"no pooled connection to {_where(role)} within the timeout (pool exhausted?)"


def close_pools() -> None:
    with _lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()


atexit.register(close_pools)
