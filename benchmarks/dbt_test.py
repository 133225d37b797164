"""Benchmark: `dbt test` of the whole warehouse, and its slowest tests.

Runs on the servers `audifi up` started (set AUDIFI_HOME / AUDIFI_*_PORT as for any audifi
command), seeding `--scale` first when the primary is empty, then builds the models once
(`dbt run`, untimed) and measures, in one run:

* all        — `dbt test` (every data test and unit test of the project);
* invariants — `dbt test --select path:tests/invariants` (the invariant tests alone);
* the 5 slowest tests of the full run, from its run_results.json.

Judged by all / 120 s (target: `dbt test` on `large` in under 2 minutes); ratio <= 1.

    .venv/bin/audifi up
    .venv/bin/python benchmarks/dbt_test.py --scale large
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from audifi.bench import seeded_cluster, timed_dbt
from audifi.seed import SCALES

TARGET_SECONDS = 120.0


def _test_results(target: Path) -> list[dict]:
    """Results of data and unit tests (not on-run-start hooks)."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    return [r for r in results if r["unique_id"].startswith(("test.", "unit_test."))]


def _slowest(target: Path, count: int = 5) -> list[tuple[str, float, str]]:
    results = _test_results(target)
    timed = [(r["unique_id"], float(r["execution_time"]), r["status"]) for r in results]
    return sorted(timed, key=lambda r: r[1], reverse=True)[:count]


def _statuses(target: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in _test_results(target):
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="large")
    parser.add_argument(
        "--skip-run",
        action="store_true",
        help="the models are already built from this checkout: skip the untimed `dbt run`",
    )
    args = parser.parse_args()
    cluster, _ = seeded_cluster(args.scale)
    with tempfile.TemporaryDirectory(prefix="audifi-bench-dbt-test-") as tmp:
        target = Path(tmp)
        if args.skip_run:
            timed_dbt(cluster, ["parse"], target, must_pass=True)
        else:
            build = timed_dbt(cluster, ["run"], target, must_pass=True)
            print(f"dbt run (models, untimed for the ratio): {build:8.1f} s", flush=True)
        invariants = timed_dbt(
            cluster, ["test", "--select", "path:tests/invariants"], target, must_pass=False
        )
        print(f"dbt test, invariant tests only:          {invariants:8.1f} s  {_statuses(target)}")
        everything = timed_dbt(cluster, ["test"], target, must_pass=False)
        print(f"dbt test, whole project:                 {everything:8.1f} s  {_statuses(target)}")
        results = _test_results(target)
        summed = sum(float(r["execution_time"]) for r in results)
        print(f"  test execution summed over the threads: {summed:8.1f} s")
        for r in results:
            if r["status"] not in ("pass", "success"):
                print(f"  {r['status']:5}  {r['unique_id']}: {(r.get('message') or '')[:200]}")
        print("slowest tests of the whole run:")
        for unique_id, seconds, status in _slowest(target):
            print(f"  {seconds:7.1f} s  {status:5}  {unique_id}")
    ratio = everything / TARGET_SECONDS
    verdict = "OK" if ratio <= 1 else "TOO SLOW"
    print(f"judged: dbt test / {TARGET_SECONDS:.0f} s = {ratio:.2f} (target <= 1): {verdict}")


if __name__ == "__main__":
    main()
