"""Content hashes of the synthetic data, to show a refactor of ``audifi/seed`` changes nothing.

For each seed: ``tiny`` (or ``--scale``); then ``--append-days 2`` and ``3``; then a reorg of
20,000 blocks of chain 1 and of 60,000 blocks of chain 137.  Each step's hash is printed (one
line per step); with ``--check FILE`` the lines are compared with a previous run's output (the
same seeds) and any difference exits 1.  It starts a throw-away PostgreSQL server of its own
(``audifi.scratch``) and says on stderr which ``audifi.seed`` it ran.

    .venv/bin/python scripts/seed_hashes.py > /tmp/hashes.txt
    .venv/bin/python scripts/seed_hashes.py --check /tmp/hashes.txt
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import URL

import audifi.seed
from audifi.scratch import create_database, drop_database, throwaway_server
from audifi.seed import append_days, content_hash, reorg, seed_database


def hashes(server: URL, seed: int, scale: str) -> list[str]:
    name = f"seed_hashes_{seed}"
    url = create_database(server, name).render_as_string(hide_password=False)
    try:
        seed_database(url, scale, seed=seed, progress=False)
        out = [f"seed={seed} {scale} {content_hash(url)}"]
        append_days(url, 2, seed=seed, progress=False)
        append_days(url, 3, seed=seed, progress=False)
        out.append(f"seed={seed} +2+3 days {content_hash(url)}")
        reorg(url, 20_000, "1", seed=seed)
        out.append(f"seed={seed} reorg 1 {content_hash(url)}")
        reorg(url, 60_000, "137", seed=seed)
        out.append(f"seed={seed} reorg 137 {content_hash(url)}")
        return out
    finally:
        drop_database(server, name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", type=Path, help="a previous run's output to compare with")
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 7])
    parser.add_argument("--scale", default="tiny", help="small takes minutes per seed")
    args = parser.parse_args()
    print(f"code: {audifi.seed.__file__}", file=sys.stderr)
    with throwaway_server("seed-hashes") as server:
        lines = [line for seed in args.seeds for line in hashes(server.url(), seed, args.scale)]
    print("\n".join(lines), flush=True)
    if args.check:
        runs = tuple(f"seed={seed} " for seed in args.seeds)
        expected = [line for line in args.check.read_text().splitlines() if line.startswith(runs)]
        if expected != lines:
            print("DIFFERENT from", args.check, file=sys.stderr)
            return 1
        print("same as", args.check, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
