"""Incremental models: a run after new data, and after a chain reorg deleted the newest
blocks on the primary, gives exactly what a full refresh gives — for every incremental model
and every mart built on them.  The same warehouse then shows that a PII marker written on
the primary reaches no dbt model."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from audifi.replication import wait_for_replica
from oltp.classification import EXCLUDED_COLUMNS
from tests.conftest import Warehouse, built_warehouse
from tests.sample_rows import MARKER_IP, insert_graph

# The chain whose newest blocks a reorg replaces (INV-40): 20,000 Ethereum blocks are 2.8 days,
# inside the models' 3-day incremental lookback, and hold transfers and swaps on `tiny`.
REORG_CHAIN, REORG_BLOCKS = "1", 20_000


@pytest.fixture(scope="module")
def own_warehouse(test_env) -> Iterator[Warehouse]:
    with built_warehouse() as built:
        yield built


def _models(warehouse: Warehouse) -> dict[str, dict]:
    manifest = json.loads((warehouse.target_path / "manifest.json").read_text())
    return {
        node["unique_id"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }


def _compared_relations(warehouse: Warehouse) -> list[str]:
    """Every incremental model and every mart (the marts read the incremental models)."""
    return sorted(
        f"{node['schema']}.{node['alias']}"
        for node in _models(warehouse).values()
        if node["config"]["materialized"] == "incremental"
        or node["schema"] in ("marts", "marts_finance")
    )


def _content(warehouse: Warehouse, relations: list[str]) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent hash of every row, per relation."""
    with psycopg.connect(warehouse.replica_dsn()) as conn:
        return {
            rel: conn.execute(
                f"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
                f"FROM {rel} t"
            ).fetchone()
            for rel in relations
        }


def _incremental_equals_full_refresh(warehouse: Warehouse) -> None:
    warehouse.dbt("run")  # incremental
    relations = _compared_relations(warehouse)
    incremental = _content(warehouse, relations)
    warehouse.dbt("run", "--full-refresh")
    full = _content(warehouse, relations)
    differing = {r: (incremental[r], full[r]) for r in relations if incremental[r] != full[r]}
    assert not differing, f"incremental run differs from a full refresh: {differing}"
    assert sum(count for count, _ in full.values()) > 0


def test_the_project_has_incremental_models_for_the_big_event_tables(own_warehouse):
    incremental = {
        node["name"]: node["config"]
        for node in _models(own_warehouse).values()
        if node["config"]["materialized"] == "incremental"
    }
    sources = " ".join(
        " ".join(node["depends_on"]["nodes"])
        for node in _models(own_warehouse).values()
        if node["config"]["materialized"] == "incremental"
    )
    for table in ("play_events", "nft_transfers", "dividend_events", "vstudio_engagement_events"):
        assert f"stg_oltp__{table}" in sources, f"no incremental model reads {table}"
    for name, config in incremental.items():
        assert config["unique_key"], f"{name} declares no natural key"


def test_incremental_after_appended_days_equals_a_full_refresh(own_warehouse):
    own_warehouse.append_days(2)
    _incremental_equals_full_refresh(own_warehouse)


def test_incremental_after_a_reorg_on_the_primary_equals_a_full_refresh(own_warehouse):
    """`audifi seed --reorg` on the primary: a `dbt build` (models and every data test) passes
    on the replica, the deleted events leave the incremental models, and the result equals a
    full refresh."""
    from audifi.seed import reorg

    orphaned = f"""SELECT id::text FROM oltp.nft_transfers WHERE chain_id = %(chain)s
        AND block_number > (SELECT max(last_indexed_block) FROM oltp.master_contracts
                            WHERE chain_id = %(chain)s) - {REORG_BLOCKS}"""
    with psycopg.connect(own_warehouse.primary_dsn) as conn:
        old_ids = [r[0] for r in conn.execute(orphaned, {"chain": REORG_CHAIN})]
    changed = reorg(own_warehouse.primary_url, REORG_BLOCKS, REORG_CHAIN)
    assert changed["-nft_transfers"] == len(old_ids) > 0, changed
    assert changed["-pool_events"] > 0 and changed["+pool_events"] > 0, changed
    wait_for_replica(own_warehouse.cluster, timeout=120)
    own_warehouse.dbt("build")  # incremental, with every data test
    with psycopg.connect(own_warehouse.replica_dsn()) as conn:
        left = conn.execute(
            "SELECT count(*) FROM intermediate.int_nfts__transfers "
            "WHERE nft_transfer_id = ANY(%s::uuid[])",
            (old_ids,),
        ).fetchone()[0]
    assert left == 0, "rows deleted on the primary survived in the incremental model"
    _incremental_equals_full_refresh(own_warehouse)


def test_a_pii_marker_on_the_primary_reaches_no_dbt_model(own_warehouse):
    marker = f"PIIMARK{uuid.uuid4().hex}"
    with psycopg.connect(own_warehouse.primary_dsn, autocommit=True) as conn:
        insert_graph(conn, marker)
        on_primary = conn.execute(
            "SELECT count(*) FROM oltp.users u WHERE u::text LIKE %s", (f"%{marker}%",)
        ).fetchone()[0]
    assert on_primary > 0 and EXCLUDED_COLUMNS
    wait_for_replica(own_warehouse.cluster, timeout=120)
    own_warehouse.dbt("run")
    with psycopg.connect(own_warehouse.replica_dsn()) as conn:
        relations = conn.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_schema IN ('staging', 'intermediate', 'marts', 'marts_finance')"
        ).fetchall()
        assert len(relations) > 40
        hits = [
            rel
            for (rel,) in relations
            if conn.execute(
                f"SELECT count(*) FROM {rel} t WHERE t::text LIKE %s OR t::text LIKE %s",
                (f"%{marker}%", f"%{MARKER_IP}%"),
            ).fetchone()[0]
        ]
    assert hits == [], f"the PII marker reached {hits}"
