"""Print the README's table of rows per table at each seed scale (seeds each scale for real).

.venv/bin/python scripts/seed_row_counts.py [--seed 42] [tiny small medium large]
"""

from __future__ import annotations

import argparse

from audifi.scratch import create_database, drop_database, throwaway_server
from audifi.seed import SCALES, seed_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scales", nargs="*", help=f"any of {', '.join(SCALES)} (default: all)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    args.scales = args.scales or list(SCALES)
    if unknown := set(args.scales) - set(SCALES):
        parser.error(f"unknown scale(s): {', '.join(sorted(unknown))}")
    counts: dict[str, dict[str, int]] = {}
    with throwaway_server("rowcounts", {"max_wal_size": "'8GB'"}) as server:
        for scale in args.scales:
            url = create_database(server.url(), f"rows_{scale}")
            counts[scale] = seed_database(
                url.render_as_string(hide_password=False), scale, seed=args.seed, progress=False
            )
            drop_database(server.url(), f"rows_{scale}")
    print("| table | " + " | ".join(args.scales) + " |")
    print("|---|" + "---:|" * len(args.scales))
    for table in sorted(next(iter(counts.values()))):
        print(f"| `{table}` | " + " | ".join(f"{counts[s][table]:,}" for s in args.scales) + " |")
    totals = " | ".join(f"**{sum(counts[s].values()):,}**" for s in args.scales)
    print(f"| **total** | {totals} |")


if __name__ == "__main__":
    main()
