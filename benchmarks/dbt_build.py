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
from pathlib import Path

from audifi.bench import seeded_cluster, timed_dbt
from audifi.cluster import Cluster
from audifi.replication import wait_for_replica
from audifi.seed import SCALES, append_days

SIZE_SQL = """
SELECT coalesce(sum(pg_total_relation_size(c.oid)) FILTER (
           WHERE n.nspname IN ('marts', 'marts_finance')), 0),
       coalesce(sum(pg_total_relation_size(c.oid)), 0)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm') AND n.nspname IN
      ('staging', 'intermediate', 'marts', 'marts_finance', 'test_failures')
"""


def _sizes(cluster: Cluster) -> tuple[int, int]:
    with cluster.analytics.connect() as conn:
        marts, built = conn.execute(SIZE_SQL).fetchone()
    return int(marts), int(built)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="large")
    args = parser.parse_args()
    cluster, url = seeded_cluster(args.scale)
    with tempfile.TemporaryDirectory(prefix="audifi-bench-dbt-") as tmp:
        target = Path(tmp)
        parse = timed_dbt(cluster, ["parse", "--no-partial-parse"], target)
        full = timed_dbt(cluster, ["build", "--full-refresh"], target)
        after_full = _sizes(cluster)
        append_days(url, 1)
        wait_for_replica(cluster, timeout=3600)
        incremental = timed_dbt(cluster, ["build"], target)
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
