"""Bulk loading with ``COPY … FROM STDIN`` (text format), with a progress bar per table.

Generators hand tables to a ``TableWriter`` in one of three shapes, all reduced to chunks of
COPY text (``TsvChunk``):

* ``copy_rows``: dicts of Python values, formatted from the column types of the SQLAlchemy
  model (the small and medium tables);
* ``copy_frames``: column frames, either numpy byte-string arrays (formatted by ``tsv``, the
  fact tables) or lists of pre-formatted strings;
* ``copy_tsv``: ready chunks of COPY text.

``Loader`` writes the chunks to the database itself (the full seed's main thread, and
``append_days`` and ``reorg``, which also update rows by id with ``Loader.update``);
``background.StreamWriter`` queues them for a loader running in another thread.  Every column
of the table is always written; a missing key is NULL.  Nothing relies on a server default
such as ``now()`` or ``gen_random_uuid()``, so the content is the same on every run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from datetime import datetime
from decimal import Decimal
from itertools import islice
from typing import Any, NamedTuple

import numpy as np
import psycopg
import sqlalchemy as sa
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

import oltp
from audifi.seed import tsv
from audifi.seed.timeline import iso

NULL = "\\N"
ROWS_PER_CHUNK = 20_000  # dict rows per chunk: a few MB of text
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class TsvChunk(NamedTuple):
    data: bytes  # COPY text of whole rows, each ending in a newline
    rows: int

    @classmethod
    def of(cls, lines: list[str]) -> TsvChunk:
        return cls(("\n".join(lines) + "\n").encode(), len(lines))


Frame = Mapping[str, "Sequence[str] | np.ndarray | bytes"]


def _columns(table: str) -> dict[str, sa.Column]:
    return {c.name: c for c in oltp.metadata.tables[f"oltp.{table}"].columns}


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def escape(s: str) -> str:
    return s.translate(_ESCAPES)


def _formatter(col: sa.Column) -> Callable[[Any], str]:
    """How a value of ``col`` other than None (NULL) is written."""
    t = col.type
    if isinstance(t, sa.DateTime):  # Unix seconds, or a ``datetime`` read back from the database
        return lambda v: str(v) if isinstance(v, datetime) else iso(v)
    if isinstance(t, sa.JSON):
        return lambda v: escape(json.dumps(v, separators=(",", ":"), sort_keys=True))
    if isinstance(t, sa.Boolean):
        return lambda v: "t" if v else "f"
    if isinstance(t, sa.Integer | sa.Numeric):
        return lambda v: str(v) if isinstance(v, str | Decimal) else str(int(v))
    return lambda v: escape(str(v))


def row_formatter(
    table: str, names: Sequence[str] | None = None
) -> Callable[[Mapping[str, Any]], str]:
    """A function formatting one dict row of ``table`` (its columns ``names``, default all) as
    a COPY text line (no newline)."""
    columns = _columns(table)
    pairs = [(n, _formatter(columns[n])) for n in names or columns]
    return lambda row: "\t".join([NULL if (v := row.get(n)) is None else f(v) for n, f in pairs])


def rows_to_tsv(table: str, rows: Iterable[Mapping[str, Any]]) -> Iterator[TsvChunk]:
    lines = map(row_formatter(table), rows)
    while batch := list(islice(lines, ROWS_PER_CHUNK)):
        yield TsvChunk.of(batch)


class RowBuffer:
    """Rows of one table that are final when appended, kept as COPY text.

    A drop-in for the list a generator appends dict rows to: a formatted line takes a fraction
    of the memory of a dict (at ``large`` a stage builds up to ~0.7M rows before its table may
    be written, after the tables its rows reference).
    """

    def __init__(self, table: str) -> None:
        self._format = row_formatter(table)
        self._lines: list[str] = []
        self._chunks: list[TsvChunk] = []
        self._rows = 0

    def append(self, row: Mapping[str, Any]) -> None:
        self._lines.append(self._format(row))
        self._rows += 1
        if len(self._lines) >= ROWS_PER_CHUNK:
            self._seal()

    def extend(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.append(row)

    def __len__(self) -> int:
        return self._rows

    def take(self) -> list[TsvChunk]:
        """The buffered chunks (the buffer is empty afterwards)."""
        self._seal()
        chunks, self._chunks = self._chunks, []
        return chunks

    def _seal(self) -> None:
        if self._lines:
            self._chunks.append(TsvChunk.of(self._lines))
            self._lines = []


def frames_to_tsv(table: str, frames: Iterable[Frame]) -> Iterator[TsvChunk]:
    """Column frames in table column order; numpy frames are formatted without per-row work."""
    names = list(_columns(table))
    for frame in frames:
        unknown = set(frame) - set(names)
        if unknown:
            raise KeyError(f"{table} has no column(s) {sorted(unknown)}")
        n = next(len(v) for v in frame.values() if not isinstance(v, bytes))
        if n == 0:
            continue
        if all(isinstance(v, np.ndarray | bytes) for v in frame.values()):
            cols = [frame.get(name, tsv.NULL) for name in names]
            yield TsvChunk(tsv.tsv_rows(cols, n), n)  # type: ignore[arg-type]
            continue
        cols = [_as_strings(frame.get(name), n) for name in names]
        yield TsvChunk.of(["\t".join(r) for r in zip(*cols, strict=True)])


def _as_strings(values: Sequence[str] | np.ndarray | bytes | None, n: int) -> Sequence[str]:
    if values is None:
        return [NULL] * n
    if isinstance(values, bytes):
        return [values.decode()] * n
    if isinstance(values, np.ndarray) and values.dtype.kind == "S":
        return [v.decode() for v in values.tolist()]
    return values


class TableWriter:
    """Accepts tables in any of the three shapes; subclasses decide where the text goes."""

    def copy_rows(
        self, table: str, rows: Iterable[Mapping[str, Any]], total: int | None = None
    ) -> None:
        if total is None and isinstance(rows, Sized):
            total = len(rows)
        self.copy_tsv(table, rows_to_tsv(table, rows), total)

    def copy_frames(self, table: str, frames: Iterable[Frame], total: int | None = None) -> None:
        self.copy_tsv(table, frames_to_tsv(table, frames), total)

    def copy_tsv(self, table: str, chunks: Iterable[TsvChunk], total: int | None = None) -> None:
        raise NotImplementedError

    def fork(self, produce: Callable[[TableWriter], None]) -> None:
        """Run ``produce``, whose tables may be loaded at any time after everything written
        so far.  Here: at once, in line; a background writer runs it concurrently."""
        produce(self)


class Loader(TableWriter):
    """Writes tables with COPY on one open transaction and counts the rows written."""

    def __init__(self, conn: psycopg.Connection, progress: bool = True) -> None:
        self.conn = conn
        self.counts: dict[str, int] = {}
        self._tasks: dict[str, Any] = {}  # one bar per table, also over several COPYs
        self._progress = Progress(
            TextColumn("[bold]{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=not progress,
        )

    def __enter__(self) -> Loader:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def copy_tsv(self, table: str, chunks: Iterable[TsvChunk], total: int | None = None) -> None:
        if table not in self._tasks:
            self._tasks[table] = self._progress.add_task(table, total=total)
        self.counts.setdefault(table, 0)
        with (
            self.conn.cursor() as cur,
            cur.copy(f"COPY oltp.{table} ({_quoted(_columns(table))}) FROM STDIN") as copy,
        ):
            for chunk in chunks:
                copy.write(chunk.data)
                self.counts[table] += chunk.rows
                self._progress.advance(self._tasks[table], chunk.rows)

    def update(
        self, table: str, rows: Sequence[Mapping[str, Any]], cols: Sequence[str] | None = None
    ) -> None:
        """Set ``cols`` (default: the first row's keys but ``id``) of the rows with these ids,
        through a temp table typed like the target: how ``append_days`` moves existing rows
        on.  Not counted as rows written."""
        if not rows:
            return
        cols = cols or [k for k in rows[0] if k != "id"]
        fmt = row_formatter(table, ["id", *cols])
        self._update(table, ["id", *cols], ["".join(fmt(r) + "\n" for r in rows).encode()], cols)

    def update_frames(self, table: str, frames: Iterable[Frame], cols: Sequence[str]) -> None:
        """``update`` from column frames of whole rows (as ``copy_frames`` takes them): the
        rows with these ids get their ``cols``, so new and moved-on rows share one builder."""
        chunks = (chunk.data for chunk in frames_to_tsv(table, frames))
        self._update(table, list(_columns(table)), chunks, cols)

    def _update(
        self, table: str, names: list[str], data: Iterable[bytes], cols: Sequence[str]
    ) -> None:
        tmp = f"upd_{table}"
        with self.conn.cursor() as cur:
            cur.execute(
                f"CREATE TEMP TABLE {tmp} ON COMMIT DROP AS "
                f"SELECT {_quoted(names)} FROM oltp.{table} WITH NO DATA"
            )
            with cur.copy(f"COPY {tmp} ({_quoted(names)}) FROM STDIN") as copy:
                for block in data:
                    copy.write(block)
            sets = ", ".join(f'"{c}" = u."{c}"' for c in cols)
            cur.execute(f"UPDATE oltp.{table} t SET {sets} FROM {tmp} u WHERE u.id = t.id")
            cur.execute(f"DROP TABLE {tmp}")
