"""The analytics replica: complete, never carrying PII, read-only, and robust to restarts."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import errors

from audifi.cluster import Cluster
from audifi.migrate import current_revision
from audifi.pgserver import LocalServer
from audifi.replication import (
    ANALYTICS_SCHEMAS,
    replication_status,
    roles_from_env,
    wait_for_replica,
)
from audifi.sample import make_master
from oltp.classification import (
    CONFIDENTIAL_COLUMNS,
    CONFIDENTIAL_TABLES,
    EXCLUDED_COLUMNS,
    EXCLUDED_TABLES,
    PUBLICATION,
    excluded_pairs,
)
from tests.conftest import dsn, fresh_cluster
from tests.replica_tools import PlayWriter, differing_tables, replica_tables
from tests.sample_rows import MARKER_IP, insert_graph

FIXTURE_REVISIONS = Path(__file__).parent / "fixture_revisions"


def test_rows_written_on_the_primary_arrive_unchanged(cluster, primary_dsn, replica_dsn):
    insert_graph(psycopg.connect(primary_dsn, autocommit=True), f"m{uuid.uuid4().hex[:8]}")
    master = make_master(primary_dsn)
    with psycopg.connect(primary_dsn, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO oltp.play_events (master_id, started_at, ms_played, track_duration_ms, "
            "source, country_code) SELECT %s, now() - i * interval '1 minute', i * 10, 180000, "
            "'ios', 'DE' FROM generate_series(1, 5000) i",
            (master,),
        )
        conn.execute("UPDATE oltp.masters SET title = 'renamed' WHERE id = %s", (master,))
        conn.execute(
            "DELETE FROM oltp.play_events WHERE master_id = %s AND ms_played < 100", (master,)
        )
    wait_for_replica(cluster, timeout=120)
    tables = replica_tables(replica_dsn)
    assert len(tables) == 44 - len(EXCLUDED_TABLES)
    assert differing_tables(primary_dsn, replica_dsn) == {}
    with psycopg.connect(replica_dsn) as conn:
        assert (
            conn.execute(
                "SELECT count(*) FROM oltp.play_events WHERE master_id = %s", (master,)
            ).fetchone()[0]
            == 5000 - 9
        )
        assert (
            conn.execute("SELECT title FROM oltp.masters WHERE id = %s", (master,)).fetchone()[0]
            == "renamed"
        )


def test_no_restricted_table_or_column_exists_on_the_replica(cluster, replica_dsn):
    tables = replica_tables(replica_dsn)
    assert excluded_pairs(), "the classification excludes nothing: the test would prove nothing"
    for table in EXCLUDED_TABLES:
        assert table not in tables
    for table, column in excluded_pairs():
        assert column not in tables[table], f"{table}.{column} reached the replica"


def test_a_marker_in_every_restricted_column_is_nowhere_on_the_replica(
    cluster, primary_dsn, replica_dsn
):
    marker = f"PIIMARK{uuid.uuid4().hex}"
    with psycopg.connect(primary_dsn, autocommit=True) as conn:
        ids = insert_graph(conn, marker)
        # the marker really is on the primary, in every restricted table
        tables_with_marker = {
            t
            for t in [*EXCLUDED_COLUMNS, *EXCLUDED_TABLES]
            if conn.execute(
                f"SELECT count(*) FROM oltp.{t} x WHERE x::text LIKE %s OR x::text LIKE %s",
                (f"%{marker}%", f"%{MARKER_IP}%"),
            ).fetchone()[0]
        }
    assert tables_with_marker == {*EXCLUDED_COLUMNS, *EXCLUDED_TABLES}
    wait_for_replica(cluster, timeout=120)
    with psycopg.connect(replica_dsn) as conn:
        assert (
            conn.execute(
                "SELECT count(*) FROM oltp.users WHERE id = %s", (ids["user"],)
            ).fetchone()[0]
            == 1
        )
        for table in replica_tables(replica_dsn):
            hits = conn.execute(
                f"SELECT count(*) FROM oltp.{table} x WHERE x::text LIKE %s OR x::text LIKE %s",
                (f"%{marker}%", f"%{MARKER_IP}%"),
            ).fetchone()[0]
            assert hits == 0, f"the marker reached the replica in {table}"


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO oltp.users (id) VALUES (gen_random_uuid())",
        "UPDATE oltp.users SET status = 'suspended'",
        "DELETE FROM oltp.users",
        "CREATE TABLE oltp.sneaky (i int)",
    ],
)
def test_the_analyst_role_cannot_write_oltp_on_the_replica(cluster, statement):
    roles = roles_from_env(cluster)
    url = cluster.replica.url.set(username=roles.analyst_user, password=roles.analyst_password)
    with psycopg.connect(dsn(url)) as conn:
        # it may read (the privilege exists), but not write
        sql = "SELECT has_table_privilege('oltp.masters', 'SELECT')"
        assert conn.execute(sql).fetchone()[0] is True
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            conn.execute(statement)


def test_the_dbt_role_builds_only_in_its_own_schemas(cluster):
    roles = roles_from_env(cluster)
    url = cluster.replica.url.set(username=roles.dbt_user, password=roles.dbt_password)
    with psycopg.connect(dsn(url), autocommit=True) as conn:
        for schema in ANALYTICS_SCHEMAS:
            conn.execute(f"CREATE OR REPLACE VIEW {schema}.probe AS SELECT 1 AS x")
            conn.execute(f"DROP VIEW {schema}.probe")
        owned = conn.execute(
            "SELECT array_agg(nspname::text ORDER BY nspname) FROM pg_namespace "
            "WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
        ).fetchone()[0]
        assert owned == sorted(ANALYTICS_SCHEMAS)
        for statement in ("CREATE TABLE oltp.probe (i int)", "CREATE SCHEMA rogue"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(statement)


def _confidential_reads() -> list[str]:
    reads = [f"SELECT * FROM oltp.{t} LIMIT 1" for t in CONFIDENTIAL_TABLES]
    reads += [
        f"SELECT {c} FROM oltp.{t} LIMIT 1"
        for t, cols in CONFIDENTIAL_COLUMNS.items()
        for c in cols
    ]
    return reads


@pytest.mark.parametrize("statement", _confidential_reads())
def test_only_finance_reads_confidential_oltp_data_on_the_replica(cluster, statement):
    roles = roles_from_env(cluster)
    replica = cluster.replica.url
    analyst = replica.set(username=roles.analyst_user, password=roles.analyst_password)
    finance = replica.set(username=roles.finance_user, password=roles.finance_password)
    with psycopg.connect(dsn(analyst)) as conn:
        # the rest of master_ipos stays readable for analysts
        conn.execute("SELECT id, total_supply, minted_supply FROM oltp.master_ipos LIMIT 1")
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            conn.execute(statement)
    with psycopg.connect(dsn(finance)) as conn:
        conn.execute(statement)


# -- a second pair of servers for the tests that migrate or restart them ------------------


@pytest.fixture(scope="module")
def own_cluster(test_env) -> Iterator[tuple[Cluster, LocalServer, LocalServer, dict[str, str]]]:
    with fresh_cluster() as parts:
        yield parts


def test_audifi_migrate_adds_a_table_and_a_column_while_rows_are_written(own_cluster):
    cluster, _, _, env = own_cluster
    p, r = dsn(cluster.primary.url), dsn(cluster.replica.url)
    master = make_master(p)
    writer = PlayWriter(p, master)
    writer.start()
    try:
        writer.wait_for(2000)
        result = subprocess.run(
            [sys.executable, "-m", "audifi.cli", "migrate"],
            env={**os.environ, **env, "AUDIFI_EXTRA_VERSION_LOCATIONS": str(FIXTURE_REVISIONS)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert "f001" in result.stdout
        # the replica was migrated before the primary
        assert result.stdout.index("to the replica") < result.stdout.index("to the primary")
        before = writer.committed
        writer.wait_for(before + 2000)
        with psycopg.connect(p, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO oltp.fixture_tips (master_id, amount) VALUES (%s, 1.5)", (master,)
            )
            conn.execute("UPDATE oltp.masters SET fixture_mood = 'sunny' WHERE id = %s", (master,))
    finally:
        writer.stop()
    assert writer.committed > 4000
    wait_for_replica(cluster, timeout=180)
    assert current_revision(cluster.primary) == current_revision(cluster.replica) == "f001"
    assert differing_tables(p, r) == {}
    with psycopg.connect(r) as conn:
        assert (
            conn.execute("SELECT count(*) FROM oltp.play_events").fetchone()[0] == writer.committed
        )
        assert conn.execute("SELECT amount FROM oltp.fixture_tips").fetchone()[0] == 1.5
        assert (
            conn.execute(
                "SELECT fixture_mood FROM oltp.masters WHERE id = %s", (master,)
            ).fetchone()[0]
            == "sunny"
        )
    status = replication_status(cluster)
    assert status.worker_running and status.apply_errors == 0 and status.sync_errors == 0


@pytest.mark.parametrize("which", ["replica", "primary"])
def test_a_restarted_server_catches_up_with_nothing_lost(own_cluster, which):
    cluster, primary, replica, _ = own_cluster
    p, r = dsn(cluster.primary.url), dsn(cluster.replica.url)
    writer = PlayWriter(p, make_master(p))
    writer.start()
    try:
        writer.wait_for(1000)
        server = replica if which == "replica" else primary
        server.stop()
        if which == "replica":
            writer.wait_for(writer.committed + 3000)  # the primary keeps taking writes
        server.start()
        writer.wait_for(writer.committed + 2000)
    finally:
        writer.stop()
    wait_for_replica(cluster, timeout=180)
    assert differing_tables(p, r) == {}
    with psycopg.connect(p) as conn:
        on_primary = conn.execute("SELECT count(*) FROM oltp.play_events").fetchone()[0]
    with psycopg.connect(r) as conn:
        on_replica = conn.execute("SELECT count(*) FROM oltp.play_events").fetchone()[0]
    assert on_replica == on_primary
    status = replication_status(cluster)
    assert status.worker_running and status.slot_wal_status != "lost"


def test_a_lost_slot_is_reported_and_resync_recovers(own_cluster):
    cluster, _, replica, env = own_cluster
    p, r = dsn(cluster.primary.url), dsn(cluster.replica.url)
    master = make_master(p)
    with psycopg.connect(p, autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'")
        conn.execute("SELECT pg_reload_conf()")
    replica.stop()
    try:
        with psycopg.connect(p, autocommit=True) as conn:
            for _ in range(4):  # several WAL segments past the 1 MB cap
                conn.execute(
                    "INSERT INTO oltp.play_events (master_id, started_at, ms_played, "
                    "track_duration_ms, source) SELECT %s, now(), 1, 1000, 'web' "
                    "FROM generate_series(1, 30000)",
                    (master,),
                )
                conn.execute("SELECT pg_switch_wal()")
            conn.execute("CHECKPOINT")
            wal_status = conn.execute(
                "SELECT wal_status FROM pg_replication_slots WHERE slot_name = 'audifi_analytics'"
            ).fetchone()[0]
        assert wal_status == "lost"
    finally:
        with psycopg.connect(p, autocommit=True) as conn:
            conn.execute("ALTER SYSTEM RESET max_slot_wal_keep_size")
            conn.execute("SELECT pg_reload_conf()")
        replica.start()
    cli_env = {**os.environ, **env}
    status = subprocess.run(
        [sys.executable, "-m", "audifi.cli", "status"], env=cli_env, capture_output=True, text=True
    )
    assert "slot was lost" in status.stdout and "audifi replica resync" in status.stdout
    from audifi.errors import AudifiError

    with pytest.raises(AudifiError, match="lost"):
        wait_for_replica(cluster, timeout=10)
    resync = subprocess.run(
        [sys.executable, "-m", "audifi.cli", "replica", "resync"],
        env=cli_env,
        capture_output=True,
        text=True,
    )
    assert resync.returncode == 0, resync.stderr
    wait_for_replica(cluster, timeout=180)
    assert differing_tables(p, r) == {}


def test_seed_small_then_replica_wait_leaves_the_replica_in_sync(test_env):
    with fresh_cluster() as (cluster, _, _, env):
        cli_env = {**os.environ, **env}
        for args in (["seed", "--scale", "small"], ["replica", "wait", "--timeout", "600"]):
            result = subprocess.run(
                [sys.executable, "-m", "audifi.cli", *args],
                env=cli_env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            assert result.returncode == 0, result.stderr
        p, r = dsn(cluster.primary.url), dsn(cluster.replica.url)
        assert differing_tables(p, r) == {}
        with psycopg.connect(r) as conn:
            assert conn.execute("SELECT count(*) FROM oltp.play_events").fetchone()[0] >= 400_000


def test_publication_carries_primary_keys_and_not_alembic_version(cluster, primary_dsn):
    with psycopg.connect(primary_dsn) as conn:
        published = dict(
            conn.execute(
                "SELECT tablename, attnames FROM pg_publication_tables WHERE pubname = %s",
                (PUBLICATION,),
            ).fetchall()
        )
    assert "alembic_version" not in published
    assert len(published) == 44 - len(EXCLUDED_TABLES)
    for table, columns in published.items():
        assert "id" in columns, f"{table}: the replica identity is not published"


def test_the_replication_user_reads_only_published_columns(cluster):
    roles = roles_from_env(cluster)
    url = cluster.primary.url.set(
        username=roles.replication_user, password=roles.replication_password
    )
    with psycopg.connect(dsn(url)) as conn:
        conn.execute("SELECT id, status FROM oltp.users LIMIT 1")
        for statement in (
            "SELECT email FROM oltp.users",
            "SELECT * FROM oltp.rate_limits",
            "INSERT INTO oltp.roles (name) VALUES ('viewer')",
        ):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()


def test_every_column_the_spec_marks_restricted_is_kept_off_the_replica():
    from oltp.classification import is_column_published
    from tests.catalog import load_spec

    marked = [
        (table, column["name"], column["markers"])
        for table, spec in load_spec()["tables"].items()
        for column in spec["columns"]
        if column["markers"]
    ]
    assert len(marked) >= 20
    for table, column, markers in marked:
        assert not is_column_published(table, column), f"{table}.{column} {markers} is published"
