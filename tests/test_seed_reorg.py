"""``reorg`` (``audifi seed --reorg BLOCKS --chain ID``): the newest blocks of one chain are
replaced by a different history, what their events fed is rolled back and rebuilt, every
invariant holds afterwards, nothing outside those blocks changes, the result is deterministic,
and bad input changes nothing.

Runs on ``tiny`` (seed 42) in the module's real PostgreSQL database (``fresh_primary_url``).
The dbt side (a `dbt build` on the replica after a reorg, incremental = full refresh) is in
``tests/test_incremental.py``.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from audifi.errors import AudifiError
from audifi.scratch import create_database, drop_database
from audifi.seed import append_days, content_hash, reorg, seed_database
from audifi.seed.chain_reorg import swap_output
from tests.test_seed import INVARIANTS, _rows, _truncate_all

CHAIN, BLOCKS = "1", 20_000  # 2.8 days of Ethereum blocks: transfers, swaps and dividends
EVENT_TABLES = ("nft_transfers", "dividend_events", "dividend_claims", "pool_events")
HEAD = """(SELECT max(b) FROM (
    SELECT max(last_indexed_block) b FROM oltp.master_contracts WHERE chain_id = '{c}'
    UNION ALL SELECT max(last_indexed_block) FROM oltp.dividend_contracts WHERE chain_id = '{c}'
    UNION ALL SELECT max(last_indexed_block) FROM oltp.artist_tokens WHERE chain_id = '{c}'
    UNION ALL SELECT max(last_indexed_block) FROM oltp.liquidity_pools WHERE chain_id = '{c}'
    ) h)"""


def _events(url: str, chain: str, inside: bool) -> dict[str, set[tuple[Any, ...]]]:
    """Each chain-event table's rows (as text, id included) inside or outside the newest blocks."""
    cond = (
        f"chain_id = '{chain}' AND block_number > {HEAD.format(c=chain)} - {BLOCKS}"
        if inside
        else f"NOT (chain_id = '{chain}' AND block_number > {HEAD.format(c=chain)} - {BLOCKS})"
    )
    return {
        t: set(_rows(url, f"SELECT t::text FROM oltp.{t} t WHERE {cond}")) for t in EVENT_TABLES
    }


@pytest.fixture(scope="module")
def reorged(fresh_primary_url: str) -> dict[str, Any]:
    url = fresh_primary_url
    _truncate_all(url)
    seed_database(url, "tiny", seed=42, progress=False)
    before = {
        "inside": _events(url, CHAIN, inside=True),
        "outside": _events(url, CHAIN, inside=False),
        "owners": dict(_rows(url, "SELECT id, current_owner_wallet FROM oltp.master_nfts")),
        "balances": dict(_rows(url, "SELECT id, balance FROM oltp.token_holders")),
        "swaps": _swaps(url),
    }
    changed = reorg(url, BLOCKS, CHAIN, seed=42)
    return {"url": url, "before": before, "changed": changed, "hash": content_hash(url)}


@pytest.mark.parametrize("name", list(INVARIANTS))
def test_invariant_holds_after_a_reorg(reorged: dict[str, Any], name: str) -> None:
    violations = _rows(reorged["url"], INVARIANTS[name])
    assert violations == [], f"{name}: {len(violations)} violating rows, e.g. {violations[:3]}"


def test_the_newest_blocks_hold_a_different_history(reorged: dict[str, Any]) -> None:
    url, before, changed = reorged["url"], reorged["before"], reorged["changed"]
    after = _events(url, CHAIN, inside=True)
    for table in EVENT_TABLES:
        assert changed[f"-{table}"] == len(before["inside"][table]), table
        assert changed[f"+{table}"] == len(after[table]), table
        # every orphaned row is gone (new ids even where the content is the same)
        assert not before["inside"][table] & after[table], table
    assert changed["-nft_transfers"] > 0 and changed["-pool_events"] > 0
    # the new branch drops events (trailing transfers, coin sales) and re-prices purchases
    assert changed["+nft_transfers"] < changed["-nft_transfers"]
    assert changed["+pool_events"] < changed["-pool_events"]
    swaps = _swaps(url)
    assert swaps.keys() < before["swaps"].keys()
    assert any(swaps[tx] != before["swaps"][tx] for tx in swaps), "no purchase was re-priced"
    # the derived state moved with it: NFT owners and coin balances changed somewhere
    owners = dict(_rows(url, "SELECT id, current_owner_wallet FROM oltp.master_nfts"))
    balances = dict(_rows(url, "SELECT id, balance FROM oltp.token_holders"))
    assert owners != before["owners"] and balances != before["balances"]


def _swaps(url: str) -> dict[str, int]:
    """The coins each swap in the newest blocks moved, by transaction."""
    return dict(
        _rows(
            url,
            f"""SELECT tx_hash, amount0 FROM oltp.pool_events WHERE event_type = 'swap'
                AND chain_id = '{CHAIN}' AND block_number > {HEAD.format(c=CHAIN)} - {BLOCKS}""",
        )
    )


def test_reserves_follow_each_pools_newest_swap(reorged: dict[str, Any]) -> None:
    """Where a pool's newest event is a swap, the stored reserves are what the constant-product
    rule leaves after it (bought or sold coins): a rollback that re-priced the new branch's
    purchases but kept the old reserves fails here."""
    rows = _rows(
        reorged["url"],
        f"""SELECT p.reserve0, p.reserve1, e.amount0, e.amount1
            FROM oltp.liquidity_pools p
            JOIN LATERAL (SELECT * FROM oltp.pool_events e WHERE e.liquidity_pool_id = p.id
                          ORDER BY block_number DESC, created_at DESC LIMIT 1) e ON true
            WHERE e.event_type = 'swap' AND p.chain_id = '{CHAIN}'
              AND e.block_number > {HEAD.format(c=CHAIN)} - {BLOCKS}""",
    )
    assert rows, "no pool's newest event is a swap of the new branch"
    for r0, r1, a0, a1 in ((int(x) for x in row) for row in rows):
        bought = a0 == swap_output(r1 - a1, r0 + a0, a1)
        sold = a1 == swap_output(r0 - a0, r1 + a1, a0)
        assert bought or sold, (r0, r1, a0, a1)


def test_nothing_outside_the_newest_blocks_changes(reorged: dict[str, Any]) -> None:
    assert _events(reorged["url"], CHAIN, inside=False) == reorged["before"]["outside"]


def test_deterministic(reorged: dict[str, Any]) -> None:
    """The same seed and reorg give the same content (the module's data is rebuilt as it was)."""
    url, digest = reorged["url"], reorged["hash"]
    _truncate_all(url)
    seed_database(url, "tiny", seed=42, progress=False)
    reorg(url, BLOCKS, CHAIN, seed=42)
    assert content_hash(url) == digest


@pytest.mark.parametrize(
    ("blocks", "chain", "fragment"),
    [
        (0, CHAIN, "at least 1"),
        (-5, CHAIN, "at least 1"),
        (10, "5", "unknown chain"),
        (10, "solana", "unknown chain"),
        (10**9, CHAIN, "choose fewer blocks"),  # back past the pools' creation
    ],
)
def test_bad_input_changes_nothing(
    reorged: dict[str, Any], blocks: int, chain: str, fragment: str
) -> None:
    url = reorged["url"]
    digest = content_hash(url)
    with pytest.raises(AudifiError, match=fragment):
        reorg(url, blocks, chain)
    assert content_hash(url) == digest


def test_an_empty_or_unmigrated_database_is_refused(servers, scratch_database: str) -> None:
    with pytest.raises(AudifiError, match="not migrated"):
        reorg(scratch_database, 10, CHAIN)
    server, name = servers[0].url(), f"reorg_empty_{os.getpid()}"
    url = create_database(server, name).render_as_string(hide_password=False)
    try:
        with pytest.raises(AudifiError, match="nothing to reorg"):
            reorg(url, 10, CHAIN)
    finally:
        drop_database(server, name)


def test_appending_after_a_reorg_and_reorganising_again_keeps_every_invariant(servers) -> None:
    """A reorg leaves state ``append_days`` can continue from, and the appended blocks can be
    reorganised in turn (on another chain, so both paths meet Polygon's fresh blocks)."""
    server, name = servers[0].url(), f"reorg_append_{os.getpid()}"
    url = create_database(server, name).render_as_string(hide_password=False)
    try:
        seed_database(url, "tiny", seed=42, progress=False)
        reorg(url, BLOCKS, CHAIN, seed=42)
        added = append_days(url, 2, seed=42, progress=False)
        assert added["pool_events"] > 0 and added["nft_transfers"] > 0
        again = reorg(url, 60_000, "137", seed=42)  # 33 hours of the appended days
        assert again["-pool_events"] + again["-nft_transfers"] > 0, again
        broken = {rule: len(_rows(url, sql)) for rule, sql in INVARIANTS.items()}
        assert {k: v for k, v in broken.items() if v} == {}
    finally:
        drop_database(server, name)
