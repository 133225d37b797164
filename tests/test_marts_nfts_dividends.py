"""The NFT/IPO and dividend marts equal their definitions (marts.md) recomputed from the OLTP
tables on the PRIMARY with independent SQL: whole tables, exact for base units and counts.

The recomputations avoid the dbt models' techniques on purpose: ownership as of a point is a
LATERAL "latest transfer before (block, log index)" per token instead of interval windows,
sums are correlated subqueries, and days come from a UTC session instead of the macros.
"""

from __future__ import annotations

import json

import psycopg
import pytest

from tests.conftest import Warehouse
from tests.recount import assert_same_rows, primary_rows

ZERO = "0x0000000000000000000000000000000000000000"

# Each holder's tokens just before each per_master distribution: for every NFT of the
# contract's master on the contract's chain, the receiver of its latest transfer strictly
# before the distribution, ordered by (block_number, log_index); ZERO left out.
ALLOCATIONS_CTE = f"""
allocations AS (
    SELECT e.id AS distribution_event_id, lower(owner.to_wallet) AS wallet_address,
           count(*) AS tokens_held, count(*) * e.per_token_amount AS allocated
    FROM oltp.dividend_events e
    JOIN oltp.dividend_contracts c
      ON c.id = e.dividend_contract_id AND c.distribution_model = 'per_master'
    JOIN oltp.master_nfts n ON n.master_id = c.master_id AND n.chain_id = e.chain_id
    CROSS JOIN LATERAL (
        SELECT t.to_wallet FROM oltp.nft_transfers t
        WHERE t.master_nft_id = n.id
          AND (t.block_number, t.log_index) < (e.block_number, e.log_index)
        ORDER BY t.block_number DESC, t.log_index DESC
        LIMIT 1
    ) owner
    WHERE e.event_type = 'distribution' AND lower(owner.to_wallet) <> '{ZERO}'
    GROUP BY e.id, lower(owner.to_wallet), e.per_token_amount
)"""

EXPECTED: dict[str, str] = {
    "fct_master_ipo_metrics": f"""
        SELECT m.id, m.artist_id, m.title, i.status::text, i.mint_price_currency,
               i.total_supply, i.minted_supply, minted.n,
               round(minted.n * 100::numeric / i.total_supply, 10),
               i.minted_supply - minted.n, i.mint_price_wei,
               (SELECT count(DISTINCT lower(latest.to_wallet))
                FROM oltp.master_nfts n
                CROSS JOIN LATERAL (
                    SELECT t.to_wallet FROM oltp.nft_transfers t WHERE t.master_nft_id = n.id
                    ORDER BY t.block_number DESC, t.log_index DESC LIMIT 1
                ) latest
                WHERE n.master_id = m.id AND lower(latest.to_wallet) <> '{ZERO}'),
               (SELECT count(*) FROM oltp.nft_transfers t
                WHERE t.master_id = m.id AND t.transfer_type = 'sale'),
               (SELECT count(*) FROM oltp.nft_transfers t WHERE t.master_id = m.id)
        FROM oltp.masters m
        LEFT JOIN oltp.master_ipos i ON i.master_id = m.id
        CROSS JOIN LATERAL (
            SELECT count(*) AS n FROM oltp.master_nfts n WHERE n.master_id = m.id
        ) minted
        WHERE m.status = 'live'""",
    "fct_nft_sales_daily": """
        SELECT n.minted_at::date, n.master_id, n.chain_id, i.mint_price_currency, 'primary',
               count(*), coalesce(sum(n.mint_price_wei), 0), 0,
               count(*) - count(n.mint_price_wei)
        FROM oltp.master_nfts n JOIN oltp.master_ipos i ON i.master_id = n.master_id
        GROUP BY n.minted_at::date, n.master_id, n.chain_id, i.mint_price_currency
        UNION ALL
        SELECT t.block_timestamp::date, t.master_id, t.chain_id, t.sale_currency, 'secondary',
               count(*), coalesce(sum(t.sale_price_wei), 0), coalesce(sum(t.royalty_paid_wei), 0),
               count(*) - count(t.sale_price_wei)
        FROM oltp.nft_transfers t WHERE t.transfer_type = 'sale'
        GROUP BY t.block_timestamp::date, t.master_id, t.chain_id, t.sale_currency""",
    "fct_dividend_distributions": f"""
        WITH {ALLOCATIONS_CTE},
        per_distribution AS (
            SELECT distribution_event_id, count(*) AS holders, sum(tokens_held) AS tokens,
                   sum(allocated) AS amount
            FROM allocations GROUP BY distribution_event_id
        )
        SELECT e.id, e.dividend_contract_id, e.master_id, c.artist_id, e.revenue_event_id,
               c.distribution_model::text, e.chain_id, e.currency, lower(e.tx_hash),
               e.block_number, e.log_index, e.total_amount, e.per_token_amount,
               e.total_holders_at_distribution,
               CASE WHEN c.distribution_model = 'per_master' THEN coalesce(p.holders, 0) END,
               CASE WHEN c.distribution_model = 'per_master' THEN coalesce(p.tokens, 0) END,
               CASE WHEN c.distribution_model = 'per_master' THEN coalesce(p.amount, 0) END,
               CASE WHEN c.distribution_model = 'per_master'
                    THEN e.total_amount - coalesce(p.amount, 0) END,
               e.block_timestamp::date, e.block_timestamp
        FROM oltp.dividend_events e
        JOIN oltp.dividend_contracts c ON c.id = e.dividend_contract_id
        LEFT JOIN per_distribution p ON p.distribution_event_id = e.id
        WHERE e.event_type = 'distribution'""",
    "fct_dividend_contract_balances": """
        WITH keys AS (
            SELECT dividend_contract_id AS contract_id, currency FROM oltp.dividend_events
            WHERE event_type IN ('deposit', 'distribution')
            UNION
            SELECT dividend_contract_id, currency FROM oltp.dividend_claims
        ),
        sums AS (
            SELECT k.contract_id, k.currency,
                   (SELECT coalesce(sum(total_amount), 0) FROM oltp.dividend_events e
                    WHERE e.dividend_contract_id = k.contract_id AND e.currency = k.currency
                      AND e.event_type = 'deposit') AS deposited,
                   (SELECT coalesce(sum(total_amount), 0) FROM oltp.dividend_events e
                    WHERE e.dividend_contract_id = k.contract_id AND e.currency = k.currency
                      AND e.event_type = 'distribution') AS distributed,
                   (SELECT coalesce(sum(amount_claimed), 0) FROM oltp.dividend_claims d
                    WHERE d.dividend_contract_id = k.contract_id
                      AND d.currency = k.currency) AS claimed,
                   (SELECT count(*) FROM oltp.dividend_events e
                    WHERE e.dividend_contract_id = k.contract_id AND e.currency = k.currency
                      AND e.event_type = 'deposit') AS deposits,
                   (SELECT count(*) FROM oltp.dividend_events e
                    WHERE e.dividend_contract_id = k.contract_id AND e.currency = k.currency
                      AND e.event_type = 'distribution') AS distributions,
                   (SELECT count(*) FROM oltp.dividend_claims d
                    WHERE d.dividend_contract_id = k.contract_id
                      AND d.currency = k.currency) AS claims
            FROM keys k
        )
        SELECT s.contract_id, s.currency, c.master_id, c.artist_id, c.distribution_model::text,
               c.chain_id, lower(c.contract_address), s.deposited, s.distributed, s.claimed,
               s.deposited - s.distributed, s.distributed - s.claimed,
               s.deposits, s.distributions, s.claims
        FROM sums s JOIN oltp.dividend_contracts c ON c.id = s.contract_id""",
    "fct_wallet_dividends": """
        SELECT lower(b.wallet_address), b.dividend_contract_id, b.master_id, b.chain_id,
               b.currency, b.total_earned, coalesce(cl.claimed, 0),
               b.total_earned - coalesce(cl.claimed, 0), cl.claims, b.tokens_held, cl.last_at
        FROM oltp.wallet_dividend_balances b
        CROSS JOIN LATERAL (
            SELECT sum(d.amount_claimed) AS claimed, count(*) AS claims,
                   max(d.block_timestamp) AS last_at
            FROM oltp.dividend_claims d
            WHERE lower(d.wallet_address) = lower(b.wallet_address)
              AND d.dividend_contract_id = b.dividend_contract_id
              AND d.master_id = b.master_id AND d.chain_id = b.chain_id
              AND d.currency = b.currency
        ) cl""",
    "fct_dividend_allocations": f"""
        WITH {ALLOCATIONS_CTE}
        SELECT a.distribution_event_id, a.wallet_address, e.dividend_contract_id, c.master_id,
               e.chain_id, e.currency, e.block_number, e.log_index, a.tokens_held,
               e.per_token_amount, a.allocated, e.block_timestamp
        FROM allocations a
        JOIN oltp.dividend_events e ON e.id = a.distribution_event_id
        JOIN oltp.dividend_contracts c ON c.id = e.dividend_contract_id""",
}

# The mart's columns in the order of the recomputation above.
COLUMNS: dict[str, list[str]] = {
    "fct_master_ipo_metrics": [
        "master_id", "artist_id", "title", "ipo_status", "mint_price_currency",
        "total_supply", "minted_supply", "nfts_minted", "percent_minted",
        "minted_supply_drift", "mint_price_wei", "unique_holders", "secondary_sales_count",
        "transfers_count",
    ],
    "fct_nft_sales_daily": [
        "sale_date", "master_id", "chain_id", "currency", "sale_kind", "sales_count",
        "volume_wei", "royalties_wei", "unpriced_sales_count",
    ],
    "fct_dividend_distributions": [
        "dividend_event_id", "dividend_contract_id", "master_id", "artist_id",
        "revenue_event_id", "distribution_model", "chain_id", "currency", "tx_hash",
        "block_number", "log_index", "total_amount", "per_token_amount",
        "total_holders_at_distribution", "allocated_holders", "allocated_tokens",
        "allocated_amount", "unallocated_amount", "distribution_date", "block_timestamp",
    ],
    "fct_dividend_contract_balances": [
        "dividend_contract_id", "currency", "master_id", "artist_id", "distribution_model",
        "chain_id", "contract_address", "deposited", "distributed", "claimed",
        "undistributed", "unclaimed_liability", "deposit_count", "distribution_count",
        "claim_count",
    ],
    "fct_wallet_dividends": [
        "wallet_address", "dividend_contract_id", "master_id", "chain_id", "currency",
        "total_earned", "total_claimed", "claimable", "claim_count", "tokens_held_cached",
        "last_claimed_at",
    ],
    "fct_dividend_allocations": [
        "distribution_event_id", "wallet_address", "dividend_contract_id", "master_id",
        "chain_id", "currency", "block_number", "log_index", "tokens_held",
        "per_token_amount", "allocated", "block_timestamp",
    ],
}  # fmt: skip


def _mart_rows(warehouse: Warehouse, mart: str) -> list[tuple]:
    columns = ", ".join(COLUMNS[mart])
    with psycopg.connect(warehouse.replica_dsn()) as conn:
        return conn.execute(f"SELECT {columns} FROM marts.{mart}").fetchall()  # type: ignore[arg-type]


@pytest.mark.parametrize("mart", sorted(EXPECTED))
def test_mart_equals_its_recomputation_on_the_primary(any_warehouse: Warehouse, mart: str):
    expected = primary_rows(any_warehouse, EXPECTED[mart])
    actual = _mart_rows(any_warehouse, mart)
    assert expected, f"{mart}: the recomputation found no rows; the test would prove nothing"
    assert_same_rows(mart, actual, expected)


def test_every_nft_and_sale_lands_in_the_daily_sales(any_warehouse: Warehouse):
    """No mint or sale is left out for want of a day or currency (the data has none)."""
    with psycopg.connect(any_warehouse.primary_dsn) as conn:
        nfts, sales = conn.execute(
            "SELECT (SELECT count(*) FROM oltp.master_nfts),"
            " (SELECT count(*) FROM oltp.nft_transfers WHERE transfer_type = 'sale')"
        ).fetchone()  # type: ignore[misc]
    with psycopg.connect(any_warehouse.replica_dsn()) as conn:
        counted = dict(
            conn.execute(
                "SELECT sale_kind, sum(sales_count) FROM marts.fct_nft_sales_daily GROUP BY 1"
            ).fetchall()
        )
    assert counted == {"primary": nfts, "secondary": sales}


def test_allocations_reconcile_with_wallet_balances_on_the_primary(any_warehouse: Warehouse):
    """marts.md: Σ allocated per (wallet, contract) = wallet_dividend_balances.total_earned,
    to the base unit, straight from the OLTP tables (balances of per_master contracts)."""
    mismatches = primary_rows(
        any_warehouse,
        f"""
        WITH {ALLOCATIONS_CTE},
        allocated AS (
            SELECT a.wallet_address, e.dividend_contract_id, sum(a.allocated) AS allocated
            FROM allocations a JOIN oltp.dividend_events e ON e.id = a.distribution_event_id
            GROUP BY a.wallet_address, e.dividend_contract_id
        ),
        earned AS (
            SELECT lower(b.wallet_address) AS wallet_address, b.dividend_contract_id,
                   sum(b.total_earned) AS earned
            FROM oltp.wallet_dividend_balances b
            JOIN oltp.dividend_contracts c ON c.id = b.dividend_contract_id
            WHERE c.distribution_model = 'per_master'
            GROUP BY lower(b.wallet_address), b.dividend_contract_id
        )
        SELECT coalesce(a.wallet_address, e.wallet_address),
               coalesce(a.dividend_contract_id, e.dividend_contract_id),
               coalesce(a.allocated, 0), coalesce(e.earned, 0)
        FROM allocated a
        FULL JOIN earned e USING (wallet_address, dividend_contract_id)
        WHERE coalesce(a.allocated, 0) <> coalesce(e.earned, 0)""",
    )
    assert mismatches == []
    (allocated,) = primary_rows(
        any_warehouse, f"WITH {ALLOCATIONS_CTE} SELECT count(*) FROM allocations"
    )[0]
    assert allocated > 0, "no allocations: the reconciliation would prove nothing"


# -- the data tests on these marts fail on a real violation -------------------------------


def _compiled_tests(warehouse: Warehouse) -> dict[str, list[str]]:
    """Compiled SQL of the grain tests of each mart, and of the reconciliation test."""
    # Compile them now: the manifest keeps compiled SQL only for the last run's nodes, and
    # other tests run dbt on the shared warehouse with other selections.
    warehouse.dbt(
        "compile",
        "--select",
        "path:models/marts/nfts path:models/marts/dividends path:tests/dividends",
    )
    manifest = json.loads((warehouse.target_path / "manifest.json").read_text())
    found: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("compiled_code"):
            continue
        if node["name"] == "assert_dividend_allocations_reconcile_with_balances":
            found.setdefault("reconciliation", []).append(node["compiled_code"])
        elif (node.get("test_metadata") or {}).get("name") == "unique_combination":
            model = node["attached_node"].rsplit(".", 1)[-1]
            if model in EXPECTED:
                found.setdefault(model, []).append(node["compiled_code"])
    return found


def _drop_unique_guards(conn: psycopg.Connection, mart: str) -> None:
    """Inside the test's transaction: drop the primary key and unique indexes, which would
    otherwise refuse the duplicate before the data test could see it."""
    rows = conn.execute(
        "SELECT i.indexrelid::regclass::text, con.conname FROM pg_index i "
        "LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass AND i.indisunique",
        (f"marts.{mart}",),
    ).fetchall()
    for index, constraint in rows:
        if constraint:
            conn.execute(f'ALTER TABLE marts.{mart} DROP CONSTRAINT "{constraint}"')  # type: ignore[arg-type]
        else:
            conn.execute(f"DROP INDEX {index}")  # type: ignore[arg-type]


def test_grain_and_reconciliation_tests_fail_on_a_violation(warehouse: Warehouse):
    """Each mart's grain test finds a duplicated row, and the reconciliation test finds one
    allocation off by one base unit; every change is rolled back."""
    compiled = _compiled_tests(warehouse)
    assert set(compiled) == {*EXPECTED, "reconciliation"}
    with psycopg.connect(warehouse.replica_dsn()) as conn:
        for mart in EXPECTED:
            with conn.transaction(force_rollback=True):
                for sql in compiled[mart]:
                    assert conn.execute(sql).fetchall() == []  # type: ignore[arg-type]
                _drop_unique_guards(conn, mart)
                conn.execute(  # type: ignore[arg-type]
                    f"INSERT INTO marts.{mart} SELECT * FROM marts.{mart} LIMIT 1"
                )
                for sql in compiled[mart]:
                    assert len(conn.execute(sql).fetchall()) == 1, mart  # type: ignore[arg-type]
        with conn.transaction(force_rollback=True):
            (sql,) = compiled["reconciliation"]
            assert conn.execute(sql).fetchall() == []  # type: ignore[arg-type]
            conn.execute(
                "UPDATE marts.fct_dividend_allocations SET allocated = allocated + 1 "
                "WHERE ctid = (SELECT min(ctid) FROM marts.fct_dividend_allocations)"
            )
            assert len(conn.execute(sql).fetchall()) == 1  # type: ignore[arg-type]
