"""The migrated databases match the spec, object by object."""

from __future__ import annotations

import pytest

from tests.catalog import actual_catalog, check_constraints, expected_catalog, load_spec


def test_spec_catalog_has_the_documented_totals():
    spec = load_spec()
    design = {k: t for k, t in spec["tables"].items() if t["module"] != "streaming"}
    assert len(design) == 42
    assert len([e for e in spec["enums"].values() if e["module"] != "streaming"]) == 27
    assert sum(len(t["columns"]) for t in design.values()) == 635
    fks = [f for t in design.values() for f in t["foreign_keys"]]
    assert (len(fks), sum(f["on_delete"] == "CASCADE" for f in fks)) == (60, 14)
    indexes = [i for t in design.values() for i in t["indexes"]]
    assert (len(indexes), sum(i["unique"] for i in indexes)) == (171, 36)


@pytest.mark.parametrize("part", ["enums", "tables"])
def test_primary_matches_spec(cluster, primary_dsn, part):
    expected = expected_catalog()[part]
    actual = actual_catalog(primary_dsn)[part]
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], name


def test_replica_matches_spec_minus_classification(cluster, replica_dsn):
    expected = expected_catalog(replica=True)
    actual = actual_catalog(replica_dsn)
    assert actual["enums"] == expected["enums"]
    assert sorted(actual["tables"]) == sorted(expected["tables"])
    for name in expected["tables"]:
        assert actual["tables"][name] == expected["tables"][name], name


def test_named_check_constraints_enforce_single_row_rules(cluster, primary_dsn):
    checks = check_constraints(primary_dsn)
    assert "total_supply >= 1" in checks["master_ipos_valid_total_supply"]
    for name in [
        "master_ipos_revenue_split_total",
        "master_ipos_bps_range",
        "master_collaborators_split_bps_range",
        "token_holders_balance_non_negative",
        "subscriptions_period_window",
        "play_events_ms_played_range",
        "dsp_stream_reports_counts_non_negative",
        "dsp_stream_reports_not_audifi",
    ]:
        assert name in checks, name
