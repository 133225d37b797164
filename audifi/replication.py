"""Logical replication from the primary to the analytics replica, its roles and its health.

The publication itself (tables and column lists) is owned by the migrations, driven by
``oltp.classification``.  This module owns what lives outside the schema: the roles on both
servers, the subscription, and the views of lag and errors.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import psycopg
from psycopg import sql

from audifi.cluster import Cluster, Target
from audifi.credentials import SPEC, external_passwords, local_passwords, role_user
from audifi.errors import AudifiError
from audifi.settings import Settings, load_settings
from oltp.base import OLTP_SCHEMA
from oltp.classification import (
    CONFIDENTIAL_COLUMNS,
    CONFIDENTIAL_TABLES,
    PUBLICATION,
    SUBSCRIPTION,
)

# dbt builds into exactly these schemas on the replica (analytics/dbt_project.yml); they
# exist before dbt runs, owned by the dbt role, so it never needs to create schemas itself.
ANALYTICS_SCHEMAS = ("staging", "intermediate", "marts", "marts_finance", "test_failures")
# Who may read which mart schema besides dbt: analysts read `marts`, finance reads both.
MARTS_SCHEMA, FINANCE_SCHEMA = "marts", "marts_finance"


@dataclass(frozen=True)
class Roles:
    """The login roles; a password is None when an external server's variable is unset."""

    replication_user: str
    replication_password: str | None
    dbt_user: str
    dbt_password: str | None
    analyst_user: str
    analyst_password: str | None
    finance_user: str
    finance_password: str | None

    def need(self, key: str) -> str:
        """The password of role ``key``, or a one-line error naming the variable to set."""
        value = getattr(self, f"{key}_password")
        if value is None:
            raise AudifiError(
                f"set {SPEC[key].password_var}: the password of the {key} role "
                f"{getattr(self, f'{key}_user')!r} on the external servers (audifi never "
                "creates a login with a default password)"
            )
        return value


def roles_from_env(where: Settings | Cluster | None = None) -> Roles:
    """The login roles: names from the environment; passwords kept in the local servers'
    AUDIFI_HOME, or for external servers from the environment.

    Given a cluster, its own servers decide (their home's credentials), whatever
    AUDIFI_HOME says now; given nothing, the current settings do.
    """
    if isinstance(where, Cluster):
        local = where.primary.local
        home = local.datadir.parent.parent if local is not None else None
    else:
        settings = where or load_settings()
        home = None if settings.external else settings.home
    passwords = external_passwords() if home is None else local_passwords(home)
    fields: dict[str, str | None] = {}
    for key in SPEC:
        fields[f"{key}_user"] = role_user(key)
        fields[f"{key}_password"] = passwords[key]
    return Roles(**fields)  # type: ignore[arg-type]


def _role_exists(conn: psycopg.Connection, name: str) -> bool:
    return bool(conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone())


def _ensure_role(conn: psycopg.Connection, roles: Roles, key: str, *attrs: str) -> None:
    """Create the login if missing; an existing role keeps its password, always."""
    name = getattr(roles, f"{key}_user")
    options = " ".join(("LOGIN", *attrs))
    if _role_exists(conn, name):
        conn.execute(sql.SQL("ALTER ROLE {} WITH " + options).format(sql.Identifier(name)))
        return
    conn.execute(
        sql.SQL("CREATE ROLE {} WITH " + options + " PASSWORD {}").format(
            sql.Identifier(name), sql.Literal(roles.need(key))
        )
    )


def check_credentials(cluster: Cluster, roles: Roles) -> None:
    """Before anything changes: every password that setting up would need is known."""
    if cluster.replica is None:
        return
    with cluster.primary.connect() as conn:
        if not _role_exists(conn, roles.replication_user):
            roles.need("replication")
    with cluster.replica.connect() as conn:
        for key in ("dbt", "analyst", "finance"):
            if not _role_exists(conn, getattr(roles, f"{key}_user")):
                roles.need(key)
    if not subscription_exists(cluster.replica):
        roles.need("replication")  # the subscription logs in as the replication role


def setup_primary_roles(primary: Target, roles: Roles) -> None:
    """The replication user may log in for replication and read the published columns only."""
    with primary.connect() as conn:
        _ensure_role(conn, roles, "replication", "REPLICATION")
        user = sql.Identifier(roles.replication_user)
        conn.execute(
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(OLTP_SCHEMA), user)
        )
        rows = conn.execute(
            "SELECT schemaname, tablename, attnames FROM pg_publication_tables WHERE pubname = %s",
            (PUBLICATION,),
        ).fetchall()
        for schema, table, columns in rows:
            # The initial table copy reads the published columns, and nothing else.
            conn.execute(
                sql.SQL("GRANT SELECT ({}) ON {}.{} TO {}").format(
                    sql.SQL(", ").join(map(sql.Identifier, columns)),
                    sql.Identifier(schema),
                    sql.Identifier(table),
                    user,
                )
            )


def _grant_schema_read(conn: psycopg.Connection, schema: str, owner: str, reader: str) -> None:
    """``reader`` may read every table of ``schema``, also those ``owner`` creates later."""
    s, o, r = sql.Identifier(schema), sql.Identifier(owner), sql.Identifier(reader)
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, r))
    conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(s, r))
    conn.execute(
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT SELECT ON TABLES TO {}"
        ).format(o, s, r)
    )


def _hide_confidential_oltp(conn: psycopg.Connection, role: str) -> None:
    """Take the confidential tables and columns (F1) away from ``role`` on the replica."""
    r, oltp = sql.Identifier(role), sql.Identifier(OLTP_SCHEMA)
    for table in CONFIDENTIAL_TABLES:
        conn.execute(sql.SQL("REVOKE ALL ON {}.{} FROM {}").format(oltp, sql.Identifier(table), r))
    for table, hidden in CONFIDENTIAL_COLUMNS.items():
        columns = [
            name
            for (name,) in conn.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                (f"{OLTP_SCHEMA}.{table}",),
            )
            if name not in hidden
        ]
        target = sql.SQL("{}.{}").format(oltp, sql.Identifier(table))
        conn.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(target, r))
        conn.execute(
            sql.SQL("GRANT SELECT ({}) ON {} TO {}").format(
                sql.SQL(", ").join(map(sql.Identifier, columns)), target, r
            )
        )


def setup_replica_roles(replica: Target, roles: Roles, revoke_public: bool = True) -> None:
    """Analysts read; finance also reads the confidential data; dbt builds in its schemas;
    only replication writes oltp.

    ``revoke_public`` takes CREATE on the database and on schema public from PUBLIC: always
    on local servers, on an external replica only when AUDIFI_REPLICA_REVOKE_PUBLIC_CREATE=1.
    """
    with replica.connect() as conn:
        for key in ("dbt", "analyst", "finance"):
            _ensure_role(conn, roles, key)
        dbt = sql.Identifier(roles.dbt_user)
        oltp = sql.Identifier(OLTP_SCHEMA)
        db = sql.Identifier(replica.url.database)
        if revoke_public:
            conn.execute(sql.SQL("REVOKE CREATE ON DATABASE {} FROM PUBLIC").format(db))
            conn.execute(sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
        for name in (roles.dbt_user, roles.analyst_user, roles.finance_user):
            role = sql.Identifier(name)
            # Dates in the marts and in analysts' queries are UTC calendar dates.
            conn.execute(sql.SQL("ALTER ROLE {} SET timezone = 'UTC'").format(role))
            conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, role))
            conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(oltp, role))
            conn.execute(
                sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(oltp, role)
            )
            conn.execute(
                sql.SQL(
                    "ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT ON TABLES TO {}"
                ).format(oltp, role)
            )
        _hide_confidential_oltp(conn, roles.analyst_user)
        for name in ANALYTICS_SCHEMAS:
            schema = sql.Identifier(name)
            conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(schema, dbt)
            )
            conn.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(schema, dbt))
        _grant_schema_read(conn, MARTS_SCHEMA, roles.dbt_user, roles.analyst_user)
        for schema in (MARTS_SCHEMA, FINANCE_SCHEMA):
            _grant_schema_read(conn, schema, roles.dbt_user, roles.finance_user)


def primary_conninfo(primary: Target, roles: Roles) -> str:
    url = primary.url
    return psycopg.conninfo.make_conninfo(
        host=url.host,
        port=str(url.port or 5432),
        dbname=url.database,
        user=roles.replication_user,
        password=roles.need("replication"),
    )


# pg_subscription is shared by all databases of a server: look at this database's only.
_THIS_DATABASE = "subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())"


def subscription_exists(replica: Target) -> bool:
    with replica.connect() as conn:
        return bool(
            conn.execute(
                "SELECT 1 FROM pg_subscription WHERE subname = %s AND " + _THIS_DATABASE,
                (SUBSCRIPTION,),
            ).fetchone()
        )


def ensure_subscription(cluster: Cluster, roles: Roles) -> bool:
    """Create the subscription if missing (copying existing rows); True when created."""
    if cluster.replica is None:
        return False
    if subscription_exists(cluster.replica):
        return False
    with cluster.replica.connect() as conn:
        conn.execute(
            sql.SQL("CREATE SUBSCRIPTION {} CONNECTION {} PUBLICATION {}").format(
                sql.Identifier(SUBSCRIPTION),
                sql.Literal(primary_conninfo(cluster.primary, roles)),
                sql.Identifier(PUBLICATION),
            )
        )
    return True


def refresh_subscription(cluster: Cluster) -> None:
    """Pick up tables the publication gained; must run outside a transaction."""
    if cluster.replica is None or not subscription_exists(cluster.replica):
        return
    with cluster.replica.connect(autocommit=True) as conn:
        conn.execute(
            sql.SQL("ALTER SUBSCRIPTION {} REFRESH PUBLICATION").format(
                sql.Identifier(SUBSCRIPTION)
            )
        )


_SYNC_PROGRESS = """
SELECT count(r.srrelid), count(r.srrelid) FILTER (WHERE r.srsubstate = 'r'),
       coalesce(max(st.apply_error_count), 0), coalesce(max(st.sync_error_count), 0)
FROM pg_subscription s
LEFT JOIN pg_subscription_rel r ON r.srsubid = s.oid
LEFT JOIN pg_stat_subscription_stats st ON st.subid = s.oid
WHERE s.subname = %s
  AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


@dataclass
class ReplicationStatus:
    subscription: str | None  # "enabled", "disabled" or None when missing
    worker_running: bool
    tables_total: int
    tables_ready: int
    lag_bytes: int | None
    lag_seconds: float | None
    apply_errors: int
    sync_errors: int
    slot_wal_status: str | None  # reserved / extended / unreserved / lost
    slot_confirmed_flush_lsn: str | None

    @property
    def slot_lost(self) -> bool:
        return self.slot_wal_status == "lost"


def replication_status(cluster: Cluster) -> ReplicationStatus | None:
    if cluster.replica is None:
        return None
    with cluster.replica.connect() as conn:
        sub = conn.execute(
            "SELECT oid, subenabled FROM pg_subscription WHERE subname = %s AND " + _THIS_DATABASE,
            (SUBSCRIPTION,),
        ).fetchone()
        if sub is None:
            return ReplicationStatus(None, False, 0, 0, None, None, 0, 0, None, None)
        worker = conn.execute(
            "SELECT pid, EXTRACT(EPOCH FROM now() - latest_end_time) FROM pg_stat_subscription "
            "WHERE subid = %s AND relid IS NULL",
            (sub[0],),
        ).fetchone()
        tables, ready, apply_errors, sync_errors = conn.execute(
            _SYNC_PROGRESS, (SUBSCRIPTION,)
        ).fetchone()
    with cluster.primary.connect() as conn:
        slot = conn.execute(
            "SELECT wal_status, confirmed_flush_lsn::text, "
            "pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint "
            "FROM pg_replication_slots WHERE slot_name = %s",
            (SUBSCRIPTION,),
        ).fetchone()
        replay_lag = conn.execute(
            "SELECT EXTRACT(EPOCH FROM replay_lag) FROM pg_stat_replication "
            "WHERE application_name = %s",
            (SUBSCRIPTION,),
        ).fetchone()
    lag_seconds = None
    if replay_lag and replay_lag[0] is not None:
        lag_seconds = float(replay_lag[0])
    elif worker and worker[1] is not None:
        lag_seconds = 0.0
    return ReplicationStatus(
        subscription="enabled" if sub[1] else "disabled",
        worker_running=bool(worker and worker[0]),
        tables_total=tables,
        tables_ready=ready,
        lag_bytes=int(slot[2]) if slot and slot[2] is not None else None,
        lag_seconds=lag_seconds,
        apply_errors=apply_errors,
        sync_errors=sync_errors,
        slot_wal_status=slot[0] if slot else None,
        slot_confirmed_flush_lsn=slot[1] if slot else None,
    )


def wait_for_replica(cluster: Cluster, timeout: float = 300.0, poll: float = 0.2) -> float:
    """Block until the replica holds everything the primary had committed at the call.

    Returns the seconds waited.  Every table must have finished its initial copy and the
    subscription's slot must have confirmed the primary's WAL position of the moment.
    """
    if cluster.replica is None:
        return 0.0
    started = time.monotonic()
    with cluster.primary.connect() as primary, cluster.replica.connect() as replica:
        target_lsn = primary.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]
        while True:
            slot = primary.execute(
                "SELECT wal_status, confirmed_flush_lsn >= %s::pg_lsn FROM pg_replication_slots "
                "WHERE slot_name = %s",
                (target_lsn, SUBSCRIPTION),
            ).fetchone()
            if slot is None:
                raise AudifiError(
                    "the primary has no replication slot for the replica: run `audifi up` "
                    "(or `audifi migrate`) to create the subscription"
                )
            if slot[0] == "lost":
                raise AudifiError(
                    "the replica's replication slot was lost (WAL beyond "
                    "max_slot_wal_keep_size): run `audifi replica resync` to copy the data again"
                )
            tables, ready, apply_errors, sync_errors = replica.execute(
                _SYNC_PROGRESS, (SUBSCRIPTION,)
            ).fetchone()
            if slot[1] and ready == tables:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                errors = f" ({apply_errors} apply / {sync_errors} sync errors so far)"
                raise AudifiError(
                    f"the replica did not catch up with the primary's WAL {target_lsn} within "
                    f"{timeout:g} s: {ready}/{tables} tables copied"
                    + (errors if apply_errors or sync_errors else "")
                )
            time.sleep(poll)


def resync(cluster: Cluster, roles: Roles) -> None:
    """Drop the subscription and its slot, empty the replica's tables, subscribe again."""
    if cluster.replica is None:
        raise AudifiError(
            "no replica is configured: set AUDIFI_DATABASE_REPLICA_URL (or unset "
            "AUDIFI_DATABASE_URL to use the local servers)"
        )
    with cluster.replica.connect() as conn:
        if subscription_exists(cluster.replica):
            conn.execute(sql.SQL("DROP SUBSCRIPTION {}").format(sql.Identifier(SUBSCRIPTION)))
        tables = conn.execute(
            "SELECT format('%%I.%%I', schemaname, tablename) FROM pg_tables WHERE schemaname = %s",
            (OLTP_SCHEMA,),
        ).fetchall()
        if tables:
            conn.execute("TRUNCATE " + ", ".join(t[0] for t in tables))
    ensure_subscription(cluster, roles)
