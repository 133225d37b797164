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


def spark_env(cluster: Cluster, home: Path, lake: Path | None = None) -> dict[str, str]:
    """What profiles.yml (target spark) and macro register_lake_sources read."""
    lake = lake or lake_dir(home)
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
    """A Spark session on the metastore dbt built (not while another process's dbt holds it).

    In a process that ran dbt itself (`SparkDbt`), that run's session is returned."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
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
        .config("spark.sql.hive.manageFilesourcePartitions", "false")
        .config("spark.sql.warehouse.dir", str(root / "warehouse"))
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={root}/metastore_db;create=true",
        )
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={root}")
        .enableHiveSupport()
        .getOrCreate()
    )


@dataclass
class DbtRun:
    """One in-process dbt invocation: did it succeed, each node's status, dbt's log lines."""

    success: bool
    statuses: dict[str, str]  # node name -> success/error/pass/fail/skipped/…
    log: list[str]

    def tail(self, lines: int = 80) -> str:
        return "\n".join(self.log[-lines:])


class SparkDbt:
    """dbt on Spark inside this Python process: every run shares one JVM and SparkSession.

    A `dbt` subprocess starts a JVM and opens the Derby metastore each time (about a minute on
    2 cores); here only the first run pays that.  Spark's static settings (warehouse, metastore)
    are fixed by the first run, so one process serves one Spark home.
    """

    _home: Path | None = None

    def __init__(self, cluster: Cluster, home: Path, target_path: Path) -> None:
        if SparkDbt._home not in (None, home):
            raise AudifiError(f"this process's Spark session belongs to {SparkDbt._home}")
        SparkDbt._home = home
        self.cluster, self.home, self.target_path = cluster, home, target_path

    def run(self, args: list[str], lake: Path | None = None, **env: str) -> DbtRun:
        """`dbt ARGS --target spark` on ``lake`` (default: the home's); ``env`` adds variables
        (AUDIFI_DBT_SOURCE_SCHEMA…)."""
        from dbt.cli.main import dbtRunner

        spark_home(self.home).mkdir(parents=True, exist_ok=True)
        values = {**spark_env(self.cluster, self.home, lake), **env}
        saved = {k: os.environ.get(k) for k in values}
        log: list[str] = []

        def keep(event) -> None:
            if event.info.level in ("info", "warn", "error") and event.info.msg:
                log.append(event.info.msg)

        os.environ.update(values)
        try:
            result = dbtRunner(callbacks=[keep]).invoke(
                [
                    *args,
                    "--project-dir",
                    str(PROJECT_DIR),
                    "--target-path",
                    str(self.target_path),
                    "--log-path",
                    str(self.target_path / "logs"),
                ]
            )
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        statuses = {}
        for node in getattr(result.result, "results", None) or []:
            statuses[node.node.name] = str(node.status)
        if result.exception is not None:
            log.append(f"dbt raised: {result.exception!r}")
        return DbtRun(bool(result.success), statuses, log)


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


def diff_rows(
    left: list[dict],
    right: list[dict],
    grain: list[str],
    columns: list[str],
    labels: tuple[str, str],
    limit: int = 20,
) -> list[str]:
    """Row-by-row differences of two readings of a mart, keyed by its grain."""
    a_name, b_name = labels
    differences = []
    if len(left) != len(right):
        differences.append(f"row count: {a_name}={len(left)} {b_name}={len(right)}")
    missing = sorted(set(columns) - set(right[0] if right else columns))
    if missing:
        differences.append(f"columns missing on {b_name}: {', '.join(missing)}")
        return differences
    a = _keyed(left, grain, columns)
    b = _keyed(right, grain, columns)
    for key in sorted(set(a) | set(b), key=repr):
        if len(differences) >= limit:
            differences.append("… (more differences not shown)")
            break
        where = ", ".join(f"{c}={v}" for c, v in zip(grain, key, strict=True))
        if key not in b:
            differences.append(f"{where}: only on {a_name}")
        elif key not in a:
            differences.append(f"{where}: only on {b_name}")
        elif a[key] != b[key]:
            changed = [
                f"{c} {a_name}={x!r} {b_name}={y!r}"
                for c, x, y in zip(columns, a[key], b[key], strict=True)
                if x != y
            ]
            differences.append(f"{where}: {'; '.join(changed)}")
    return differences


def spark_rows(session, schema: str, mart: str) -> list[dict]:
    """A Spark table's rows, timestamps as UTC microseconds (the comparison's form)."""
    return _spark_rows(session, schema, mart)


def compare_mart(
    cluster: Cluster, session, schema: str, mart: str, grain: list[str], limit: int = 20
) -> MartDiff:
    columns, pg_rows = _postgres_rows(cluster, schema, mart)
    for row in pg_rows:
        for name, value in row.items():
            if isinstance(value, dt.datetime):
                row[name] = _normal(value)
    sp_rows = _spark_rows(session, schema, mart)
    diff = MartDiff(mart, len(pg_rows), len(sp_rows))
    diff.differences = diff_rows(pg_rows, sp_rows, grain, columns, ("pg", "spark"), limit)
    return diff


def compare_marts(
    cluster: Cluster, home: Path, manifest_path: Path, say: Callable[[str], None]
) -> list[MartDiff]:
    """Every spec mart read from both engines and compared row by row, keyed by its grain."""
    grain_of = grains(manifest_path)
    session = spark_session(home)
    # a session this process's dbt runs started (SparkDbt) lives on for the next run
    owned = SparkDbt._home is None
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
        if owned:
            session.stop()
