"""Every invariant test is seen to catch its violation, after the real replication path.

One warehouse of its own (fresh primary + replica, `tiny`, `dbt build`): the invariant
tests pass on clean data; then one targeted violation per test is written on the PRIMARY
(tests/invariant_violations.py), replicated, and ONE `dbt test --select
path:tests/invariants` must fail exactly the targeted tests (warn for the unsettled
companions), with the offending row named in each test's stored failures (schema
test_failures); everything is undone and the next run passes again.

Rules the replica cannot see (columns or tables kept off it) are checked here with SQL on
the primary, proven the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from audifi.dbt import run_dbt
from audifi.replication import wait_for_replica
from tests.conftest import Warehouse, built_warehouse, dsn
from tests.invariant_violations import NOBODY, OLD, VIOLATIONS, start
from tests.primary_changes import PrimaryChanges

SELECT = ["--select", "path:tests/invariants"]

# -- rules checked on the primary: SQL returning the offending rows' ids -------------------

PRIMARY_CHECKS: dict[str, str] = {
    "INV-26 rate_limits window (table not replicated)": """
        SELECT id::text FROM oltp.rate_limits WHERE window_end < window_start""",
    "INV-28 one vote per wallet per decision point (wallet_address not replicated)": """
        SELECT v.id::text FROM oltp.vstudio_votes v
        JOIN (SELECT lower(wallet_address) AS wallet, decision_point_id FROM oltp.vstudio_votes
              WHERE wallet_address IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) d
          ON d.wallet = lower(v.wallet_address) AND d.decision_point_id = v.decision_point_id""",
    "INV-29 at least one voter identity (wallet_address not replicated)": """
        SELECT id::text FROM oltp.vstudio_votes
        WHERE user_id IS NULL AND wallet_address IS NULL AND anonymous_id IS NULL""",
    "INV-30 open_text votes carry a text (text_response not replicated)": """
        SELECT v.id::text FROM oltp.vstudio_votes v
        JOIN oltp.vstudio_decision_points d ON d.id = v.decision_point_id
        WHERE d.type = 'open_text' AND v.text_response IS NULL""",
    "INV-30 nft/coin holder eligibility (wallet_address not replicated)": """
        SELECT v.id::text FROM oltp.vstudio_votes v
        JOIN oltp.vstudio_decision_points d ON d.id = v.decision_point_id
        JOIN oltp.vstudio_sessions s ON s.id = d.vstudio_session_id
        WHERE CASE d.eligibility_rule
          WHEN 'nft_holders' THEN v.wallet_address IS NULL OR NOT EXISTS (
              SELECT 1 FROM oltp.master_nfts n
              JOIN LATERAL (SELECT to_wallet FROM oltp.nft_transfers t
                            WHERE t.master_nft_id = n.id AND t.block_timestamp <= v.created_at
                            ORDER BY block_number DESC, log_index DESC LIMIT 1) o ON true
              WHERE n.master_id = s.master_id AND lower(o.to_wallet) = lower(v.wallet_address))
          WHEN 'coin_holders' THEN v.wallet_address IS NULL OR NOT EXISTS (
              SELECT 1 FROM oltp.token_holders h
              JOIN oltp.artist_tokens t ON t.id = h.artist_token_id
              WHERE t.artist_id = s.artist_id
                AND lower(h.wallet_address) = lower(v.wallet_address)
                AND h.balance > 0 AND h.first_acquired_at <= v.created_at)
          ELSE false END""",
    "INV-31 one participant row per wallet per session (wallet_address not replicated)": """
        SELECT p.id::text FROM oltp.vstudio_participants p
        JOIN (SELECT vstudio_session_id, lower(wallet_address) AS wallet
              FROM oltp.vstudio_participants WHERE wallet_address IS NOT NULL
              GROUP BY 1, 2 HAVING count(*) > 1) d
          ON d.vstudio_session_id = p.vstudio_session_id
         AND d.wallet = lower(p.wallet_address)""",
    "INV-32 unique e-mail, provider account, wallet per chain, provider rows (not replicated)": """
        SELECT u.id::text FROM oltp.users u
        JOIN (SELECT lower(email) AS email FROM oltp.users GROUP BY 1 HAVING count(*) > 1) d
          ON d.email = lower(u.email)
        UNION ALL
        SELECT min(id::text) FROM oltp.accounts GROUP BY provider, provider_account_id
        HAVING count(*) > 1
        UNION ALL
        SELECT min(id::text) FROM oltp.user_wallets GROUP BY lower(wallet_address), chain_id
        HAVING count(*) > 1
        UNION ALL
        SELECT min(id::text) FROM oltp.identity_providers GROUP BY provider HAVING count(*) > 1
        UNION ALL
        SELECT min(id::text) FROM oltp.payment_providers GROUP BY provider_type
        HAVING count(*) > 1""",
    "INV-36 each webhook event stored once (webhooks_log not replicated)": """
        SELECT w.id::text FROM oltp.webhooks_log w
        JOIN (SELECT event_id FROM oltp.webhooks_log WHERE event_id IS NOT NULL
              GROUP BY 1 HAVING count(*) > 1) d ON d.event_id = w.event_id""",
}


def _rate_limits(c: PrimaryChanges) -> str:
    row = c.pick("SELECT id FROM oltp.rate_limits ORDER BY created_at LIMIT 1")
    c.lift("rate_limits", "rate_limits_window")
    return str(c.update("rate_limits", row, "window_end = window_start - interval '1 hour'"))


def _wallet_vote(c: PrimaryChanges) -> str:
    vote, wallet = c.primary.execute(
        """SELECT b.id, a.wallet_address FROM oltp.vstudio_votes a
           JOIN oltp.vstudio_votes b ON b.decision_point_id = a.decision_point_id
            AND b.id <> a.id AND b.wallet_address IS NOT NULL
            AND lower(b.wallet_address) <> lower(a.wallet_address)
           JOIN oltp.vstudio_decision_points d ON d.id = a.decision_point_id
           WHERE d.eligibility_rule = 'open' AND a.wallet_address ~ '[a-f]'
           ORDER BY a.created_at LIMIT 1"""
    ).fetchone()
    return str(c.update("vstudio_votes", vote, "wallet_address = %s", (wallet.upper(),)))


def _voter_identity(c: PrimaryChanges) -> str:
    vote = c.pick(
        """SELECT id FROM oltp.vstudio_votes
           WHERE user_id IS NULL AND wallet_address IS NULL AND anonymous_id IS NOT NULL
           ORDER BY created_at LIMIT 1"""
    )
    return str(c.update("vstudio_votes", vote, "anonymous_id = NULL"))


def _open_text(c: PrimaryChanges) -> str:
    vote = c.pick(
        """SELECT v.id FROM oltp.vstudio_votes v
           JOIN oltp.vstudio_decision_points d ON d.id = v.decision_point_id
           WHERE d.type = 'open_text' ORDER BY v.created_at LIMIT 1"""
    )
    return str(c.update("vstudio_votes", vote, "text_response = NULL"))


def _coin_holder(c: PrimaryChanges) -> str:
    vote = c.pick(
        """SELECT v.id FROM oltp.vstudio_votes v
           JOIN oltp.vstudio_decision_points d ON d.id = v.decision_point_id
           WHERE d.eligibility_rule IN ('coin_holders', 'nft_holders')
           ORDER BY v.created_at LIMIT 1"""
    )
    return str(c.update("vstudio_votes", vote, "wallet_address = %s", (NOBODY,)))


def _participant_wallet(c: PrimaryChanges) -> str:
    participant, wallet = c.primary.execute(
        """SELECT b.id, a.wallet_address FROM oltp.vstudio_participants a
           JOIN oltp.vstudio_participants b ON b.vstudio_session_id = a.vstudio_session_id
            AND b.id <> a.id AND b.wallet_address IS NOT NULL
           WHERE a.wallet_address ~ '[a-f]' ORDER BY a.created_at LIMIT 1"""
    ).fetchone()
    return str(
        c.update("vstudio_participants", participant, "wallet_address = %s", (wallet.upper(),))
    )


def _email(c: PrimaryChanges) -> str:
    first, second = c.primary.execute(
        f"""SELECT id FROM oltp.users WHERE status = 'active' AND created_at < {OLD}
            ORDER BY created_at DESC LIMIT 2"""
    ).fetchall()
    email = c.pick("SELECT email FROM oltp.users WHERE id = %s", (first[0],))
    return str(c.update("users", second[0], "email = %s", (email.upper(),)))


def _webhook(c: PrimaryChanges) -> str:
    first, second = c.primary.execute(
        "SELECT id, event_id FROM oltp.webhooks_log WHERE event_id IS NOT NULL LIMIT 2"
    ).fetchall()
    c.lift("webhooks_log", "webhooks_log_event_id_idx")
    return str(c.update("webhooks_log", second[0], "event_id = %s", (first[1],)))


PRIMARY_VIOLATIONS: dict[str, Callable[[PrimaryChanges], str]] = dict(
    zip(
        PRIMARY_CHECKS,
        [
            _rate_limits,
            _wallet_vote,
            _voter_identity,
            _open_text,
            _coin_holder,
            _participant_wallet,
            _email,
            _webhook,
        ],
        strict=True,
    )
)


# -- one warehouse, three runs -------------------------------------------------------------


@dataclass
class Run:
    status: dict[str, str]  # test name -> pass / fail / warn / error
    primary: dict[str, list[str]]  # primary check -> offending ids


@dataclass
class Proof:
    clean: Run
    violated: Run
    undone: Run
    keys: dict[str, str] = field(default_factory=dict)  # dbt test -> offending key
    primary_keys: dict[str, str] = field(default_factory=dict)
    stored: dict[str, int] = field(default_factory=dict)  # dbt test -> failure rows naming it
    warehouse: Warehouse | None = None


def _test_statuses(target: Path) -> dict[str, str]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {  # data tests only (not on-run-start hooks)
        r["unique_id"].split(".")[-1]: r["status"]
        for r in results
        if r["unique_id"].startswith("test.")
    }


def _run(warehouse: Warehouse, primary: psycopg.Connection) -> Run:
    warehouse.dbt("test", *SELECT, check=False)
    return Run(
        status=_test_statuses(warehouse.target_path),
        primary={
            name: [r[0] for r in primary.execute(sql).fetchall()]
            for name, sql in PRIMARY_CHECKS.items()
        },
    )


@pytest.fixture(scope="module")
def proof(test_env) -> Iterator[Proof]:
    with (
        built_warehouse() as warehouse,
        psycopg.connect(warehouse.primary_dsn, autocommit=True) as primary,
        psycopg.connect(dsn(warehouse.cluster.replica.url), autocommit=True) as replica,
    ):
        clean = _run(warehouse, primary)
        changes = PrimaryChanges(primary, replica)
        start(changes)
        try:
            keys = {v.test: v.apply(changes) for v in VIOLATIONS}
            primary_keys = {name: apply(changes) for name, apply in PRIMARY_VIOLATIONS.items()}
            wait_for_replica(warehouse.cluster, timeout=120)
            violated = _run(warehouse, primary)
            stored = {
                v.test: replica.execute(
                    f'SELECT count(*) FROM test_failures."{v.test}" '
                    f'WHERE cast("{v.key}" AS text) = %s',
                    (keys[v.test],),
                ).fetchone()[0]
                for v in VIOLATIONS
            }
        finally:
            changes.undo()
            wait_for_replica(warehouse.cluster, timeout=120)
            changes.restore_lifted()
        undone = _run(warehouse, primary)
        yield Proof(clean, violated, undone, keys, primary_keys, stored, warehouse)


def _invariant_tests(proof: Proof) -> set[str]:
    return set(proof.clean.status)


def test_clean_tiny_passes_every_invariant_test(proof: Proof) -> None:
    assert len(proof.clean.status) >= 50
    assert {t: s for t, s in proof.clean.status.items() if s != "pass"} == {}
    assert {n: ids for n, ids in proof.clean.primary.items() if ids} == {}


def test_every_invariant_test_has_a_violation(proof: Proof) -> None:
    """Every error test is proven here; the unsettled companions share its rule, and two of
    them (a chain-depth one and a settle-window one) are proven to warn."""
    proven = {v.test for v in VIOLATIONS}
    errors = {t for t in _invariant_tests(proof) if not t.endswith("_unsettled")}
    assert errors - proven == set()
    assert proven - _invariant_tests(proof) == set()


@pytest.mark.parametrize("case", VIOLATIONS, ids=lambda v: v.test)
def test_violation_is_caught_and_named(proof: Proof, case) -> None:
    assert proof.violated.status[case.test] == case.expected_status
    assert proof.stored[case.test] >= 1, (
        f"test_failures.{case.test} does not name {case.key} = {proof.keys[case.test]}"
    )
    assert proof.undone.status[case.test] == "pass"


def test_unsettled_violations_do_not_fail_the_error_test(proof: Proof) -> None:
    """A violation on the unsettled tail warns and leaves its error test to its own case."""
    for case in VIOLATIONS:
        if case.expected_status == "warn":
            base = case.test.removesuffix("_unsettled")
            key = proof.keys[case.test]
            assert key != proof.keys[base]
            assert proof.violated.status[base] == "fail"  # from its own settled violation


def test_no_other_test_fails(proof: Proof) -> None:
    """Each violation breaks exactly its rule (plus the declared, unavoidable ones)."""
    expected = {v.test for v in VIOLATIONS}
    for v in VIOLATIONS:
        expected |= set(v.also) | {f"{t}_unsettled" for t in v.also}
    unexpected = {
        t: s for t, s in proof.violated.status.items() if s != "pass" and t not in expected
    }
    assert unexpected == {}


def test_everything_passes_again_after_undo(proof: Proof) -> None:
    assert {t: s for t, s in proof.undone.status.items() if s != "pass"} == {}
    assert {n: ids for n, ids in proof.undone.primary.items() if ids} == {}


@pytest.mark.parametrize("name", list(PRIMARY_CHECKS))
def test_primary_only_rule_is_checked(proof: Proof, name: str) -> None:
    assert proof.clean.primary[name] == []
    assert proof.primary_keys[name] in proof.violated.primary[name]
    assert proof.undone.primary[name] == []


@pytest.mark.parametrize("scale", ["tiny", "tiny+2 days"])
def test_clean_warehouse_has_no_invariant_error_or_warning(
    request: pytest.FixtureRequest, scale: str, tmp_path: Path
) -> None:
    """The shared warehouses (fresh, and after appended days): no error, no warning."""
    warehouse = request.getfixturevalue("warehouse" if scale == "tiny" else "appended_warehouse")
    result = run_dbt(warehouse.cluster, ["test", *SELECT], target_path=tmp_path, capture=True)
    statuses = _test_statuses(tmp_path)
    assert len(statuses) >= 50, result.stdout[-3000:]
    assert {t: s for t, s in statuses.items() if s != "pass"} == {}


# -- reconciliation between layers: marts tie back to their sources ------------------------

RECONCILE = ["--select", "path:tests/reconciliation", "--vars", "{pin_tiny_seed_42: true}"]

# One corrupted mart row per reconciliation test (a fan-out or a lost row looks like this).
MART_CORRUPTIONS: dict[str, str] = {
    "rec_fct_revenue_events_ties_to_source": """
        UPDATE marts_finance.fct_revenue_events SET amount = amount + 1
        WHERE revenue_event_id = (SELECT min(revenue_event_id::text)::uuid
                                  FROM marts_finance.fct_revenue_events)""",
    "rec_fct_revenue_monthly_ties_to_source": """
        UPDATE marts_finance.fct_revenue_monthly SET event_count = event_count + 1
        WHERE ctid = (SELECT min(ctid) FROM marts_finance.fct_revenue_monthly)""",
    "rec_fct_nft_sales_daily_ties_to_source": """
        UPDATE marts.fct_nft_sales_daily SET volume_wei = volume_wei + 1
        WHERE ctid = (SELECT min(ctid) FROM marts.fct_nft_sales_daily)""",
    "rec_fct_streams_daily_ties_to_source": """
        UPDATE marts.fct_streams_daily SET plays = plays + 1
        WHERE ctid = (SELECT min(ctid) FROM marts.fct_streams_daily WHERE platform = 'audifi')""",
    "rec_dividend_marts_tie_to_source": """
        UPDATE marts.fct_dividend_contract_balances SET deposited = deposited + 1
        WHERE ctid = (SELECT min(ctid) FROM marts.fct_dividend_contract_balances)""",
    "rec_fct_master_stream_windows_ties_to_streams_daily": """
        UPDATE marts.fct_master_stream_windows SET streams = streams + 1
        WHERE ctid = (SELECT min(ctid) FROM marts.fct_master_stream_windows
                      WHERE platform_scope <> 'all')""",
    "rec_nft_and_engagement_marts_tie_to_source": """
        UPDATE marts.fct_vstudio_sessions SET votes = votes + 1
        WHERE ctid = (SELECT min(ctid) FROM marts.fct_vstudio_sessions)""",
}


@dataclass
class Reconciliation:
    clean: dict[str, str]
    corrupted: dict[str, str]
    stored: dict[str, int]
    rebuilt: dict[str, str]


@pytest.fixture(scope="module")
def reconciliation(proof: Proof) -> Reconciliation:
    """On the proof's warehouse (its data is the seed's again): build the marts the
    reconciliation tests read, test, corrupt one row per test, test, rebuild, test."""
    warehouse = proof.warehouse
    assert warehouse is not None
    warehouse.dbt("run", "--select", "+path:tests/reconciliation")
    warehouse.dbt("test", *RECONCILE, check=False)
    clean = _test_statuses(warehouse.target_path)
    with psycopg.connect(dsn(warehouse.cluster.replica.url), autocommit=True) as replica:
        for sql in MART_CORRUPTIONS.values():
            assert replica.execute(sql).rowcount == 1
        warehouse.dbt("test", *RECONCILE, check=False)
        corrupted = _test_statuses(warehouse.target_path)
        stored = {
            test: replica.execute(f'SELECT count(*) FROM test_failures."{test}"').fetchone()[0]
            for test in MART_CORRUPTIONS
        }
    # incremental marts keep a corrupted row outside their lookback window: rebuild in full
    warehouse.dbt("run", "--select", "+path:tests/reconciliation", "--full-refresh")
    warehouse.dbt("test", *RECONCILE, check=False)
    return Reconciliation(clean, corrupted, stored, _test_statuses(warehouse.target_path))


def test_marts_tie_back_to_their_sources(reconciliation: Reconciliation) -> None:
    assert set(MART_CORRUPTIONS) | {"exp_tiny_seed_42_known_figures"} <= set(reconciliation.clean)
    assert {t: s for t, s in reconciliation.clean.items() if s != "pass"} == {}


@pytest.mark.parametrize("test", list(MART_CORRUPTIONS))
def test_reconciliation_catches_a_corrupted_mart_row(
    reconciliation: Reconciliation, test: str
) -> None:
    assert reconciliation.corrupted[test] == "fail"
    assert reconciliation.stored[test] >= 1
    assert reconciliation.rebuilt[test] == "pass"


def test_pinned_figures_catch_a_changed_figure(reconciliation: Reconciliation) -> None:
    """The corrupted own-plays row changes a pinned figure of seed 42 tiny."""
    assert reconciliation.corrupted["exp_tiny_seed_42_known_figures"] == "fail"
    assert reconciliation.rebuilt["exp_tiny_seed_42_known_figures"] == "pass"
