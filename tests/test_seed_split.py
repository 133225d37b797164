"""Split invariance: ``tiny`` seeded for its whole history equals, table by table, ``tiny``
seeded without its last 5 days and then extended by ``--append-days 2`` and ``3``, except for
the tables listed (with the reason) in ``SPLIT_DIFFERENCES``.

The listed tables belong to domains whose full seed and appended days are still separate
simulations (docs/seed.md, "Split invariance"); a domain made one simulation leaves the list,
and a table that starts to differ without being listed fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from audifi.seed import append_days, seed_database
from audifi.seed.hashing import table_hashes
from audifi.seed.timeline import AS_OF, DAY
from tests.conftest import temporary_database
from tests.test_seed import INVARIANTS, _rows

NOT_YET_ONE_SIMULATION = "appended days still simulate this domain separately from the seed"
# table -> why the split history differs from the whole one
SPLIT_DIFFERENCES: dict[str, str] = {
    "artists": "total_sales counts the NFT sales (IPOs/NFTs)",
    "play_events": "plays: " + NOT_YET_ONE_SIMULATION,
    **dict.fromkeys(
        ["master_ipos", "master_contracts", "master_nfts", "nft_transfers"],
        "IPOs/NFTs: " + NOT_YET_ONE_SIMULATION,
    ),
    **dict.fromkeys(
        [
            "revenue_events",
            "dsp_stream_reports",
            "dividend_contracts",
            "dividend_events",
            "dividend_claims",
            "wallet_dividend_balances",
            "nft_ownership_snapshots",
        ],
        "revenue/dividends: " + NOT_YET_ONE_SIMULATION,
    ),
    **dict.fromkeys(
        ["subscriptions", "invoices", "payment_methods", "webhooks_log"],
        "billing: " + NOT_YET_ONE_SIMULATION,
    ),
    **dict.fromkeys(
        [
            "vstudio_sessions",
            "vstudio_decision_points",
            "vstudio_participants",
            "vstudio_votes",
            "vstudio_chat_messages",
            "vstudio_engagement_events",
        ],
        "V Studio: " + NOT_YET_ONE_SIMULATION,
    ),
    **dict.fromkeys(
        ["audit_logs", "security_events", "system_events", "rate_limits"],
        "observability: " + NOT_YET_ONE_SIMULATION,
    ),
}


@pytest.fixture(scope="module")
def split(servers) -> Iterator[tuple[dict[str, str], dict[str, str], str]]:
    """(whole history's table hashes, split history's, the split database's URL)."""
    with (
        temporary_database(servers, "whole") as whole,
        temporary_database(servers, "split") as parts,
    ):
        seed_database(whole, "tiny", seed=42, progress=False)
        seed_database(parts, "tiny", seed=42, progress=False, end=AS_OF - 5 * DAY)
        append_days(parts, 2, seed=42, progress=False)
        append_days(parts, 3, seed=42, progress=False)
        yield table_hashes(whole), table_hashes(parts), parts


def test_split_history_differs_only_where_documented(split) -> None:
    whole, parts, _ = split
    assert whole.keys() == parts.keys()
    differ = {t for t in whole if whole[t] != parts[t]}
    undocumented = differ - SPLIT_DIFFERENCES.keys()
    assert not undocumented, (
        f"tables differ between the whole and the split history: {undocumented}"
    )
    # the domains made one simulation (identity, artists/masters, coins/pools) and the
    # catalogues are byte-identical
    same = {
        *("users", "accounts", "user_wallets", "user_roles", "roles", "subscription_plans"),
        *("producers", "masters", "master_collaborators", "artist_follows"),
        *("artist_tokens", "token_holders", "liquidity_pools", "pool_positions", "pool_events"),
    }
    assert same <= set(whole) - differ


@pytest.mark.parametrize("name", sorted(INVARIANTS))
def test_invariant_holds_on_the_split_history(split, name: str) -> None:
    violations = _rows(split[2], INVARIANTS[name])
    assert violations == [], f"{name}: {len(violations)} violating rows, e.g. {violations[:3]}"
