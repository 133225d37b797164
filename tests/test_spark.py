"""The same dbt project on Apache Spark (issue 12), part of `make test`.

`tiny` is exported to Parquet and its models built with dbt on Spark (session mode) inside
this pytest process: every Spark test shares that one JVM, SparkSession and Derby metastore
(`SparkDbt`), which is what keeps them to a few minutes on 2 cores.  Then:

* every mart of the spec is compared row by row with the PostgreSQL build of the same data
  (the shared `warehouse`): zero differences;
* after `--append-days 1` (on a twin of that warehouse, seeded alike), an incremental Spark
  build equals a full Spark refresh, and the export wrote only play_events' new rows;
* a base-unit amount too long for Spark's decimal(38,0) stops the Spark build with the test
  that names it, instead of becoming NULL.

Only models are built on Spark (no data tests but the decimal guard): the data tests run on
PostgreSQL in the rest of the suite, and take seconds each on Spark.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pyarrow.dataset as ds
import pytest

from audifi.lake import export_lake, lake_dir
from audifi.replication import wait_for_replica
from audifi.spark import SPEC_MARTS, SparkDbt, compare_marts, diff_rows, grains, spark_rows
from tests.conftest import Warehouse, fresh_cluster

pytestmark = pytest.mark.spark

SPEC_SCHEMA = {mart: schema for schema, marts in SPEC_MARTS.items() for mart in marts}


@pytest.fixture(scope="module")
def spark_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("spark-home")


@pytest.fixture(scope="module")
def spark_tiny(warehouse: Warehouse, spark_home: Path) -> SparkDbt:
    """The shared `tiny` warehouse exported to the lake and its models built on Spark."""
    export_lake(warehouse.cluster.analytics, lake_dir(spark_home))
    spark = SparkDbt(warehouse.cluster, spark_home, spark_home / "target")
    run = spark.run(["build", "--resource-type", "model"])
    assert run.success, run.tail()
    assert list(run.statuses.values()).count("success") >= 74, run.statuses
    return spark


@pytest.fixture(scope="module")
def twin() -> Iterator[Warehouse]:
    """Servers seeded exactly as the shared warehouse (`tiny`, seed 42), free to change."""
    with fresh_cluster() as (cluster, _, _, env), tempfile.TemporaryDirectory() as target:
        twin = Warehouse(cluster, env, Path(target))
        twin.seed("tiny", seed=42)
        yield twin


def test_spark_marts_equal_postgres(warehouse: Warehouse, spark_tiny: SparkDbt) -> None:
    lines: list[str] = []
    results = compare_marts(
        warehouse.cluster, spark_tiny.home, spark_tiny.target_path / "manifest.json", lines.append
    )
    assert len(results) == 17
    assert all(r.rows_postgres > 0 for r in results), "\n".join(lines)
    assert [r.mart for r in results if r.differences] == [], "\n".join(lines)


def _lake_rows(root: Path) -> dict[str, list[tuple]]:
    """Every table of a lake as sorted rows (Parquet file order is not the data)."""
    tables = json.loads((root / "_tables.json").read_text())
    found = {}
    for name in tables:
        data = ds.dataset(root / name, format="parquet", partitioning="hive").to_table()
        found[name] = sorted(tuple(repr(v) for v in row.values()) for row in data.to_pylist())
    return found


def _downstream_of_incremental(manifest_path: Path) -> set[str]:
    manifest = json.loads(manifest_path.read_text())
    todo = [
        uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    ]
    seen: set[str] = set()
    while todo:
        uid = todo.pop()
        if uid not in seen:
            seen.add(uid)
            todo.extend(c for c in manifest["child_map"].get(uid, []) if c.startswith("model."))
    return {uid.split(".")[-1] for uid in seen}


def _read_marts(spark: SparkDbt, marts: list[str]) -> dict[str, list[dict]]:
    from audifi.spark import spark_session

    session = spark_session(spark.home)
    return {mart: spark_rows(session, SPEC_SCHEMA[mart], mart) for mart in marts}


def test_incremental_spark_build_equals_full_refresh(
    spark_tiny: SparkDbt, twin: Warehouse, tmp_path: Path
) -> None:
    lake = lake_dir(spark_tiny.home)
    # the twin holds exactly the data the Spark marts were built on
    export_lake(twin.cluster.analytics, tmp_path / "twin-lake")
    assert _lake_rows(tmp_path / "twin-lake") == _lake_rows(lake)

    twin.append_days(1, seed=42)
    exported = {t.name: t for t in export_lake(twin.cluster.analytics, lake)}
    plays = exported["play_events"]
    with twin.cluster.analytics.connect() as conn:
        (replica_plays,) = conn.execute("select count(*) from oltp.play_events").fetchone()
    # only the appended day's plays were written, and the lake has them all
    assert plays.exports == 2 and 0 < plays.exported_rows < plays.rows == replica_plays

    manifest = spark_tiny.target_path / "manifest.json"
    selected = _downstream_of_incremental(manifest)
    marts = [m for m in SPEC_SCHEMA if m in selected]
    assert {"fct_streams_daily", "fct_master_streams_rolling", "fct_nft_sales_daily"} <= set(marts)
    grain_of = grains(manifest)
    before = _read_marts(spark_tiny, ["fct_streams_daily"])["fct_streams_daily"]

    select = ["--resource-type", "model", "--select", "config.materialized:incremental+"]
    run = spark_tiny.run(["build", *select])
    assert run.success, run.tail()
    plays_sql = next(spark_tiny.target_path.glob("run/**/int_streaming__plays.sql")).read_text()
    assert "insert overwrite" in plays_sql.lower(), "the build after the append was not incremental"
    incremental = _read_marts(spark_tiny, marts)
    assert len(incremental["fct_streams_daily"]) > len(before), "the appended day is missing"

    run = spark_tiny.run(["build", *select, "--full-refresh"])
    assert run.success, run.tail()
    refreshed = _read_marts(spark_tiny, marts)

    report = []
    for mart in marts:
        columns = list(refreshed[mart][0]) if refreshed[mart] else []
        labels = ("incremental", "full_refresh")
        for line in diff_rows(incremental[mart], refreshed[mart], grain_of[mart], columns, labels):
            report.append(f"{mart}: {line}")
    assert all(refreshed[m] for m in marts), [m for m in marts if not refreshed[m]]
    assert report == [], "\n".join(report)


def test_amount_over_38_digits_fails_the_spark_build(
    spark_tiny: SparkDbt, twin: Warehouse, tmp_path: Path
) -> None:
    """A 39-digit wei amount is exported as text and the guard test fails loudly."""
    with psycopg.connect(twin.primary_dsn) as conn:
        conn.execute(
            "update oltp.nft_transfers set sale_price_wei = 10::numeric ^ 38"
            " where id = (select id from oltp.nft_transfers"
            "             where sale_price_wei is not null order by id limit 1)"
        )
    wait_for_replica(twin.cluster, timeout=120)
    lake = tmp_path / "lake"
    export_lake(twin.cluster.analytics, lake, tables=["nft_transfers"])
    manifest = json.loads((lake / "_tables.json").read_text())
    assert manifest["nft_transfers"]["string_amounts"] == ["sale_price_wei"]

    # registered under a schema of its own: the tiny lake's `oltp` tables stay as they are
    run = spark_tiny.run(
        ["build", "--select", "source:oltp.nft_transfers", "stg_oltp__nft_transfers"],
        lake=lake,
        AUDIFI_DBT_SOURCE_SCHEMA="oltp_overflow",
    )
    assert not run.success, run.tail()
    guard = "source_fits_decimal_38_oltp_nft_transfers_sale_price_wei"
    assert run.statuses.get(guard) == "fail", run.statuses
    assert any(guard in line and "FAIL 1" in line for line in run.log), run.tail()
    # the staging model depending on it is not built on a value Spark would make NULL
    assert run.statuses.get("stg_oltp__nft_transfers") == "skipped", run.statuses
