"""``append_days``: every appended table grows with rows strictly after the latest instant
already loaded, on-chain events continue after each chain's latest block, open lifecycles
(revenue, billing, sessions) progress, every invariant holds after two successive appends,
the result is deterministic across databases, and a failed append leaves nothing behind.

Runs against the module's real PostgreSQL database (``fresh_primary_url``) with ``tiny``, and a
second database with ``small``.  Invariant SQL is shared with ``tests/test_seed.py``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import psycopg
import pytest

from audifi.errors import AudifiError
from audifi.seed import append_days, content_hash, seed_database
from tests.test_seed import INVARIANTS, _rows, _truncate_all

# table -> the instant that places a row in time (what an incremental model would filter on)
INSTANT = {
    "play_events": "created_at",
    "nft_transfers": "block_timestamp",
    "dsp_stream_reports": "ingested_at",
    "revenue_events": "created_at",
    "dividend_events": "block_timestamp",
    "dividend_claims": "block_timestamp",
    "wallet_dividend_balances": "created_at",
    "nft_ownership_snapshots": "snapshot_timestamp",
    "pool_events": "block_timestamp",
    "token_holders": "first_acquired_at",
    "invoices": "created_at",
    "webhooks_log": "created_at",
    "vstudio_sessions": "created_at",
    "vstudio_decision_points": "created_at",
    "vstudio_participants": "joined_at",
    "vstudio_votes": "created_at",
    "vstudio_chat_messages": "created_at",
    "vstudio_engagement_events": "created_at",
    "system_events": "created_at",
}
CHAIN_TABLES = ["nft_transfers", "dividend_events", "dividend_claims", "pool_events"]
# the latest instant already loaded, as append_days defines it (its window starts the day after)
LATEST = """SELECT greatest((SELECT max(created_at) FROM oltp.play_events),
    (SELECT max(block_timestamp) FROM oltp.nft_transfers),
    (SELECT max(block_timestamp) FROM oltp.dividend_events),
    (SELECT max(block_timestamp) FROM oltp.pool_events),
    (SELECT max(created_at) FROM oltp.invoices),
    (SELECT max(created_at) FROM oltp.vstudio_votes))"""


def _latest(url: str) -> datetime:
    return _rows(url, LATEST)[0][0]


def _after(url: str, since: datetime) -> dict[str, int]:
    """Rows per table whose instant is later than ``since``."""
    return {
        t: _rows(url, f"SELECT count(*) FROM oltp.{t} WHERE {c} > '{since.isoformat()}'")[0][0]
        for t, c in INSTANT.items()
    }


def _blocks(url: str) -> dict[tuple[str, str], int]:
    return {
        (t, chain): top
        for t in CHAIN_TABLES
        for chain, top in _rows(url, f"SELECT chain_id, max(block_number) FROM oltp.{t} GROUP BY 1")
    }


def _db(url: str, name: str) -> str:
    return url.rpartition("/")[0] + "/" + name


def _admin(url: str, sql: str) -> None:
    admin = _db(url, "postgres").replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="module")
def empty_clone(fresh_primary_url: str) -> Iterator[str]:
    """A second migrated, empty database (copied from the module's before it is seeded)."""
    _truncate_all(fresh_primary_url)
    name = fresh_primary_url.rpartition("/")[2] + "_clone"
    _admin(fresh_primary_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(fresh_primary_url, f'CREATE DATABASE "{name}" TEMPLATE "{name[:-6]}"')
    try:
        yield _db(fresh_primary_url, name)
    finally:
        _admin(fresh_primary_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def appended(fresh_primary_url: str, empty_clone: str) -> dict[str, Any]:
    """``tiny`` (seed 7), then 2 days appended, then 3 more; what each append saw and did."""
    url = fresh_primary_url
    seed_database(url, "tiny", seed=7, progress=False)
    steps = []
    for days in (2, 3):
        latest, blocks = _latest(url), _blocks(url)
        before = _after(url, latest)
        added = append_days(url, days, seed=7, progress=False)
        steps.append(
            {
                "latest": latest,
                "blocks": blocks,
                "grew": {t: n - before[t] for t, n in _after(url, latest).items()},
                "added": added,
            }
        )
    return {"url": url, "steps": steps}


@pytest.mark.parametrize("step", [0, 1])
def test_each_append_adds_rows_only_after_the_latest_instant(
    appended: dict[str, Any], step: int
) -> None:
    """Every row an append writes is later than everything loaded before it."""
    s = appended["steps"][step]
    for table in INSTANT:
        assert s["grew"][table] == s["added"].get(table, 0), table
    assert _latest(appended["url"]) > s["latest"]


def test_every_listed_table_gains_rows(appended: dict[str, Any]) -> None:
    """The first (2-day) append on ``tiny`` writes rows to every listed table, except three
    that may have nothing to show in 2 days of ``tiny`` (the ``small`` test below requires
    them): a new ``wallet_dividend_balances`` row (a wallet new to that master) and
    ``nft_ownership_snapshots`` depend on a distribution by a per-master contract, and
    ``dividend_claims`` on one of ``tiny``'s few claimable balances being claimed (60 % of
    holders claim, every 75 days on average).  Existing balances must still move, and
    snapshots may be missing only if no per-master distribution happened."""
    first = appended["steps"][0]["added"]
    since = appended["steps"][0]["latest"].isoformat()
    until = appended["steps"][1]["latest"].isoformat()  # the first append's distributions only
    missing = [t for t in INSTANT if not first.get(t)]
    assert set(missing) <= {
        "wallet_dividend_balances",
        "nft_ownership_snapshots",
        "dividend_claims",
    }
    moved, distributions = _rows(
        appended["url"],
        f"""SELECT (SELECT count(*) FROM oltp.wallet_dividend_balances
                    WHERE updated_at > '{since}'),
                   (SELECT count(*) FROM oltp.dividend_events e
                    JOIN oltp.dividend_contracts c ON c.id = e.dividend_contract_id
                    WHERE e.event_type = 'distribution' AND c.distribution_model = 'per_master'
                    AND e.block_timestamp > '{since}' AND e.block_timestamp <= '{until}')""",
    )[0]
    assert moved > 0
    assert ("nft_ownership_snapshots" in missing) == (distributions == 0)


@pytest.mark.parametrize("step", [0, 1])
def test_on_chain_events_continue_after_the_latest_block_per_chain(
    appended: dict[str, Any], step: int
) -> None:
    """Every chain table gets rows in each append (claims may have none in a few days of
    ``tiny``, see above; the whole chain-event log still does), all in blocks after the
    chain's latest."""
    s = appended["steps"][step]
    for table in CHAIN_TABLES:
        new = _rows(
            appended["url"],
            f"""SELECT chain_id, min(block_number) FROM oltp.{table}
                WHERE block_timestamp > '{s["latest"].isoformat()}' GROUP BY 1""",
        )
        assert new or (table == "dividend_claims" and not s["added"].get(table)), table
        for chain, lowest in new:
            top = s["blocks"].get((table, chain))
            assert top is None or lowest > top, (table, chain)


@pytest.mark.parametrize("name", list(INVARIANTS))
def test_invariant_holds_after_two_appends(appended: dict[str, Any], name: str) -> None:
    violations = _rows(appended["url"], INVARIANTS[name])
    assert violations == [], f"{name}: {len(violations)} violating rows, e.g. {violations[:3]}"


def test_open_lifecycles_progress_in_the_window(appended: dict[str, Any]) -> None:
    """Rows left open at the seed's end move on: revenue, statement lines, subscriptions,
    sessions, balances and pools (counted against the first window's start)."""
    url = appended["url"]
    w0 = appended["steps"][0]["latest"]
    w0 = datetime(w0.year, w0.month, w0.day, tzinfo=w0.tzinfo).isoformat()
    checks = {
        "revenue moved on (verified/deposited/distributed)": f"""
            SELECT count(*) FROM oltp.revenue_events WHERE created_at < '{w0}'
            AND updated_at >= '{w0}'""",
        "last month's statement lines settled in the window": f"""
            SELECT count(*) FROM oltp.dsp_stream_reports d
            JOIN oltp.revenue_events r ON r.id = d.revenue_event_id
            WHERE d.report_date < '{w0}' AND r.created_at >= '{w0}'
            AND r.source_type = 'distributor'""",
        # (claims: see test_every_listed_table_gains_rows; the small test requires them)
        "deposits and distributions of the window": f"""
            SELECT least(count(*) FILTER (WHERE event_type = 'deposit'),
                         count(*) FILTER (WHERE event_type = 'distribution'))
            FROM oltp.dividend_events WHERE block_timestamp >= '{w0}'""",
        "subscriptions renewed": f"""
            SELECT count(*) FROM oltp.subscriptions WHERE current_period_start >= '{w0}'""",
        "renewal invoices paid": f"""
            SELECT count(*) FROM oltp.invoices WHERE period_start >= '{w0}' AND status = 'paid'""",
        "sessions ran with votes": f"""
            SELECT count(*) FROM oltp.vstudio_sessions WHERE actual_start_at >= '{w0}'
            AND total_votes > 0""",
        "decision points got results": f"""
            SELECT count(*) FROM oltp.vstudio_decision_points
            WHERE results_computed_at >= '{w0}' AND results_json IS NOT NULL""",
        "wallet balances earned or claimed": f"""
            SELECT count(*) FROM oltp.wallet_dividend_balances WHERE updated_at >= '{w0}'""",
        "pools traded": f"""
            SELECT count(*) FROM oltp.liquidity_pools WHERE updated_at >= '{w0}'""",
    }
    empty = [k for k, sql in checks.items() if not _rows(url, sql)[0][0]]
    assert empty == []


def test_a_voter_has_one_client_ip_hash_on_both_paths(appended: dict[str, Any]) -> None:
    """``client_ip_hash`` is one function of the user's number (``vstudio.Studio._point``):
    users who voted both in the seed and in appended days keep one hash."""
    w0 = appended["steps"][0]["latest"].isoformat()
    both, split = _rows(
        appended["url"],
        f"""SELECT count(*) FILTER (WHERE first < '{w0}' AND last > '{w0}'),
                   count(*) FILTER (WHERE hashes > 1)
            FROM (SELECT user_id, min(created_at) AS first, max(created_at) AS last,
                         count(DISTINCT client_ip_hash) AS hashes
                  FROM oltp.vstudio_votes WHERE user_id IS NOT NULL GROUP BY 1) v""",
    )[0]
    assert both > 0  # the check is not vacuous
    assert split == 0


def test_the_same_admin_acts_on_both_paths(appended: dict[str, Any]) -> None:
    """Each admin duty is done by one admin (``identity.PLATFORM_ADMIN``/``SECURITY_ADMIN``),
    in the seed and in appended days alike."""
    w0 = appended["steps"][0]["latest"].isoformat()
    acts = """
        SELECT 'roles' AS duty, assigned_by AS admin, assigned_at AS t FROM oltp.user_roles
        UNION ALL SELECT 'revenue', verified_by, verified_at FROM oltp.revenue_events
        UNION ALL SELECT 'chat', moderated_by, moderated_at FROM oltp.vstudio_chat_messages
        UNION ALL SELECT 'security', investigated_by, investigated_at FROM oltp.security_events"""
    admins = _rows(
        appended["url"],
        f"""SELECT a.duty, array_agg(DISTINCT u.email ORDER BY u.email),
                   count(*) FILTER (WHERE a.t > '{w0}')
            FROM ({acts}) a JOIN oltp.users u ON u.id = a.admin GROUP BY 1 ORDER BY 1""",
    )
    assert [(duty, emails) for duty, emails, _ in admins] == [
        ("chat", ["admin0@audifi.test"]),
        ("revenue", ["admin0@audifi.test"]),
        ("roles", ["admin0@audifi.test"]),
        ("security", ["admin1@audifi.test"]),
    ]
    # appended days did each duty; roles only if an artist or producer arrived in them, chat
    # only if one of their messages was moderated (3 % are: of the ~100 messages of these
    # 5 days, none in about one run in 20, whenever an upstream change moves V Studio's draws)
    arrived, moderated = _rows(
        appended["url"],
        f"""SELECT (SELECT count(*) FROM oltp.artists WHERE created_at > '{w0}')
                 + (SELECT count(*) FROM oltp.producers WHERE created_at > '{w0}'),
                   (SELECT count(*) FROM oltp.vstudio_chat_messages
                    WHERE is_moderated AND created_at > '{w0}')""",
    )[0]
    assert [duty for duty, _, appended_acts in admins if appended_acts] == [
        *(["chat"] if moderated else []),
        "revenue",
        *(["roles"] if arrived else []),
        "security",
    ]


def test_deterministic_across_databases_and_atomic(
    appended: dict[str, Any], empty_clone: str
) -> None:
    """Same seed + same appends => same content hash in another database; an append that
    fails late (at the engagement log) leaves that database exactly as it was."""
    url = empty_clone
    with pytest.raises(AudifiError, match="nothing to append to"):
        append_days(url, 2, seed=7, progress=False)
    seed_database(url, "tiny", seed=7, progress=False)
    seeded = content_hash(url)
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(
            "ALTER TABLE oltp.vstudio_engagement_events ADD CONSTRAINT append_test_reject "
            "CHECK (created_at IS NULL) NOT VALID"
        )
    try:
        with pytest.raises(psycopg.errors.CheckViolation):
            append_days(url, 2, seed=7, progress=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(
                "ALTER TABLE oltp.vstudio_engagement_events DROP CONSTRAINT append_test_reject"
            )
    assert content_hash(url) == seeded
    append_days(url, 2, seed=7, progress=True)  # also exercises the per-table progress bars
    append_days(url, 3, seed=7, progress=False)
    assert content_hash(url) == content_hash(appended["url"])
    _truncate_all(url)


def test_small_seed_and_appends_violate_no_invariant(empty_clone: str) -> None:
    """``small``, seeded then appended 2 + 3 days: every invariant holds at each step, every
    listed table grows, the platform grows (users, artists, masters, IPOs, subscriptions,
    liquidity, audit and security events) and the plays' mixes carry on."""
    url = empty_clone
    _truncate_all(url)
    seed_database(url, "small", seed=42, progress=False)
    seeded_until = _latest(url).isoformat()
    grown: set[str] = set()
    for days in (0, 2, 3):
        if days:
            added = append_days(url, days, seed=42, progress=False)
            grown |= {t for t in INSTANT if added.get(t)}
        violations = {name: _rows(url, sql)[:3] for name, sql in INVARIANTS.items()}
        assert {k: v for k, v in violations.items() if v} == {}, f"after +{days} days"
    assert set(INSTANT) - grown == set()  # every listed table grew in the 5 appended days
    # everything keeps happening in appended days (growth, not only facts of existing rows)
    since = f"> '{seeded_until}'"
    growth = {
        "sign-ups": f"SELECT count(*) FROM oltp.users WHERE created_at {since}",
        "new artists": f"SELECT count(*) FROM oltp.artists WHERE created_at {since}",
        "new masters": f"SELECT count(*) FROM oltp.masters WHERE created_at {since}",
        "new IPOs": f"SELECT count(*) FROM oltp.master_ipos WHERE created_at {since}",
        "IPOs opened": f"SELECT count(*) FROM oltp.master_ipos WHERE actual_start_at {since}",
        "mints": f"""SELECT count(*) FROM oltp.nft_transfers WHERE transfer_type = 'mint'
                     AND block_timestamp {since}""",
        "new subscriptions": f"SELECT count(*) FROM oltp.subscriptions WHERE created_at {since}",
        "liquidity added": f"""SELECT count(*) FROM oltp.pool_events
                     WHERE event_type = 'add_liquidity' AND block_timestamp {since}""",
        "liquidity removed": f"""SELECT count(*) FROM oltp.pool_events
                     WHERE event_type = 'remove_liquidity' AND block_timestamp {since}""",
        "audit events": f"SELECT count(*) FROM oltp.audit_logs WHERE created_at {since}",
        "security events": f"SELECT count(*) FROM oltp.security_events WHERE created_at {since}",
    }
    assert [k for k, sql in growth.items() if not _rows(url, sql)[0][0]] == []
    # the appended days' plays follow the history's mixes (chi-square homogeneity, p > 0.01)
    for mix in ("coalesce(country_code, '--')", "source::text", "extract(hour FROM started_at)"):
        table = _rows(
            url,
            f"""SELECT {mix}, count(*) FILTER (WHERE created_at <= '{seeded_until}'),
                       count(*) FILTER (WHERE created_at > '{seeded_until}')
                FROM oltp.play_events GROUP BY 1 ORDER BY 1""",
        )
        assert _chi_square_p([(r[1], r[2]) for r in table]) > 0.01, mix


def _chi_square_p(table: list[tuple[int, int]]) -> float:
    """p-value of the chi-square test that two samples (columns) share one distribution."""
    cols = [sum(r[j] for r in table) for j in (0, 1)]
    total = sum(cols)
    stat = sum(
        (r[j] - e) ** 2 / e
        for r in table
        for j in (0, 1)
        if (e := (r[0] + r[1]) * cols[j] / total) > 0
    )
    # upper tail of chi-square with k - 1 degrees of freedom: 1 - P(dof/2, stat/2), by series
    a, x = (len(table) - 1) / 2, stat / 2
    term = total_sum = 1 / a
    n = 0
    while term > 1e-15 * total_sum:
        n += 1
        term *= x / (a + n)
        total_sum += term
    return 1 - math.exp(a * math.log(x) - x - math.lgamma(a)) * total_sum if x > 0 else 1.0
