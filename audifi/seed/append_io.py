"""Writing for ``append_days``: COPY inserts with a progress bar per table, bulk updates by id.

Self-contained on purpose (the full seed's loader is being reworked independently): values are
formatted from the SQLAlchemy column types of ``oltp``, every column is written explicitly
(no server defaults such as ``now()``), so appended content is deterministic.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
import sqlalchemy as sa
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import oltp

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
Row = Mapping[str, Any]


def iso(t: int) -> str:
    """Unix seconds -> ISO-8601 UTC (the text COPY and query parameters accept)."""
    return datetime.fromtimestamp(int(t), UTC).isoformat()


def frac(seed: int, *parts: object) -> float:
    """A stable pseudo-random number in [0, 1) keyed by ``parts``.

    Lifecycle steps of existing rows (verification, deposit, payment…) are timed with it, so a
    step lands in exactly one append window whatever the window boundaries are.
    """
    h = hashlib.blake2b(repr((seed, *parts)).encode(), digest_size=8).digest()
    return int.from_bytes(h, "big") / 2**64


def _fmt(col: sa.Column) -> Callable[[Any], str]:
    t = col.type
    if isinstance(t, sa.DateTime):
        return lambda v: NULL if v is None else iso(v) if isinstance(v, int) else str(v)
    if isinstance(t, sa.JSON):
        return lambda v: (
            NULL
            if v is None
            else json.dumps(v, separators=(",", ":"), sort_keys=True).translate(_ESCAPES)
        )
    if isinstance(t, sa.Boolean):
        return lambda v: NULL if v is None else ("t" if v else "f")
    if isinstance(t, sa.Integer | sa.Numeric):
        return lambda v: NULL if v is None else str(v)
    return lambda v: NULL if v is None else str(v).translate(_ESCAPES)


def columns(table: str) -> list[sa.Column]:
    return list(oltp.metadata.tables[f"oltp.{table}"].columns)


class Writer:
    """Inserts (COPY) and updates on the append's single open transaction, counting inserts."""

    def __init__(self, conn: psycopg.Connection, progress: bool) -> None:
        self.conn = conn
        self.counts: dict[str, int] = {}
        self._bar = (
            Progress(
                TextColumn("[bold]{task.description:<28}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
            )
            if progress
            else None
        )

    def __enter__(self) -> Writer:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def insert(self, table: str, rows: Sequence[Row]) -> None:
        """COPY ``rows`` (dicts; a missing key is NULL) into ``oltp.<table>``."""
        cols = columns(table)
        fmts = [(c.name, _fmt(c)) for c in cols]
        lines = ("\t".join(f(r.get(n)) for n, f in fmts) for r in rows)
        self.insert_lines(table, [c.name for c in cols], [lines], len(rows))

    def insert_lines(
        self, table: str, names: list[str], chunks: Iterable[Iterable[str]], total: int
    ) -> None:
        """COPY pre-formatted tab-separated lines (the play generator's vectorised output)."""
        task = self._bar.add_task(table, total=total) if self._bar is not None else None
        collist = ", ".join(f'"{n}"' for n in names)
        written = 0
        with (
            self.conn.cursor() as cur,
            cur.copy(f"COPY oltp.{table} ({collist}) FROM STDIN") as copy,
        ):
            for chunk in chunks:
                block = list(chunk)
                if not block:
                    continue
                copy.write(("\n".join(block) + "\n").encode())
                written += len(block)
                if self._bar is not None and task is not None:
                    self._bar.advance(task, len(block))
        self.counts[table] = self.counts.get(table, 0) + written

    def update(self, table: str, rows: Sequence[Row], cols: list[str]) -> None:
        """Set ``cols`` of the rows with these ids (through a temp table typed like the target)."""
        if not rows:
            return
        by_name = {c.name: c for c in columns(table)}
        fmts = [(n, _fmt(by_name[n])) for n in ["id", *cols]]
        tmp = f"append_upd_{table}"
        collist = ", ".join(f'"{n}"' for n in ["id", *cols])
        with self.conn.cursor() as cur:
            cur.execute(
                f"CREATE TEMP TABLE {tmp} ON COMMIT DROP AS "
                f"SELECT {collist} FROM oltp.{table} WITH NO DATA"
            )
            with cur.copy(f"COPY {tmp} ({collist}) FROM STDIN") as copy:
                copy.write(
                    "".join("\t".join(f(r.get(n)) for n, f in fmts) + "\n" for r in rows).encode()
                )
            sets = ", ".join(f'"{c}" = u."{c}"' for c in cols)
            cur.execute(f"UPDATE oltp.{table} t SET {sets} FROM {tmp} u WHERE u.id = t.id")
            cur.execute(f"DROP TABLE {tmp}")
