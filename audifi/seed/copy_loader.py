"""Bulk loading with ``COPY … FROM STDIN`` (text format), with a progress bar per table.

Two input shapes share one writer:

* ``copy_rows``: an iterable of dicts of Python values, formatted from the column types of the
  SQLAlchemy model (fine up to a few hundred thousand rows);
* ``copy_frames``: chunks of pre-formatted string columns built with numpy (the huge fact
  tables), so per-row Python work stays minimal.

Every column of the table is always written; a missing key is NULL.  Nothing relies on a server
default such as ``now()`` or ``gen_random_uuid()``, so the content is the same on every run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import psycopg
import sqlalchemy as sa
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import oltp

NULL = "\\N"
_UNIX = datetime(1970, 1, 1, tzinfo=UTC)
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def table_columns(table: str) -> list[sa.Column]:
    return list(oltp.metadata.tables[f"oltp.{table}"].columns)


def escape(s: str) -> str:
    return s.translate(_ESCAPES)


def fmt_ts(t: int | None) -> str:
    return NULL if t is None else (_UNIX + timedelta(seconds=int(t))).isoformat()


def fmt_json(v: Any) -> str:
    return NULL if v is None else escape(json.dumps(v, separators=(",", ":"), sort_keys=True))


def _formatter(col: sa.Column) -> Any:
    t = col.type
    if isinstance(t, sa.DateTime):
        return fmt_ts
    if isinstance(t, sa.JSON):
        return fmt_json
    if isinstance(t, sa.Boolean):
        return lambda v: NULL if v is None else ("t" if v else "f")
    if isinstance(t, sa.Integer | sa.Numeric):
        return lambda v: (
            NULL if v is None else str(v) if isinstance(v, str | Decimal) else str(int(v))
        )
    return lambda v: NULL if v is None else escape(str(v))


# -- columnar helpers for the fact tables ----------------------------------------------


def col_ts(t: np.ndarray) -> list[str]:
    """Unix seconds -> ISO-8601 UTC strings, vectorised."""
    s = np.datetime_as_string(np.asarray(t, dtype="datetime64[s]"), unit="s")
    return [x + "Z" for x in s.tolist()]


def col_int(a: np.ndarray) -> list[str]:
    return np.asarray(a).astype(np.int64).astype(str).tolist()


def col_pick(values: Sequence[str], idx: np.ndarray) -> list[str]:
    """Look up pre-formatted strings by index (-1 means NULL)."""
    lookup = [*values, NULL]
    return [lookup[i] for i in np.asarray(idx).tolist()]


def col_const(value: str, n: int) -> list[str]:
    return [value] * n


class Loader:
    """Writes tables with COPY on one open transaction and counts the rows written."""

    def __init__(self, conn: psycopg.Connection, progress: bool = True) -> None:
        self.conn = conn
        self.counts: dict[str, int] = {}
        self._progress = (
            Progress(
                TextColumn("[bold]{task.description:<28}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                transient=False,
            )
            if progress
            else None
        )

    def __enter__(self) -> Loader:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def _task(self, table: str, total: int | None) -> Any:
        if self._progress is None:
            return None
        return self._progress.add_task(table, total=total)

    def _advance(self, task: Any, n: int) -> None:
        if self._progress is not None and task is not None:
            self._progress.advance(task, n)

    def copy_rows(
        self, table: str, rows: Iterable[Mapping[str, Any]], total: int | None = None
    ) -> int:
        cols = table_columns(table)
        names = [c.name for c in cols]
        fmts = [_formatter(c) for c in cols]

        def frames() -> Iterator[list[str]]:
            buf: list[str] = []
            for row in rows:
                buf.append("\t".join([f(row.get(n)) for f, n in zip(fmts, names, strict=True)]))
                if len(buf) >= 20_000:
                    yield buf
                    buf = []
            if buf:
                yield buf

        return self._copy(table, names, frames(), total)

    def copy_frames(
        self,
        table: str,
        frames: Iterable[Mapping[str, list[str]]],
        total: int | None = None,
    ) -> int:
        names = [c.name for c in table_columns(table)]

        def lines() -> Iterator[list[str]]:
            for frame in frames:
                n = len(next(iter(frame.values())))
                cols = [frame.get(name) or col_const(NULL, n) for name in names]
                yield ["\t".join(r) for r in zip(*cols, strict=True)]

        return self._copy(table, names, lines(), total)

    def _copy(
        self, table: str, names: list[str], chunks: Iterable[list[str]], total: int | None
    ) -> int:
        task = self._task(table, total)
        written = 0
        collist = ", ".join(f'"{n}"' for n in names)
        with (
            self.conn.cursor() as cur,
            cur.copy(f"COPY oltp.{table} ({collist}) FROM STDIN") as copy,
        ):
            for lines in chunks:
                if not lines:
                    continue
                copy.write(("\n".join(lines) + "\n").encode())
                written += len(lines)
                self._advance(task, len(lines))
        self.counts[table] = self.counts.get(table, 0) + written
        return written
