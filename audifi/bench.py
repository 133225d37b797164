"""What the warehouse benchmarks share: the running servers with data, and timed dbt runs."""

from __future__ import annotations

import time
from pathlib import Path

from audifi.cluster import Cluster, resolve_cluster
from audifi.dbt import run_dbt
from audifi.replication import wait_for_replica
from audifi.seed import seed_database
from audifi.settings import load_settings


def _plays(cluster: Cluster) -> int:
    with cluster.primary.connect() as conn:
        return conn.execute("SELECT count(*) FROM oltp.play_events").fetchone()[0]


def seeded_cluster(scale: str) -> tuple[Cluster, str]:
    """The servers `audifi up` started, seeded at ``scale`` when empty, replica caught up."""
    cluster = resolve_cluster(load_settings())
    url = cluster.primary.url.render_as_string(hide_password=False)
    if _plays(cluster) == 0:
        print(f"seeding {scale} …", flush=True)
        seed_database(url, scale)
    wait_for_replica(cluster, timeout=3600)
    print(f"play_events on the primary: {_plays(cluster):,}")
    return cluster, url


def timed_dbt(cluster: Cluster, args: list[str], target: Path, *, must_pass: bool = True) -> float:
    """Seconds `dbt ARGS` took; with ``must_pass``, a failure stops the benchmark with dbt's log."""
    started = time.perf_counter()
    result = run_dbt(cluster, args, target_path=target, capture=True)
    elapsed = time.perf_counter() - started
    if must_pass and result.returncode != 0:
        raise SystemExit(f"dbt {' '.join(args)} failed:\n{result.stdout[-4000:]}")
    return elapsed
