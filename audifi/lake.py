"""`audifi spark export`: the replica's published `oltp` tables as Parquet files for Spark.

Each table goes to AUDIFI_HOME/lake/<table>/; the event tables are partitioned by the UTC day
of their event time (`lake_date=YYYY-MM-DD/`), as a cluster would lay them out.  Types keep
their exactness: numeric(p,s) stays decimal(p,s).  Spark decimals stop at 38 digits, so a
base-unit amount (numeric(78,0)) is written as decimal(38,0) when every value fits, and as a
string column otherwise; the dbt test `fits_decimal_38` then fails the Spark build loudly
instead of letting Spark turn the value into NULL.

Append-only tables (``APPEND_ONLY``: rows are inserted, never updated or deleted) are exported
incrementally: the manifest remembers the highest id written, and the next export into the
same lake writes only the rows above it, as new files in their day partitions.  It falls back
to a full copy when the table's columns changed or its row count shows a row went away.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from audifi.cluster import Target

SCHEMA = "oltp"
PARTITION_COLUMN = "lake_date"
MAX_SPARK_DIGITS = 38
BATCH_ROWS = 200_000

# Event tables: partitioned by the UTC day of this column (their incremental window's column).
EVENT_TIME_COLUMNS = {
    "play_events": "started_at",
    "vstudio_engagement_events": "created_at",
    "nft_transfers": "block_timestamp",
    "dividend_events": "block_timestamp",
    "pool_events": "block_timestamp",
    "dsp_stream_reports": "report_date",
}
# Append-only tables and their ascending bigint identity (streaming.md: play_events is
# insert-only; the chain-event tables are not here, a reorg deletes their rows, INV-40).
APPEND_ONLY = {"play_events": "id"}


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    precision: int | None
    scale: int | None


@dataclass(frozen=True)
class ExportedTable:
    name: str
    rows: int
    partition_column: str | None
    string_amounts: list[str]  # numeric columns with a value too long for decimal(38,0)
    fingerprint: str = ""  # the Parquet schema's: a change means Spark must register it anew
    high_water: int | None = None  # APPEND_ONLY tables: the highest id in the lake
    exported_rows: int = 0  # rows written by this export (all, or only the new ones)
    exports: int = 1  # incremental exports into the current full copy, plus one


def lake_dir(home: Path) -> Path:
    return home / "lake"


def _columns(conn, table: str) -> list[Column]:
    rows = conn.execute(
        "select column_name, data_type, numeric_precision, numeric_scale"
        " from information_schema.columns where table_schema = %s and table_name = %s"
        " order by ordinal_position",
        (SCHEMA, table),
    ).fetchall()
    return [Column(*row) for row in rows]


def _too_long(conn, table: str, columns: list[Column]) -> list[str]:
    """Numeric columns holding a value with more digits than a Spark decimal can carry."""
    wide = [c.name for c in columns if c.data_type == "numeric" and (c.precision or 0) > 38]
    if not wide:
        return []
    lengths = ", ".join(
        f"coalesce(max(length(trim(leading '-' from cast({c} as text)))), 0)" for c in wide
    )
    found = conn.execute(f"select {lengths} from {SCHEMA}.{table}").fetchone()
    return [name for name, digits in zip(wide, found, strict=True) if digits > MAX_SPARK_DIGITS]


def _arrow_type(column: Column, as_string: bool) -> pa.DataType:
    kind = column.data_type
    if as_string:
        return pa.string()
    if kind == "numeric":
        precision = min(column.precision or MAX_SPARK_DIGITS, MAX_SPARK_DIGITS)
        return pa.decimal128(precision, column.scale or 0)
    return {
        "integer": pa.int32(),
        "smallint": pa.int16(),
        "bigint": pa.int64(),
        "boolean": pa.bool_(),
        "double precision": pa.float64(),
        "real": pa.float32(),
        "date": pa.date32(),
        "timestamp with time zone": pa.timestamp("us", tz="UTC"),
        "timestamp without time zone": pa.timestamp("us"),
    }.get(kind, pa.string())  # uuid, text, varchar, char, enums, jsonb: their text


def _select_list(columns: list[Column], schema: pa.Schema) -> str:
    """Text for every column Arrow holds as a string (uuid, enum, jsonb, too-long numerics)."""
    parts = []
    for column, field in zip(columns, schema, strict=True):
        if pa.types.is_string(field.type):
            parts.append(f'cast("{column.name}" as text) as "{column.name}"')
        else:
            parts.append(f'"{column.name}"')
    return ", ".join(parts)


def _fingerprint(schema: pa.Schema) -> str:
    return hashlib.sha1(schema.to_string().encode()).hexdigest()[:12]


def export_table(conn, table: str, root: Path, previous: dict | None = None) -> ExportedTable:
    """Write ``table`` under ``root``: in full, or only its new rows when it is append-only and
    ``previous`` (its entry of the last export's manifest) still describes the lake."""
    columns = _columns(conn, table)
    strings = _too_long(conn, table, columns)
    schema = pa.schema([pa.field(c.name, _arrow_type(c, c.name in strings)) for c in columns])
    partition_by = EVENT_TIME_COLUMNS.get(table)
    select = _select_list(columns, schema)
    if partition_by:
        day = (
            f"cast(({partition_by} at time zone 'UTC') as date)"
            if partition_by != "report_date"
            else partition_by
        )
        select += f", cast({day} as text) as {PARTITION_COLUMN}"
        schema = schema.append(pa.field(PARTITION_COLUMN, pa.string()))
    fingerprint = _fingerprint(schema)
    target = root / table
    key = APPEND_ONLY.get(table)
    where, high_water, kept_rows, exports = "", None, 0, 1
    if key:
        total, high_water = conn.execute(
            f"select count(*), max({key}) from {SCHEMA}.{table}"
        ).fetchone()
        old_water = (previous or {}).get("high_water")
        if (
            old_water is not None
            and previous.get("fingerprint") == fingerprint
            and target.is_dir()
            and high_water is not None
            and high_water >= old_water
        ):
            (new_rows,) = conn.execute(
                f"select count(*) from {SCHEMA}.{table} where {key} > %s", (old_water,)
            ).fetchone()
            if previous["rows"] + new_rows == total:  # nothing below the mark went away
                where = f" where {key} > {int(old_water)}"
                kept_rows, exports = previous["rows"], previous.get("exports", 1) + 1
    if not where:
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
    rows = 0
    writer = None
    if not partition_by:
        writer = pq.ParquetWriter(target / f"part-e{exports}-0.parquet", schema)
    with conn.cursor(name=f"lake_{table}") as cur:
        cur.itersize = BATCH_ROWS
        cur.execute(f"select {select} from {SCHEMA}.{table}{where}")
        batch_no = 0
        while batch := cur.fetchmany(BATCH_ROWS):
            data = pa.Table.from_pylist(
                [dict(zip(schema.names, row, strict=True)) for row in batch], schema=schema
            )
            rows += data.num_rows
            if writer is not None:
                writer.write_table(data)
            else:
                ds.write_dataset(
                    data,
                    target,
                    format="parquet",
                    partitioning=[PARTITION_COLUMN],
                    partitioning_flavor="hive",
                    basename_template=f"part-e{exports}-{batch_no}-{{i}}.parquet",
                    existing_data_behavior="overwrite_or_ignore",
                )
            batch_no += 1
    if writer is not None:
        writer.close()
    return ExportedTable(
        table,
        kept_rows + rows,
        PARTITION_COLUMN if partition_by else None,
        strings,
        fingerprint=fingerprint,
        high_water=high_water,
        exported_rows=rows,
        exports=exports,
    )


def published_tables(conn) -> list[str]:
    rows = conn.execute(
        "select table_name from information_schema.tables"
        " where table_schema = %s and table_type = 'BASE TABLE' and table_name <> 'alembic_version'"
        " order by table_name",
        (SCHEMA,),
    ).fetchall()
    return [name for (name,) in rows]


def read_manifest(root: Path) -> dict[str, dict]:
    path = root / "_tables.json"
    return json.loads(path.read_text()) if path.exists() else {}


def export_lake(
    source: Target,
    root: Path,
    say: Callable[[str], None] = lambda _: None,
    *,
    tables: list[str] | None = None,
    full: bool = False,
) -> list[ExportedTable]:
    """Write the published tables (or ``tables``) to Parquet under ``root``, and the manifest.

    Append-only tables already in the lake get only their new rows, unless ``full``."""
    root.mkdir(parents=True, exist_ok=True)
    previous = {} if full else read_manifest(root)
    exported = []
    # one snapshot for all tables: the lake is consistent as of one moment of the replica
    with source.connect(autocommit=False) as conn:
        conn.execute("set transaction isolation level repeatable read, read only")
        for table in tables or published_tables(conn):
            done = export_table(conn, table, root, previous.get(table))
            exported.append(done)
            note = f" (as string: {', '.join(done.string_amounts)})" if done.string_amounts else ""
            how = "" if done.exports == 1 else f", {done.exported_rows:,} new"
            say(f"{table}: {done.rows:,} rows{how}{note}")
    manifest = {
        t.name: {
            "rows": t.rows,
            "partition_column": t.partition_column,
            "string_amounts": t.string_amounts,
            "fingerprint": t.fingerprint,
            "high_water": t.high_water,
            "exports": t.exports,
        }
        for t in exported
    }
    (root / "_tables.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return exported


def lake_tables_env(root: Path) -> str:
    """The AUDIFI_SPARK_LAKE_TABLES value macro register_lake_sources reads: `table=version`,
    comma-separated.  The version changes when the table's location or columns do; Spark then
    registers the table anew, otherwise it only refreshes its file listing."""
    manifest = read_manifest(root)
    if not manifest:
        from audifi.errors import AudifiError

        raise AudifiError(f"no export in {root}: run `audifi spark export` first")
    entries = []
    for name, spec in manifest.items():
        where = f"{root.resolve() / name}|{spec.get('fingerprint', '')}"
        entries.append(f"{name}={hashlib.sha1(where.encode()).hexdigest()[:12]}")
    return ",".join(entries)
