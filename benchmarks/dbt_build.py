"""Benchmark: a full `dbt build` of the warehouse against an incremental one after a day.

Runs on the servers `audifi up` started (set AUDIFI_HOME / AUDIFI_*_PORT as for any audifi
command), seeding `--scale` first when the primary is empty, and measures, in one run:

* parse       — `dbt parse` from scratch (no partial parsing);
* full        — `dbt build --full-refresh` (models and tests);
* incremental — `dbt build` after `audifi seed --append-days 1` has replicated;
* the size of the marts (schemas marts + marts_finance) and of everything dbt built,
  after each build; the peak is reported.

Judged by incremental / full; target <= 0.1.

    .venv/bin/audifi up
    .venv/bin/python benchmarks/dbt_build.py --scale large
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from audifi.cluster import Cluster, resolve_cluster
from audifi.dbt import run_dbt
from audifi.replication import wait_for_replica
from audifi.seed import SCALES, append_days, seed_database
from audifi.settings import load_settings

SIZE_SQL = """
SELECT coalesce(sum(pg_total_relation_size(c.oid)) FILTER (
           WHERE n.nspname IN ('marts', 'marts_finance')), 0),
       coalesce(sum(pg_total_relation_size(c.oid)), 0)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm') AND n.nspname IN
      ('staging', 'intermediate', 'marts', 'marts_finance', 'test_failures')
"""


def _timed_dbt(cluster: Cluster, args: list[str], target: Path) -> float:
    started = time.perf_counter()
    result = run_dbt(cluster, args, target_path=target, capture=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"dbt {' '.join(args)} failed:\n{result.stdout[-4000:]}")
    return elapsed


def _sizes(cluster: Cluster) -> tuple[int, int]:
    with cluster.analytics.connect() as conn:
        marts, built = conn.execute(SIZE_SQL).fetchone()
    return int(marts), int(built)


def _rows(cluster: Cluster) -> int:
    with cluster.primary.connect() as conn:
        return conn.execute("SELECT count(*) FROM oltp.play_events").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="large")
    args = parser.parse_args()
    cluster = resolve_cluster(load_settings())
    url = cluster.primary.url.render_as_string(hide_password=False)
    if _rows(cluster) == 0:
        print(f"seeding {args.scale} …", flush=True)
        seed_database(url, args.scale)
    wait_for_replica(cluster, timeout=3600)
    print(f"play_events on the primary: {_rows(cluster):,}")
    with tempfile.TemporaryDirectory(prefix="audifi-bench-dbt-") as tmp:
        target = Path(tmp)
        parse = _timed_dbt(cluster, ["parse", "--no-partial-parse"], target)
        full = _timed_dbt(cluster, ["build", "--full-refresh"], target)
        after_full = _sizes(cluster)
        append_days(url, 1)
        wait_for_replica(cluster, timeout=3600)
        incremental = _timed_dbt(cluster, ["build"], target)
        after_incremental = _sizes(cluster)
    peak_marts = max(after_full[0], after_incremental[0])
    peak_built = max(after_full[1], after_incremental[1])
    mib = 1024 * 1024
    print(f"dbt parse (no partial parse): {parse:8.1f} s")
    print(f"full dbt build:               {full:8.1f} s")
    print(f"incremental dbt build (+1 d): {incremental:8.1f} s")
    print(f"peak size of the marts:       {peak_marts / mib:8.1f} MiB")
    print(f"peak size of all dbt output:  {peak_built / mib:8.1f} MiB")
    print(f"ratio incremental / full:     {incremental / full:8.3f}  (target <= 0.1)")


if __name__ == "__main__":
    main()
