"""Benchmark the seed loader against a raw COPY of the same rows, side by side.

    python benchmarks/load.py [--scale large] [--seed 42] [--url postgresql+psycopg://...]

Without ``--url`` a throwaway PostgreSQL server is started (``audifi.pgserver.LocalServer``)
under a temporary directory and stopped at the end, also on failure.  Two empty databases are
migrated to head with the project's Alembic migrations (as ``audifi migrate`` does for the
primary, publication included): the first is seeded (generator + loader, timed); its tables are
then dumped to files with COPY TO, and the files are COPYed into the second database in one
transaction (timed).  Prints the rows per table, rows/s of both, their ratio (issue 10's target:
>= 0.8) and the peak resident memory of this process during the seed (target < 2 GiB), each
with "met" or "MISSED", and the machine's load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import oltp
from audifi.scratch import create_database, drop_database, throwaway_server
from audifi.seed import SCALES, seed_database

# issue 10's targets: the seed keeps >= 0.8 of raw COPY's rows/s, peak memory < 2 GiB at large
RATIO_TARGET = 0.8
PEAK_TARGET_GIB = 2


def dump(url: str, folder: Path) -> list[tuple[str, Path]]:
    files = []
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for table in oltp.metadata.sorted_tables:  # FK order
            path = folder / f"{table.name}.tsv"
            with (
                path.open("wb") as fh,
                conn.cursor().copy(f"COPY oltp.{table.name} TO STDOUT") as copy,
            ):
                for block in copy:
                    fh.write(block)
            files.append((table.name, path))
    return files


def raw_copy(url: str, files: list[tuple[str, Path]]) -> float:
    t0 = time.perf_counter()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        with conn.cursor() as cur:
            for table, path in files:
                with path.open("rb") as fh, cur.copy(f"COPY oltp.{table} FROM STDIN") as copy:
                    while block := fh.read(1 << 20):
                        copy.write(block)
        conn.commit()
    return time.perf_counter() - t0


def run(base_url: str, scale: str, seed: int) -> None:
    server = make_url(base_url)
    seeded = create_database(server, "bench_seed").render_as_string(hide_password=False)
    t0 = time.perf_counter()
    counts = seed_database(seeded, scale, seed=seed, progress=True)
    t_seed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    rows = sum(counts.values())
    with tempfile.TemporaryDirectory(prefix="audifi-bench-") as tmp:
        files = dump(seeded, Path(tmp))
        drop_database(server, "bench_seed")
        target = create_database(server, "bench_raw").render_as_string(hide_password=False)
        t_raw = raw_copy(target, files)
        drop_database(server, "bench_raw")
    gen_rate, raw_rate = rows / t_seed, rows / t_raw
    print(
        f"\nscale={scale} seed={seed} rows={rows:,} (play_events={counts['play_events']:,}, "
        f"nft_transfers={counts['nft_transfers']:,}, "
        f"vstudio_engagement_events={counts['vstudio_engagement_events']:,})"
    )
    for table, n in sorted(counts.items()):
        print(f"  {table:<28}{n:>12,}")
    print(f"{'':24}{'seconds':>10}{'rows/s':>14}")
    print(f"{'generator + loader':24}{t_seed:>10.1f}{gen_rate:>14,.0f}")
    print(f"{'raw COPY from files':24}{t_raw:>10.1f}{raw_rate:>14,.0f}")
    ratio, peak_gib = gen_rate / raw_rate, peak / 2**30
    print(f"ratio (target >= {RATIO_TARGET}): {ratio:.2f} ({_verdict(ratio >= RATIO_TARGET)})")
    print(
        f"peak memory (ru_maxrss, target < {PEAK_TARGET_GIB} GiB): {peak_gib:.2f} GiB "
        f"({_verdict(peak_gib < PEAK_TARGET_GIB)})"
    )
    print(f"load average during the run (1/5/15 min, at the end): {os.getloadavg()}")


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="large", choices=SCALES)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--url", help="any database URL on a server where we may CREATE DATABASE")
    args = parser.parse_args()
    if args.url:
        run(args.url, args.scale, args.seed)
        return
    conf = {"shared_buffers": "'512MB'", "max_wal_size": "'8GB'"}
    with throwaway_server("bench", conf) as server:
        run(server.url().render_as_string(hide_password=False), args.scale, args.seed)


if __name__ == "__main__":
    main()
