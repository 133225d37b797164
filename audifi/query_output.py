"""`audifi query`: run a named query and print it as a table, JSON or CSV.

Errors the user can fix are one line on stderr and exit code 1; nothing here can change data
(the queries run read-only as the analyst or finance role).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from audifi.errors import AudifiError
from audifi.queries import QUERIES, get_query, parse_params

FORMATS = ("table", "json", "csv")


def _plain(value: Any) -> Any:
    """JSON-safe value: exact numbers (wei, Decimal) and ids as text, missing as null."""
    if value is None or (not isinstance(value, str | bytes) and pd.isna(value)):
        return None
    if isinstance(value, bool | int | str):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def render(frame: pd.DataFrame, fmt: str, out: Console) -> None:
    if fmt == "json":
        rows = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    else:
        table = Table(show_lines=False)
        for col in frame.columns:
            table.add_column(str(col), overflow="fold")
        for row in frame.itertuples(index=False):
            table.add_row(*("" if _plain(v) is None else str(v) for v in row))
        out.print(table)
        out.print(f"{len(frame)} row(s)")


def list_queries(out: Console) -> None:
    for query in QUERIES.values():
        params = ", ".join(
            f"{n}{'?' if opt else ''}:{base.__name__}"
            for n, (base, opt) in query.parameters().items()
        )
        out.print(f"{query.name}({params}) [{query.role}] — {query.summary}", highlight=False)


def run(name: str, pairs: list[str], fmt: str, out: Console, err: Console) -> int:
    try:
        if fmt not in FORMATS:
            raise AudifiError(f"unknown --format {fmt[:40]!r}: choose table, json or csv")
        if name == "list":
            list_queries(out)
            return 0
        query = get_query(name)
        frame = query.call_with_text(parse_params(pairs))
        render(frame, fmt, out)
        return 0
    except AudifiError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
