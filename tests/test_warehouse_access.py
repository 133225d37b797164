"""Who reads what in the built warehouse, and what never reaches it (governance F1)."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from audifi.replication import ANALYTICS_SCHEMAS, FINANCE_SCHEMA, MARTS_SCHEMA
from oltp import metadata
from oltp.classification import EXCLUDED_COLUMNS, EXCLUDED_TABLES, is_column_published

DBT_SCHEMAS = ("staging", "intermediate", MARTS_SCHEMA, FINANCE_SCHEMA)


def _relations(conn: psycopg.Connection) -> dict[tuple[str, str], set[str]]:
    rows = conn.execute(
        "SELECT table_schema, table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = ANY(%s)",
        (list(DBT_SCHEMAS),),
    ).fetchall()
    found: dict[tuple[str, str], set[str]] = {}
    for schema, table, column in rows:
        found.setdefault((schema, table), set()).add(column)
    return found


def _never_published_names() -> set[str]:
    """Excluded column names that no published column anywhere shares (e-mail, tokens…)."""
    excluded = {c for cols in EXCLUDED_COLUMNS.values() for c in cols}
    for table in metadata.tables.values():
        excluded -= {c.name for c in table.columns if is_column_published(table.name, c.name)}
    return excluded


def test_the_build_created_every_layer(warehouse):
    with psycopg.connect(warehouse.replica_dsn()) as conn:
        relations = _relations(conn)
    schemas = {schema for schema, _ in relations}
    assert {"staging", "intermediate", MARTS_SCHEMA} <= schemas
    assert len([r for r in relations if r[0] == "staging"]) >= 30


def test_no_staging_view_carries_an_excluded_column(warehouse):
    with psycopg.connect(warehouse.replica_dsn()) as conn:
        relations = _relations(conn)
    for table, columns in EXCLUDED_COLUMNS.items():
        staged = relations.get(("staging", f"stg_oltp__{table}"))
        assert staged is not None, f"stg_oltp__{table} was not built"
        assert not staged & set(columns), f"stg_oltp__{table} carries {staged & set(columns)}"
    for table in EXCLUDED_TABLES:
        assert ("staging", f"stg_oltp__{table}") not in relations


def test_no_model_carries_a_pii_or_secret_column_name(warehouse):
    forbidden = _never_published_names()
    assert {"email", "two_factor_secret", "access_token", "ip_address"} <= forbidden
    with psycopg.connect(warehouse.replica_dsn()) as conn:
        for (schema, table), columns in _relations(conn).items():
            assert not columns & forbidden, f"{schema}.{table} carries {columns & forbidden}"


def test_the_dbt_role_owns_exactly_the_warehouse_schemas(warehouse):
    with psycopg.connect(warehouse.replica_dsn()) as conn:
        owned = conn.execute(
            "SELECT array_agg(nspname::text ORDER BY nspname) FROM pg_namespace "
            "WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
        ).fetchone()[0]
    assert owned == sorted(ANALYTICS_SCHEMAS)


def test_analysts_read_marts_but_not_marts_finance(warehouse):
    with psycopg.connect(warehouse.replica_dsn("analyst")) as conn:
        assert conn.execute("SELECT count(*) FROM marts.dim_masters").fetchone()[0] > 0
        finance_tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (FINANCE_SCHEMA,),
        ).fetchall()
        assert finance_tables == []  # not even visible
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
            conn.execute(f"CREATE TABLE {MARTS_SCHEMA}.sneaky (i int)")
    with psycopg.connect(warehouse.replica_dsn("finance")) as conn:
        assert conn.execute(
            "SELECT has_schema_privilege(current_user, %s, 'USAGE')", (FINANCE_SCHEMA,)
        ).fetchone()[0]
