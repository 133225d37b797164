"""Split invariance: ``tiny`` seeded for its whole history equals, table by table, ``tiny``
seeded without its last 5 days and then extended by ``--append-days 2`` and ``3``, except for
the tables listed (with the reason) in ``SPLIT_DIFFERENCES``.

The listed tables belong to domains whose full seed and appended days are still separate
simulations (docs/seed.md, "Split invariance"); a domain made one simulation leaves the list,
and a table that starts to differ without being listed fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from audifi.seed import append_days, observability, seed_database
from audifi.seed.hashing import table_hashes
from audifi.seed.timeline import AS_OF, DAY
from tests.conftest import temporary_database
from tests.test_seed import INVARIANTS, _rows

NOT_YET_ONE_SIMULATION = "appended days still simulate this domain separately from the seed"
# table -> why the split history differs from the whole one
SPLIT_DIFFERENCES: dict[str, str] = {
    "master_nfts": "total_dividends_received is paid by the dividends (revenue/dividends)",
    "revenue_events": "a deposit to a master's contract: its contract, tx hash and block follow "
    "the per-master dividend contracts (revenue/dividends); the rest is one simulation "
    "(test_revenue_is_one_simulation)",
    **dict.fromkeys(
        [
            "dividend_contracts",
            "dividend_events",
            "dividend_claims",
            "wallet_dividend_balances",
            "nft_ownership_snapshots",
        ],
        "revenue/dividends: " + NOT_YET_ONE_SIMULATION,
    ),
}


@contextmanager
def histories(servers) -> Iterator[tuple[str, str]]:
    """The URLs of ``tiny`` seeded whole, and seeded 5 days short then appended 2 + 3 days."""
    with (
        temporary_database(servers, "whole") as whole,
        temporary_database(servers, "split") as parts,
    ):
        seed_database(whole, "tiny", seed=42, progress=False)
        seed_database(parts, "tiny", seed=42, progress=False, end=AS_OF - 5 * DAY)
        append_days(parts, 2, seed=42, progress=False)
        append_days(parts, 3, seed=42, progress=False)
        yield whole, parts


@pytest.fixture(scope="module")
def split(servers) -> Iterator[tuple[dict[str, str], dict[str, str], str, str]]:
    """(whole history's table hashes, split history's, the split and the whole database's
    URLs)."""
    with histories(servers) as (whole, parts):
        yield table_hashes(whole), table_hashes(parts), parts, whole


def test_split_history_differs_only_where_documented(split) -> None:
    whole, parts, _, _ = split
    assert whole.keys() == parts.keys()
    differ = {t for t in whole if whole[t] != parts[t]}
    undocumented = differ - SPLIT_DIFFERENCES.keys()
    assert not undocumented, (
        f"tables differ between the whole and the split history: {undocumented}"
    )
    # the domains made one simulation (identity, artists/masters, plays, billing,
    # observability, coins/pools, IPOs/NFTs, V Studio) and the catalogues are byte-identical
    same = {
        *("users", "accounts", "user_wallets", "user_roles", "roles", "subscription_plans"),
        *("artists", "producers", "masters", "master_collaborators", "artist_follows"),
        *("master_ipos", "master_contracts", "nft_transfers", "audit_logs"),
        "play_events",
        *("subscriptions", "invoices", "payment_methods", "webhooks_log"),
        *("security_events", "system_events", "rate_limits"),
        *("artist_tokens", "token_holders", "liquidity_pools", "pool_positions", "pool_events"),
        *("vstudio_sessions", "vstudio_decision_points", "vstudio_participants"),
        *("vstudio_votes", "vstudio_chat_messages", "vstudio_engagement_events"),
        "dsp_stream_reports",
    }
    assert same <= set(whole) - differ


def test_nfts_but_their_dividends_are_identical(split) -> None:
    """Tokens (IPOs/NFTs: one simulation) but the dividends they received (not yet one)."""
    cols = _rows(
        split[3],
        """SELECT string_agg(column_name, ', ' ORDER BY ordinal_position)
           FROM information_schema.columns WHERE table_schema = 'oltp'
             AND table_name = 'master_nfts' AND column_name <> 'total_dividends_received'""",
    )[0][0]
    sql = f"SELECT {cols} FROM oltp.master_nfts ORDER BY id"
    assert _rows(split[2], sql) == _rows(split[3], sql)


def test_audit_rows_of_every_action_are_there(split) -> None:
    """Logins, new masters and IPO launches (each one simulation) all write audit rows."""
    actions = _rows(split[3], "SELECT DISTINCT action FROM oltp.audit_logs ORDER BY 1")
    assert actions == [("create_master",), ("launch_ipo",), ("login",)]


def test_revenue_is_one_simulation(split) -> None:
    """Revenue events are the same but for where and when a deposit was mined, which follows
    the deposit's contract: a master's contract comes with its IPO (not yet one simulation)."""
    sql = """SELECT id, master_id, source_type, source_name, amount, currency, amount_usd,
                    period_start, period_end, status, verified_at, verified_by,
                    external_reference, metadata, created_at
             FROM oltp.revenue_events ORDER BY id"""
    whole = _rows(split[3], sql)
    assert whole == _rows(split[2], sql)
    assert {r[9] for r in whole} >= {"pending", "verified", "distributed"}


def test_investigations_cross_the_split(servers, monkeypatch) -> None:
    """Security events investigated after the day an append starts (many more than ``tiny``
    has) come out the same: appended days move the days before them on."""
    monkeypatch.setattr(observability, "SECURITY_VISITORS", 40.0)
    with histories(servers) as (whole, parts):
        cuts = [datetime.fromtimestamp(AS_OF - d * DAY, UTC) for d in (5, 3)]
        crossing = """SELECT count(*) FROM oltp.security_events
                      WHERE created_at < %s AND investigated_at >= %s"""
        assert all(_rows(whole, crossing % (f"'{c}'", f"'{c}'"))[0][0] for c in cuts)
        assert table_hashes(whole)["security_events"] == table_hashes(parts)["security_events"]


@pytest.mark.parametrize("name", sorted(INVARIANTS))
def test_invariant_holds_on_the_split_history(split, name: str) -> None:
    violations = _rows(split[2], INVARIANTS[name])
    assert violations == [], f"{name}: {len(violations)} violating rows, e.g. {violations[:3]}"
