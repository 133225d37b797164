"""The database side of a run: connecting, checks before loading, content hashes of the data."""

from __future__ import annotations

import hashlib

import psycopg

import oltp
from audifi.errors import AudifiError, first_line


def to_psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def connect(url: str) -> psycopg.Connection:
    try:
        return psycopg.connect(to_psycopg_url(url))
    except psycopg.OperationalError as exc:
        raise AudifiError(
            f"cannot connect to the database: {first_line(exc, 'connection failed')}"
        ) from None


def oltp_tables() -> list[str]:
    return sorted(t.name for t in oltp.metadata.sorted_tables)


def require_migrated(conn: psycopg.Connection) -> None:
    sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'oltp'"
    missing = sorted(set(oltp_tables()) - {r[0] for r in conn.execute(sql)})
    if missing:
        raise AudifiError(
            f"database is not migrated: {len(missing)} oltp table(s) missing "
            f"(e.g. {missing[0]}); run the migrations first"
        )


def tables_with_rows(conn: psycopg.Connection) -> list[str]:
    return [
        t
        for t in oltp_tables()
        if conn.execute(f"SELECT EXISTS (SELECT 1 FROM oltp.{t})").fetchone()[0]  # type: ignore[index]
    ]


def table_hashes(url: str) -> dict[str, str]:
    """Each oltp table's SHA-256 over its rows in ``id`` order (COPY text, all columns)."""
    out = {}
    with connect(url) as conn, conn.cursor() as cur:
        for table in oltp_tables():
            h = hashlib.sha256()
            with cur.copy(f"COPY (SELECT * FROM oltp.{table} ORDER BY id) TO STDOUT") as copy:
                for block in copy:
                    h.update(block)
            out[table] = h.hexdigest()
    return out


def content_hash(url: str) -> str:
    """One hash over every table's (``table_hashes``)."""
    h = hashlib.sha256()
    for table, digest in table_hashes(url).items():
        h.update(f"\x00table:{table}\x00{digest}".encode())
    return h.hexdigest()
