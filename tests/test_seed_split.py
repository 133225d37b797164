"""Split invariance: ``tiny`` seeded for its whole history equals, table by table and byte for
byte, ``tiny`` seeded without its last 5 days and then extended by ``--append-days 2`` and
``3`` (docs/seed.md, "Split invariance"); every invariant holds on the split history too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from audifi.seed import append_days, observability, seed_database
from audifi.seed.database import table_hashes
from audifi.seed.timeline import AS_OF, DAY
from tests.conftest import temporary_database
from tests.test_seed import INVARIANTS, _rows


@contextmanager
def histories(servers, scale: str = "tiny") -> Iterator[tuple[str, str]]:
    """The URLs of ``scale`` seeded whole, and seeded 5 days short then appended 2 + 3 days."""
    with (
        temporary_database(servers, "whole") as whole,
        temporary_database(servers, "split") as parts,
    ):
        seed_database(whole, scale, seed=42, progress=False)
        seed_database(parts, scale, seed=42, progress=False, end=AS_OF - 5 * DAY)
        append_days(parts, 2, seed=42, progress=False)
        append_days(parts, 3, seed=42, progress=False)
        yield whole, parts


@pytest.fixture(scope="module")
def split(servers) -> Iterator[tuple[dict[str, str], dict[str, str], str, str]]:
    """(whole history's table hashes, split history's, the split and the whole database's
    URLs)."""
    with histories(servers) as (whole, parts):
        yield table_hashes(whole), table_hashes(parts), parts, whole


def test_split_history_is_the_whole_history(split) -> None:
    """Every table, byte for byte: each domain is one simulation for both paths."""
    whole, parts, _, _ = split
    assert whole.keys() == parts.keys()
    assert sorted(t for t in whole if whole[t] != parts[t]) == []


def test_small_split_history_is_the_whole_history(servers) -> None:
    """The same at ``small`` (about a minute): there, unlike ``tiny``, decision points open
    before their master's first mint or their artist's coin, and foreign revenue (slow to
    verify) pays out after later USD revenue of the same master."""
    with histories(servers, "small") as (whole, parts):
        a, b = table_hashes(whole), table_hashes(parts)
    assert a.keys() == b.keys()
    assert sorted(t for t in a if a[t] != b[t]) == []


def test_the_appended_days_exercise_every_domain(split) -> None:
    """The split's last 5 days are not empty where it matters: the whole history has, in
    them, sign-ups, plays, mints, deposits, distributions, claims, new dividend balances,
    replaced dividend snapshots, swaps and votes (so equal hashes compare real work)."""
    since = f"'{datetime.fromtimestamp(AS_OF - 5 * DAY, UTC)}'"
    counts = _rows(
        split[3],
        f"""SELECT (SELECT count(*) FROM oltp.users WHERE created_at >= {since}),
                   (SELECT count(*) FROM oltp.play_events WHERE created_at >= {since}),
                   (SELECT count(*) FROM oltp.nft_transfers WHERE block_timestamp >= {since}),
                   (SELECT count(*) FROM oltp.dividend_events
                    WHERE event_type = 'deposit' AND block_timestamp >= {since}),
                   (SELECT count(*) FROM oltp.dividend_events
                    WHERE event_type = 'distribution' AND block_timestamp >= {since}),
                   (SELECT count(*) FROM oltp.dividend_claims WHERE block_timestamp >= {since}),
                   (SELECT count(*) FROM oltp.wallet_dividend_balances
                    WHERE created_at >= {since}),
                   (SELECT count(*) FROM oltp.nft_ownership_snapshots
                    WHERE snapshot_timestamp >= {since}),
                   (SELECT count(*) FROM oltp.pool_events WHERE block_timestamp >= {since}),
                   (SELECT count(*) FROM oltp.vstudio_votes WHERE created_at >= {since})""",
    )[0]
    assert all(counts), counts


def test_audit_rows_of_every_action_are_there(split) -> None:
    """Logins, new masters and IPO launches (each one simulation) all write audit rows."""
    actions = _rows(split[3], "SELECT DISTINCT action FROM oltp.audit_logs ORDER BY 1")
    assert actions == [("create_master",), ("launch_ipo",), ("login",)]


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
