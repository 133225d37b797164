"""Print the README's table of rows per table at each seed scale (seeds each scale for real).

.venv/bin/python scripts/seed_row_counts.py [--seed 42] [--write-readme] [tiny small medium large]

With ``--write-readme`` the table also replaces the one between the ``seed_row_counts``
markers in README.md, under a line naming the seed and scales it came from.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from audifi.scratch import create_database, drop_database, throwaway_server
from audifi.seed import SCALES, seed_database

README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN, END = "<!-- seed_row_counts:begin -->", "<!-- seed_row_counts:end -->"


def table(counts: dict[str, dict[str, int]], scales: list[str], seed: int) -> str:
    lines = [
        f"Rows per table with `--seed {seed}` at {', '.join(f'`{s}`' for s in scales)} "
        f"(written by `scripts/seed_row_counts.py --write-readme {' '.join(scales)}`):",
        "",
        "| table | " + " | ".join(scales) + " |",
        "|---|" + "---:|" * len(scales),
    ]
    for name in sorted(next(iter(counts.values()))):
        lines.append(f"| `{name}` | " + " | ".join(f"{counts[s][name]:,}" for s in scales) + " |")
    totals = " | ".join(f"**{sum(counts[s].values()):,}**" for s in scales)
    lines.append(f"| **total** | {totals} |")
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text()
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md has no {BEGIN} … {END} block to replace")
    README.write_text(pattern.sub(lambda _: f"{BEGIN}\n{text}\n{END}", readme))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scales", nargs="*", help=f"any of {', '.join(SCALES)} (default: all)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--write-readme", action="store_true", help="replace README.md's table")
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
    text = table(counts, args.scales, args.seed)
    print(text)
    if args.write_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
