"""The confidential finance marts (marts_finance) equal their definitions (marts.md, and the
MRR definitions in _finance__models.yml) recomputed from the OLTP tables on the PRIMARY with
independent SQL: whole tables, counts exact, money exact (so to the cent).  And only the
finance role reads them: the analyst role gets "permission denied" on every one.

The recomputations avoid the models' techniques on purpose: per-artist figures are correlated
subqueries, lags are epoch differences, months come from a UTC session and date_trunc, the
month series is generate_series, and the MRR movements are conditions on each
subscription's first and last paying month instead of a self-join of month ends.
"""

from __future__ import annotations

import itertools
import json
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from psycopg import errors

from audifi.replication import FINANCE_SCHEMA
from tests.conftest import Warehouse
from tests.recount import assert_same_rows, primary_rows

PLAN_CURRENCY = "usd"  # dbt var plan_price_currency

# UTC month of a timestamp column, in a UTC session.
MONTH = "date_trunc('month', {})::date"

# Subscriptions that pay, with the first month at whose end they pay and the first at whose
# end they no longer do (null: still paying), and their plan price per month.
PAYING_CTE = f"""
subs AS (
    SELECT s.id,
           CASE p.interval WHEN 'monthly' THEN p.price_usd
                           WHEN 'yearly' THEN round(p.price_usd / 12, 8)
                           ELSE 0 END AS value,
           coalesce(s.trial_end, s.created_at) AS from_ts,
           CASE WHEN s.status = 'canceled'
                THEN coalesce(s.canceled_at, s.current_period_end) END AS until_ts
    FROM oltp.subscriptions s JOIN oltp.subscription_plans p ON p.id = s.plan_id
    WHERE s.status NOT IN ('trialing', 'incomplete', 'incomplete_expired')
),
paying AS (
    SELECT id, value, {MONTH.format("from_ts")} AS start_m, {MONTH.format("until_ts")} AS end_m
    FROM subs WHERE until_ts IS NULL OR until_ts > from_ts
)"""

EXPECTED: dict[str, str] = {
    "fct_revenue_events": f"""
        SELECT r.id, r.master_id, m.artist_id, r.source_type::text, r.source_name,
               r.status::text, r.amount, r.currency, r.amount_usd,
               {MONTH.format("coalesce(r.period_start, r.created_at)")},
               r.period_start, r.period_end, r.created_at, r.verified_at, r.deposited_at,
               round(extract(epoch FROM date_trunc('second', r.verified_at)
                                      - date_trunc('second', r.created_at)) / 3600, 6),
               round(extract(epoch FROM date_trunc('second', r.deposited_at)
                                      - date_trunc('second', r.verified_at)) / 3600, 6),
               r.deposited_to_contract_id, lower(r.deposit_tx_hash)
        FROM oltp.revenue_events r JOIN oltp.masters m ON m.id = r.master_id""",
    "fct_revenue_monthly": f"""
        SELECT {MONTH.format("coalesce(r.period_start, r.created_at)")}, r.master_id,
               r.source_type::text, r.currency, m.artist_id, count(*), sum(r.amount),
               coalesce(sum(r.amount_usd), 0),
               coalesce(sum(r.amount_usd) FILTER (WHERE r.status = 'distributed'), 0),
               count(*) FILTER (WHERE r.amount_usd IS NULL)
        FROM oltp.revenue_events r JOIN oltp.masters m ON m.id = r.master_id
        GROUP BY 1, 2, 3, 4, 5""",
    "fct_artist_performance": """
        SELECT a.id, a.artist_name,
               (SELECT count(*) FROM oltp.masters m WHERE m.artist_id = a.id),
               (SELECT count(*) FROM oltp.master_ipos i
                WHERE i.master_id IN (SELECT id FROM oltp.masters WHERE artist_id = a.id)),
               (SELECT count(*) FROM oltp.master_nfts n
                WHERE n.master_id IN (SELECT id FROM oltp.masters WHERE artist_id = a.id)),
               (SELECT coalesce(sum(r.amount_usd), 0) FROM oltp.revenue_events r
                WHERE r.status = 'distributed'
                  AND r.master_id IN (SELECT id FROM oltp.masters WHERE artist_id = a.id)),
               (SELECT count(*) FROM oltp.vstudio_sessions s
                WHERE s.master_id IN (SELECT id FROM oltp.masters WHERE artist_id = a.id)),
               (SELECT count(*) FROM oltp.vstudio_votes v
                WHERE v.vstudio_session_id IN (
                    SELECT s.id FROM oltp.vstudio_sessions s
                    WHERE s.master_id IN (SELECT id FROM oltp.masters WHERE artist_id = a.id))),
               (SELECT min(created_at) FROM oltp.masters m WHERE m.artist_id = a.id),
               (SELECT max(created_at) FROM oltp.masters m WHERE m.artist_id = a.id)
        FROM oltp.artists a""",
    "fct_subscription_invoices_monthly": f"""
        WITH {PAYING_CTE},
        inv AS (
            SELECT {MONTH.format("coalesce(period_start, created_at)")} AS month, currency,
                   count(*) AS n, count(*) FILTER (WHERE status = 'paid') AS paid_n,
                   sum(amount_due) AS due, sum(amount_paid) AS paid
            FROM oltp.invoices GROUP BY 1, 2
        ),
        bounds AS (
            SELECT min(m) AS first_m, max(m) AS last_m FROM (
                SELECT month AS m FROM inv UNION ALL SELECT start_m FROM paying
                UNION ALL SELECT end_m FROM paying
            ) x
        ),
        months AS (
            SELECT generate_series(first_m, last_m, interval '1 month')::date AS month
            FROM bounds
        ),
        mrr AS (
            SELECT mo.month, '{PLAN_CURRENCY}'::text AS currency,
                   coalesce(sum(p.value) FILTER (
                       WHERE p.start_m <= mo.month AND (p.end_m IS NULL OR p.end_m > mo.month)
                   ), 0) AS mrr,
                   coalesce(sum(p.value) FILTER (
                       WHERE p.start_m = mo.month AND (p.end_m IS NULL OR p.end_m > mo.month)
                   ), 0) AS new_mrr,
                   coalesce(sum(p.value) FILTER (
                       WHERE p.end_m = mo.month AND p.start_m < mo.month
                   ), 0) AS churned_mrr
            FROM months mo CROSS JOIN paying p GROUP BY mo.month
        )
        -- a subscription's plan has one price for its whole life in the OLTP (no plan
        -- history), so no subscription expands or contracts: both are 0 by definition here
        SELECT coalesce(i.month, r.month), coalesce(i.currency, r.currency),
               coalesce(i.n, 0), coalesce(i.paid_n, 0), coalesce(i.due, 0), coalesce(i.paid, 0),
               coalesce(r.mrr, 0), coalesce(r.new_mrr, 0), 0, 0, coalesce(r.churned_mrr, 0)
        FROM inv i FULL JOIN mrr r ON r.month = i.month AND r.currency = i.currency""",
}

# The mart's columns in the order of the recomputation above.
COLUMNS: dict[str, list[str]] = {
    "fct_revenue_events": [
        "revenue_event_id", "master_id", "artist_id", "source_type", "source_name", "status",
        "amount", "currency", "amount_usd", "revenue_month", "period_start", "period_end",
        "created_at", "verified_at", "deposited_at", "hours_to_verify", "hours_to_deposit",
        "deposited_to_contract_id", "deposit_tx_hash",
    ],
    "fct_revenue_monthly": [
        "revenue_month", "master_id", "source_type", "currency", "artist_id", "event_count",
        "amount", "amount_usd", "amount_usd_distributed", "events_missing_usd",
    ],
    "fct_artist_performance": [
        "artist_id", "artist_name", "total_masters", "total_ipos", "total_nfts_minted",
        "total_revenue_usd", "total_vstudio_sessions", "total_vstudio_votes",
        "first_master_created_at", "last_master_created_at",
    ],
    "fct_subscription_invoices_monthly": [
        "invoice_month", "currency", "invoice_count", "paid_invoice_count", "amount_due",
        "amount_paid", "mrr", "new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr",
    ],
}  # fmt: skip


def _mart_rows(warehouse: Warehouse, mart: str) -> list[tuple]:
    """The mart as the finance role reads it."""
    columns = ", ".join(COLUMNS[mart])
    with psycopg.connect(warehouse.replica_dsn("finance")) as conn:
        sql = f"SELECT {columns} FROM {FINANCE_SCHEMA}.{mart}"
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]


@pytest.mark.parametrize("mart", sorted(EXPECTED))
def test_finance_mart_equals_its_recomputation_on_the_primary(any_warehouse: Warehouse, mart: str):
    expected = primary_rows(any_warehouse, EXPECTED[mart])
    assert expected, f"{mart}: the recomputation found no rows; the test would prove nothing"
    assert_same_rows(mart, _mart_rows(any_warehouse, mart), expected)


def test_the_recomputation_tells_a_wrong_mart_apart(warehouse: Warehouse):
    """The comparison is sharp: one cent more on one row, or one row less, is reported."""
    rows = _mart_rows(warehouse, "fct_revenue_monthly")
    amount = COLUMNS["fct_revenue_monthly"].index("amount")
    first = list(rows[0])
    first[amount] += Decimal("0.01")
    with pytest.raises(AssertionError, match="1 expected rows missing, 1 unexpected"):
        assert_same_rows("fct_revenue_monthly", [tuple(first), *rows[1:]], rows)
    with pytest.raises(AssertionError, match="1 expected rows missing, 0 unexpected"):
        assert_same_rows("fct_revenue_monthly", rows[1:], rows)


def test_revenue_data_exercises_the_definitions(any_warehouse: Warehouse):
    """The seeded data reaches the interesting cases: several currencies, deposited and
    distributed events with both lags, artists with and without masters or sessions."""
    with psycopg.connect(any_warehouse.replica_dsn("finance")) as conn:
        currencies, lags = conn.execute(
            f"SELECT count(DISTINCT currency), count(hours_to_deposit) "
            f"FROM {FINANCE_SCHEMA}.fct_revenue_events"
        ).fetchone()  # type: ignore[misc]
        idle, busy = conn.execute(
            f"SELECT count(*) FILTER (WHERE total_vstudio_sessions = 0), "
            f"count(*) FILTER (WHERE total_vstudio_votes > 0) "
            f"FROM {FINANCE_SCHEMA}.fct_artist_performance"
        ).fetchone()  # type: ignore[misc]
    assert currencies >= 2 and lags > 0 and idle > 0 and busy > 0


def test_mrr_bridge_holds_month_to_month(any_warehouse: Warehouse):
    """mrr = previous mrr + new + expansion − contraction − churned, every month, and the
    plan currency has a row for every month (no gaps for the bridge to jump)."""
    columns = COLUMNS["fct_subscription_invoices_monthly"]
    rows = [
        dict(zip(columns, row, strict=True))
        for row in _mart_rows(any_warehouse, "fct_subscription_invoices_monthly")
        if row[1] == PLAN_CURRENCY
    ]
    rows.sort(key=lambda r: r["invoice_month"])
    assert len(rows) >= 2 and any(r["churned_mrr"] > 0 for r in rows)
    previous = Decimal(0)
    for row in rows:
        change = row["new_mrr"] + row["expansion_mrr"] - row["contraction_mrr"]
        assert row["mrr"] == previous + change - row["churned_mrr"], row
        previous = row["mrr"]
    months = [r["invoice_month"] for r in rows]
    for earlier, later in itertools.pairwise(months):
        assert later == _next_month(earlier), f"gap after {earlier}"


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@pytest.mark.parametrize("mart", sorted(EXPECTED))
def test_only_finance_reads_the_finance_mart(warehouse: Warehouse, mart: str):
    with (
        psycopg.connect(warehouse.replica_dsn("analyst")) as conn,
        pytest.raises(errors.InsufficientPrivilege, match="permission denied"),
    ):
        conn.execute(f"SELECT count(*) FROM {FINANCE_SCHEMA}.{mart}")
    with psycopg.connect(warehouse.replica_dsn("finance")) as conn:
        readable = conn.execute(f"SELECT count(*) FROM {FINANCE_SCHEMA}.{mart}").fetchone()
    assert readable is not None and readable[0] > 0


# -- every data test on these marts fails on a real violation ------------------------------

# How to break one row of a mart so that a data test of each kind must report it.
VIOLATIONS: dict[str, str] = {
    "unique_combination": "INSERT INTO {table} SELECT * FROM {table} LIMIT 1",
    "not_null": "UPDATE {table} SET {column} = NULL WHERE ctid = (SELECT min(ctid) FROM {table})",
    "relationships": (
        "UPDATE {table} SET {column} = gen_random_uuid() "
        "WHERE ctid = (SELECT min(ctid) FROM {table})"
    ),
    "accepted_values": (
        "UPDATE {table} SET {column} = 'no-such-value' WHERE ctid = (SELECT min(ctid) FROM {table})"
    ),
}


def _data_tests(warehouse: Warehouse) -> list[tuple[str, str, str | None, str]]:
    """(mart, kind, column, compiled SQL) of every generic data test on the finance marts."""
    # Compile them now: the manifest keeps compiled SQL only for the last run's nodes, and
    # other tests run dbt on the shared warehouse with other selections.
    warehouse.dbt("compile", "--select", "path:models/marts/finance")
    manifest = json.loads((warehouse.target_path / "manifest.json").read_text())
    found = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("compiled_code"):
            continue
        mart = (node.get("attached_node") or "").rsplit(".", 1)[-1]
        if mart in EXPECTED:
            kind = node["test_metadata"]["name"]
            found.append((mart, kind, node.get("column_name"), node["compiled_code"]))
    return found


def _drop_guards(conn: psycopg.Connection, table: str) -> None:
    """Inside the test's transaction: drop the contract's constraints and unique indexes,
    which would refuse the broken row before the data test could see it."""
    for (name,) in conn.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
        "ORDER BY contype <> 'p'",  # a primary key first: it holds its columns' NOT NULL
        (table,),
    ).fetchall():
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')  # type: ignore[arg-type]
    for (index,) in conn.execute(
        "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass "
        "AND indisunique",
        (table,),
    ).fetchall():
        conn.execute(f"DROP INDEX {index}")  # type: ignore[arg-type]
    for (column,) in conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND attnotnull AND NOT attisdropped",
        (table,),
    ).fetchall():
        conn.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL")  # type: ignore[arg-type]


def test_data_tests_fail_on_a_violation(warehouse: Warehouse):
    """Each grain, not_null, relationships and accepted_values test of the finance marts
    passes on the built data and reports one broken row; every change is rolled back."""
    tests = _data_tests(warehouse)
    assert {mart for mart, kind, _, _ in tests if kind == "unique_combination"} == set(EXPECTED)
    assert {kind for _, kind, _, _ in tests} == set(VIOLATIONS)
    with psycopg.connect(warehouse.replica_dsn()) as conn:
        for mart, kind, column, sql in tests:
            table = f"{FINANCE_SCHEMA}.{mart}"
            with conn.transaction(force_rollback=True):
                assert conn.execute(sql).fetchall() == [], (mart, kind, column)  # type: ignore[arg-type]
                _drop_guards(conn, table)
                conn.execute(VIOLATIONS[kind].format(table=table, column=column))  # type: ignore[arg-type]
                assert len(conn.execute(sql).fetchall()) == 1, (mart, kind, column)  # type: ignore[arg-type]
