"""The dbt project on Apache Spark: build it (`audifi spark build`) and prove its marts equal
PostgreSQL's (`audifi spark compare`).

Spark runs in session mode inside dbt's process (profiles.yml, target `spark`); its warehouse,
Hive metastore (embedded Derby) and the exported lake live under AUDIFI_HOME.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from audifi.cluster import Cluster
from audifi.dbt import PROJECT_DIR, dbt_env, dbt_executable
from audifi.errors import AudifiError
from audifi.lake import lake_dir, lake_tables_env

# The marts of ../shared/spec/marts.md: the public interface both engines must agree on.
SPEC_MARTS = {
    "marts_finance": [
        "fct_revenue_events",
        "fct_revenue_monthly",
        "fct_artist_performance",
        "fct_subscription_invoices_monthly",
    ],
    "marts": [
        "fct_master_ipo_metrics",
        "fct_nft_sales_daily",
        "fct_dividend_distributions",
        "fct_dividend_contract_balances",
        "fct_wallet_dividends",
        "fct_dividend_allocations",
        "fct_streams_daily",
        "fct_master_streams_rolling",
        "fct_top_masters_weekly",
        "fct_vstudio_sessions",
        "fct_vstudio_funnel",
        "fct_active_users_daily",
        "fct_signup_cohorts",
    ],
}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
CENT = Decimal("0.01")


def spark_home(home: Path) -> Path:
    return home / "spark"


def spark_env(cluster: Cluster, home: Path) -> dict[str, str]:
    """What profiles.yml (target spark) and macro register_lake_sources read."""
    lake = lake_dir(home)
    return {
        **dbt_env(cluster),
        "AUDIFI_DBT_TARGET": "spark",
        "AUDIFI_SPARK_HOME": str(spark_home(home)),
        "AUDIFI_SPARK_LAKE": str(lake),
        "AUDIFI_SPARK_LAKE_TABLES": lake_tables_env(lake),
    }


def run_dbt_spark(
    cluster: Cluster,
    home: Path,
    args: list[str],
    *,
    target_path: Path | None = None,
    capture: bool = False,
) -> subprocess.CompletedProcess:
    """Run `dbt ARGS --target spark`; Spark starts inside dbt (session mode)."""
    spark_home(home).mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **spark_env(cluster, home)}
    if target_path is not None:
        env["DBT_TARGET_PATH"] = str(target_path)
        env["DBT_LOG_PATH"] = str(target_path / "logs")
    cmd = [dbt_executable(), *args, "--project-dir", str(PROJECT_DIR)]
    # Spark writes derby.log and spark-warehouse helpers into the working directory
    return subprocess.run(
        cmd, env=env, cwd=spark_home(home), capture_output=capture, text=True, check=False
    )


def spark_session(home: Path):
    """A Spark session on the metastore dbt built (not while a dbt run holds it)."""
    from pyspark.sql import SparkSession

    root = spark_home(home)
    if not (root / "metastore_db").exists():
        raise AudifiError(f"no Spark build in {root}: run `audifi spark build` first")
    os.environ.setdefault("PYSPARK_PYTHON", "python3")
    return (
        SparkSession.builder.master(os.environ.get("AUDIFI_SPARK_MASTER", "local[2]"))
        .appName("audifi-spark-compare")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000")
        .config("spark.sql.warehouse.dir", str(root / "warehouse"))
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={root}/metastore_db;create=true",
        )
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={root}")
        .enableHiveSupport()
        .getOrCreate()
    )


def grains(manifest_path: Path) -> dict[str, list[str]]:
    """Each model's grain, from its unique_combination test: the one place that states it."""
    manifest = json.loads(manifest_path.read_text())
    found: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if meta.get("name") != "unique_combination" or not node.get("attached_node"):
            continue
        columns = meta.get("kwargs", {}).get("combination_of_columns")
        if columns:
            found[node["attached_node"].split(".")[-1]] = list(columns)
    return found


def _normal(value: object) -> object:
    """One comparable form: exact integers, fiat to the cent, instants in UTC microseconds."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return value.quantize(CENT)
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return (aware - EPOCH) // dt.timedelta(microseconds=1)
    if value is None or isinstance(value, int | str | bool | dt.date):
        return value
    return str(value)  # uuid


@dataclass
class MartDiff:
    mart: str
    rows_postgres: int
    rows_spark: int
    differences: list[str] = field(default_factory=list)


def _keyed(rows: Iterable[dict], grain: list[str], columns: list[str]) -> dict[tuple, tuple]:
    keyed = {}
    for row in rows:
        key = tuple(_normal(row[c]) for c in grain)
        keyed[key] = tuple(_normal(row[c]) for c in columns)
    return keyed


def _postgres_rows(cluster: Cluster, schema: str, mart: str) -> tuple[list[str], list[dict]]:
    from psycopg.rows import dict_row

    with cluster.analytics.connect() as conn, conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"select * from {schema}.{mart}")
        columns = [d.name for d in cur.description or []]
        return columns, cur.fetchall()


def _spark_rows(session, schema: str, mart: str) -> list[dict]:
    frame = session.table(f"{schema}.{mart}")
    # timestamps as UTC microseconds: collect() would turn them into local wall-clock times
    select = [
        f"unix_micros({f.name}) as {f.name}" if f.dataType.typeName() == "timestamp" else f.name
        for f in frame.schema.fields
    ]
    return [row.asDict() for row in frame.selectExpr(*select).collect()]


def compare_mart(
    cluster: Cluster, session, schema: str, mart: str, grain: list[str], limit: int = 20
) -> MartDiff:
    columns, pg_rows = _postgres_rows(cluster, schema, mart)
    for row in pg_rows:
        for name, value in row.items():
            if isinstance(value, dt.datetime):
                row[name] = _normal(value)
    spark_rows = _spark_rows(session, schema, mart)
    diff = MartDiff(mart, len(pg_rows), len(spark_rows))
    if len(pg_rows) != len(spark_rows):
        diff.differences.append(f"row count: pg={len(pg_rows)} spark={len(spark_rows)}")
    missing_columns = sorted(set(columns) - set(spark_rows[0] if spark_rows else columns))
    if missing_columns:
        diff.differences.append(f"columns missing on Spark: {', '.join(missing_columns)}")
        return diff
    pg = _keyed(pg_rows, grain, columns)
    sp = _keyed(spark_rows, grain, columns)
    for key in sorted(set(pg) | set(sp), key=repr):
        if len(diff.differences) >= limit:
            diff.differences.append("… (more differences not shown)")
            break
        where = ", ".join(f"{c}={v}" for c, v in zip(grain, key, strict=True))
        if key not in sp:
            diff.differences.append(f"{where}: only on PostgreSQL")
        elif key not in pg:
            diff.differences.append(f"{where}: only on Spark")
        elif pg[key] != sp[key]:
            changed = [
                f"{c} pg={a!r} spark={b!r}"
                for c, a, b in zip(columns, pg[key], sp[key], strict=True)
                if a != b
            ]
            diff.differences.append(f"{where}: {'; '.join(changed)}")
    return diff


def compare_marts(
    cluster: Cluster, home: Path, manifest_path: Path, say: Callable[[str], None]
) -> list[MartDiff]:
    """Every spec mart read from both engines and compared row by row, keyed by its grain."""
    grain_of = grains(manifest_path)
    session = spark_session(home)
    try:
        results = []
        for schema, marts in SPEC_MARTS.items():
            for mart in marts:
                if mart not in grain_of:
                    raise AudifiError(f"{mart} has no unique_combination test: no grain to key")
                diff = compare_mart(cluster, session, schema, mart, grain_of[mart])
                results.append(diff)
                verdict = "equal" if not diff.differences else f"{len(diff.differences)} diff"
                say(
                    f"{schema}.{mart}: {diff.rows_postgres} rows pg, {diff.rows_spark} spark: "
                    f"{verdict}"
                )
                for line in diff.differences:
                    say(f"    {line}")
        return results
    finally:
        session.stop()
