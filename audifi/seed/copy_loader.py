"""The one COPY writer (full seed, appends, reorgs) of dict rows (by the columns' SQLAlchemy
types), numpy column frames (``tsv``) or COPY text; every column is written (no server default)."""

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


Frame = Mapping[str, "np.ndarray | bytes"]  # numpy byte strings; bytes: a constant column
Row = dict[str, Any]  # a row (or some of its columns) by column name; a missing key is NULL


def _columns(table: str) -> dict[str, sa.Column]:
    return {c.name: c for c in oltp.metadata.tables[f"oltp.{table}"].columns}


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _formatter(col: sa.Column) -> Callable[[Any], str]:
    t = col.type
    if isinstance(t, sa.DateTime):  # Unix seconds, or a ``datetime`` read back from the database
        return lambda v: str(v) if isinstance(v, datetime) else iso(v)
    if isinstance(t, sa.JSON):
        return lambda v: json.dumps(v, separators=(",", ":"), sort_keys=True).translate(_ESCAPES)
    if isinstance(t, sa.Boolean):
        return lambda v: "t" if v else "f"
    if isinstance(t, sa.Integer | sa.Numeric):
        return lambda v: str(v) if isinstance(v, str | Decimal) else str(int(v))
    return lambda v: str(v).translate(_ESCAPES)


def row_formatter(table: str, names: Sequence[str] | None = None) -> Callable[[Row], str]:
    """Formats a dict row of ``table`` as a COPY line of ``names`` (default: all its columns)."""
    columns = _columns(table)
    pairs = [(n, _formatter(columns[n])) for n in names or columns]
    return lambda row: "\t".join([NULL if (v := row.get(n)) is None else f(v) for n, f in pairs])


def rows_to_tsv(table: str, rows: Iterable[Row]) -> Iterator[TsvChunk]:
    lines = map(row_formatter(table), rows)
    while batch := list(islice(lines, ROWS_PER_CHUNK)):
        yield TsvChunk.of(batch)


class RowBuffer:
    """A list of final dict rows kept as COPY text: a line takes a fraction of a dict's
    memory (at ``large`` a stage holds ~0.7M rows until the tables they reference are written)."""

    def __init__(self, table: str) -> None:
        self._format = row_formatter(table)
        self._lines: list[str] = []
        self._chunks: list[TsvChunk] = []
        self._rows = 0

    def append(self, row: Row) -> None:
        self._lines.append(self._format(row))
        self._rows += 1
        if len(self._lines) >= ROWS_PER_CHUNK:
            self._seal()

    def extend(self, rows: Iterable[Row]) -> None:
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
        """The pending lines become a chunk."""
        if self._lines:
            self._chunks.append(TsvChunk.of(self._lines))
            self._lines = []


def frames_to_tsv(table: str, frames: Iterable[Frame]) -> Iterator[TsvChunk]:
    names = list(_columns(table))
    for frame in frames:
        if unknown := set(frame) - set(names):
            raise KeyError(f"{table} has no column(s) {sorted(unknown)}")
        if n := next(len(v) for v in frame.values() if not isinstance(v, bytes)):
            yield TsvChunk(tsv.tsv_rows([frame.get(name, tsv.NULL) for name in names], n), n)


class TableWriter:
    """Takes tables as rows, frames or COPY text; subclasses decide where the text goes."""

    def copy_rows(
        self, table: str, rows: Iterable[Row] | RowBuffer, total: int | None = None
    ) -> None:
        """Dict rows, or a ``RowBuffer`` of them (already formatted: taken)."""
        total = len(rows) if total is None and isinstance(rows, Sized) else total
        chunks = rows.take() if isinstance(rows, RowBuffer) else rows_to_tsv(table, rows)
        self.copy_tsv(table, chunks, total)

    def copy_frames(self, table: str, frames: Iterable[Frame], total: int | None = None) -> None:
        self.copy_tsv(table, frames_to_tsv(table, frames), total)

    def copy_tsv(self, table: str, chunks: Iterable[TsvChunk], total: int | None = None) -> None:
        raise NotImplementedError

    def update(self, table: str, rows: Sequence[Row], cols: Sequence[str] | None = None) -> None:
        """Move stored rows on (``Loader.update``): a full seed has none, so it passes none."""
        if rows:
            raise NotImplementedError("only a Loader updates stored rows")

    def fork(self, produce: Callable[[TableWriter], None]) -> None:
        """Run ``produce``, whose tables may load any time after those written so far (here at
        once; a background writer runs it concurrently)."""
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
        if table not in self.counts:
            self.counts[table] = 0
            self._tasks[table] = self._progress.add_task(table, total=total)
        with (
            self.conn.cursor() as cur,
            cur.copy(f"COPY oltp.{table} ({_quoted(_columns(table))}) FROM STDIN") as copy,
        ):
            for chunk in chunks:
                copy.write(chunk.data)
                self.counts[table] += chunk.rows
                self._progress.advance(self._tasks[table], chunk.rows)

    def update(self, table: str, rows: Sequence[Row], cols: Sequence[str] | None = None) -> None:
        """Set ``cols`` (default: the first row's keys but ``id``) of the rows with these ids,
        through a temp table typed like the target (not counted as rows written)."""
        if rows:
            cols = cols or [k for k in rows[0] if k != "id"]
            lines = map(row_formatter(table, ["id", *cols]), rows)  # only the columns it sets
            self._update(table, [TsvChunk.of(list(lines))], cols, ["id", *cols])

    def update_frames(self, table: str, frames: Iterable[Frame], cols: Sequence[str]) -> None:
        """``update`` from frames of whole rows: new and moved-on rows share one builder."""
        self._update(table, frames_to_tsv(table, frames), cols, list(_columns(table)))

    def _update(
        self, table: str, chunks: Iterable[TsvChunk], cols: Sequence[str], columns: list[str]
    ) -> None:
        tmp, names = f"upd_{table}", _quoted(columns)
        with self.conn.cursor() as cur:
            cur.execute(
                f"CREATE TEMP TABLE {tmp} ON COMMIT DROP AS "
                f"SELECT {names} FROM oltp.{table} WITH NO DATA"
            )
            with cur.copy(f"COPY {tmp} ({names}) FROM STDIN") as copy:
                for chunk in chunks:
                    copy.write(chunk.data)
            sets = ", ".join(f'"{c}" = u."{c}"' for c in cols)
            cur.execute(f"UPDATE oltp.{table} t SET {sets} FROM {tmp} u WHERE u.id = t.id")
            cur.execute(f"DROP TABLE {tmp}")
