"""The two databases the project works with: the OLTP primary and the analytics replica.

Either both are local servers run by ``audifi up`` (the default), or they are external servers
named by ``AUDIFI_DATABASE_URL`` / ``AUDIFI_DATABASE_REPLICA_URL`` that the project never
starts or stops.  With only ``AUDIFI_DATABASE_URL`` set there is no replica: analytics reads
the primary (single-server mode).
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from audifi.errors import AudifiError, first_line
from audifi.pgserver import LocalServer, default_bindir
from audifi.settings import Settings

# Settings the primary needs for logical replication to the analytics replica.  The slot's
# WAL is capped so that a replica left down cannot fill the primary's disk; the status warns
# when the cap invalidated the slot.  The cap must hold a whole seed: the seed is one
# transaction and the slot cannot move past its start before it commits (`large` writes
# about 15 GB of WAL, so 4 GB lost the slot on every `large` seed).
PRIMARY_CONF = {
    "wal_level": "logical",
    "max_wal_senders": "10",
    "max_replication_slots": "10",
    "max_slot_wal_keep_size": "'24GB'",
}
# The replica is the analytics server: dbt's builds and tests hash and sort millions of rows,
# and PostgreSQL's defaults (128 MB of buffers, 4 MB per hash or sort) spill them to disk.
REPLICA_CONF = {
    "max_logical_replication_workers": "6",
    "max_sync_workers_per_subscription": "2",
    "shared_buffers": "'1GB'",
    "work_mem": "'128MB'",
    "maintenance_work_mem": "'512MB'",
    "effective_cache_size": "'8GB'",
    "random_page_cost": "1.1",
    "max_wal_size": "'4GB'",
}


@dataclass(frozen=True)
class Target:
    """A database the project talks to."""

    role: str  # "primary" or "replica"
    url: URL
    local: LocalServer | None = None

    def libpq_dsn(self, database: str | None = None) -> str:
        url = self.url.set(drivername="postgresql")
        if database:
            url = url.set(database=database)
        return url.render_as_string(hide_password=False)

    def connect(self, autocommit: bool = True, **kwargs) -> psycopg.Connection:
        """A plain psycopg connection; a server that is down becomes a one-line error."""
        try:
            return psycopg.connect(self.libpq_dsn(), autocommit=autocommit, **kwargs)
        except psycopg.OperationalError as exc:
            text = first_line(exc, "no answer")
            if "password authentication failed" in text:
                hint = (
                    f"password authentication failed for user {self.url.username!r}: the "
                    "password audifi uses is not the server's (see `audifi --help` for where "
                    "passwords come from)"
                )
            elif "Connection refused" in text or "timeout" in text:
                hint = f"{text}: is it running? (`audifi status`; local servers: `audifi up`)"
            else:
                hint = text
            raise AudifiError(
                f"cannot connect to the {self.role} at "
                f"{self.url.host}:{self.url.port or 5432}/{self.url.database}: {hint}"
            ) from None


def local_servers(settings: Settings) -> tuple[LocalServer, LocalServer]:
    bindir = settings.pg_bindir or default_bindir()

    def server(name: str, port: int, conf: dict[str, str]) -> LocalServer:
        return LocalServer(
            name=name,
            datadir=settings.home / name / "data",
            port=port,
            password=settings.password,
            bindir=bindir,
            os_user=settings.os_user,
            extra_conf=conf,
        )

    return (
        server("primary", settings.primary_port, PRIMARY_CONF),
        server("replica", settings.replica_port, REPLICA_CONF),
    )


@dataclass(frozen=True)
class Cluster:
    primary: Target
    replica: Target | None

    @property
    def single_server(self) -> bool:
        return self.replica is None

    @property
    def analytics(self) -> Target:
        """Where dbt, notebooks and dashboards read: the replica, or the primary without one."""
        return self.replica or self.primary


def resolve_cluster(settings: Settings) -> Cluster:
    if settings.external:
        primary = Target("primary", settings.external_primary_url)
        replica = (
            Target("replica", settings.external_replica_url)
            if settings.external_replica_url
            else None
        )
        return Cluster(primary, replica)
    p, r = local_servers(settings)
    return Cluster(Target("primary", p.url(), p), Target("replica", r.url(), r))


def make_engine(target: Target, settings: Settings) -> Engine:
    """A pooled SQLAlchemy engine sized by AUDIFI_DB_POOL_MIN / AUDIFI_DB_POOL_MAX."""
    return sa.create_engine(
        target.url,
        pool_size=max(settings.pool_min, 1),
        max_overflow=settings.pool_max - max(settings.pool_min, 1),
        pool_pre_ping=True,
    )
