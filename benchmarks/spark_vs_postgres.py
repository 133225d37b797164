"""Benchmark: the streaming marts built on Apache Spark and on PostgreSQL, per million plays.

Runs on the servers `audifi up` started (set AUDIFI_HOME / AUDIFI_*_PORT as for any audifi
command), seeding `--scale` first when the primary is empty; one scale per run, so the curve
(tiny, small, medium, large) is the table of several runs (benchmarks/README.md).  Measures:

* export       — the replica's published tables to Parquet (`audifi spark export`, full copy);
* spark start  — JVM, Derby metastore and registering the lake: a one-view dbt run on Spark;
* spark build  — `dbt run --target spark` of the streaming marts and everything upstream of
                 them (`local[2]`, in the same process, so the JVM is already up);
* pg build     — the same selection, `dbt run --full-refresh` on the replica (skipped with
                 --spark-only: use that on servers someone else measures, it only reads them);
* sizes        — play_events in PostgreSQL (table + indexes) and in the Parquet lake;
* with --jdbc  — one aggregate over play_events read by Spark through JDBC (Debian's
                 libpostgresql-jdbc-java, /usr/share/java/postgresql.jar) against the same
                 aggregate on the Parquet lake: the measurement behind the Parquet choice.

Prints each figure and seconds per million plays; judged by spark build / pg build (the cost
of Spark over PostgreSQL at this scale, on one 2-core machine; docs/scale-out.md extrapolates).

    .venv/bin/audifi up
    .venv/bin/python benchmarks/spark_vs_postgres.py --scale small --jdbc
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from audifi.bench import seeded_cluster, timed_dbt
from audifi.cluster import Cluster
from audifi.seed import SCALES

# the streaming marts of the spec, and (with `+`) everything they are built from
STREAMING_MARTS = ["fct_streams_daily", "fct_master_streams_rolling", "fct_top_masters_weekly"]
SELECTION = ["--select", *(f"+{m}" for m in STREAMING_MARTS)]
JDBC_JAR = Path("/usr/share/java/postgresql.jar")
AGGREGATE = "count(*) as plays, sum(ms_played) as ms, count(distinct user_id) as users"


def _count(cluster: Cluster, sql: str) -> int:
    with cluster.analytics.connect() as conn:
        return int(conn.execute(sql).fetchone()[0])


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*.parquet"))


def _jdbc_vs_parquet(cluster: Cluster, session) -> tuple[float, float]:
    """Seconds for one aggregate by day over play_events: through JDBC, then from Parquet."""
    from audifi.replication import roles_from_env

    roles = roles_from_env(cluster)
    url = cluster.analytics.url
    high = _count(cluster, "select coalesce(max(id), 1) from oltp.play_events")
    started = time.perf_counter()
    (
        session.read.format("jdbc")
        .option("url", f"jdbc:postgresql://{url.host}:{url.port}/{url.database}")
        .option("driver", "org.postgresql.Driver")
        .option("dbtable", "oltp.play_events")
        .option("user", roles.dbt_user)
        .option("password", roles.need("dbt"))
        .option("partitionColumn", "id")
        .option("lowerBound", "1")
        .option("upperBound", str(high))
        .option("numPartitions", "2")
        .option("fetchsize", "10000")
        .load()
        .createOrReplaceTempView("jdbc_play_events")
    )
    by_day = "cast(started_at as date)"
    session.sql(f"select {by_day}, {AGGREGATE} from jdbc_play_events group by 1").collect()
    jdbc = time.perf_counter() - started
    started = time.perf_counter()
    session.sql(f"select lake_date, {AGGREGATE} from oltp.play_events group by 1").collect()
    return jdbc, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="tiny")
    parser.add_argument(
        "--spark-only", action="store_true", help="only read the servers: no dbt on PostgreSQL"
    )
    parser.add_argument("--jdbc", action="store_true", help="also time Spark reading over JDBC")
    parser.add_argument("--work", type=Path, help="lake and Spark files here (default: a temp dir)")
    args = parser.parse_args()
    if args.jdbc:
        if not JDBC_JAR.exists():
            raise SystemExit(f"{JDBC_JAR} missing: apt-get install libpostgresql-jdbc-java")
        os.environ["AUDIFI_SPARK_JARS"] = str(JDBC_JAR)

    from audifi.lake import export_lake, lake_dir
    from audifi.spark import SparkDbt, spark_session

    cluster, _ = seeded_cluster(args.scale)
    plays = _count(cluster, "select count(*) from oltp.play_events")
    pg_bytes = _count(cluster, "select pg_total_relation_size('oltp.play_events')")
    with tempfile.TemporaryDirectory(prefix="audifi-bench-spark-") as tmp:
        work = args.work or Path(tmp)
        started = time.perf_counter()
        tables = export_lake(cluster.analytics, lake_dir(work), full=True)
        export = time.perf_counter() - started
        rows = sum(t.rows for t in tables)
        lake_bytes = _du(lake_dir(work) / "play_events")

        spark = SparkDbt(cluster, work, work / "target")
        started = time.perf_counter()
        run = spark.run(["run", "--select", "stg_oltp__accounts"])
        spark_start = time.perf_counter() - started
        if not run.success:
            raise SystemExit(f"dbt run on Spark failed:\n{run.tail()}")
        started = time.perf_counter()
        run = spark.run(["run", *SELECTION])
        spark_build = time.perf_counter() - started
        if not run.success:
            raise SystemExit(f"dbt run on Spark failed:\n{run.tail()}")
        models = len(run.statuses)
        jdbc = _jdbc_vs_parquet(cluster, spark_session(work)) if args.jdbc else None
        pg_build = None
        if not args.spark_only:
            pg_build = timed_dbt(cluster, ["run", "--full-refresh", *SELECTION], work / "pg")
        subprocess.run(["du", "-sh", str(work)], check=False)

    per_m = max(plays, 1) / 1e6
    print(f"scale {args.scale}: {plays:,} plays, {rows:,} published rows, {models} dbt nodes")
    print(f"export (all tables, full):   {export:8.1f} s   {export / per_m:8.1f} s per M plays")
    print(f"spark start (JVM, metastore): {spark_start:7.1f} s")
    print(f"spark build:                 {spark_build:8.1f} s   {spark_build / per_m:8.1f} s per M")
    if pg_build is not None:
        print(f"pg build:                    {pg_build:8.1f} s   {pg_build / per_m:8.1f} s per M")
    print(f"play_events in PostgreSQL:   {pg_bytes / plays:8.1f} bytes a play (table + indexes)")
    print(f"play_events in Parquet:      {lake_bytes / plays:8.1f} bytes a play")
    if jdbc is not None:
        print(f"aggregate over JDBC:         {jdbc[0]:8.1f} s   over Parquet: {jdbc[1]:.1f} s")
    if pg_build is not None:
        print(f"ratio spark build / pg build: {spark_build / pg_build:7.2f}")


if __name__ == "__main__":
    main()
