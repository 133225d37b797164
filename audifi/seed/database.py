"""The database side of a run: connecting, checks before loading, content hashes of the data."""

from __future__ import annotations

import hashlib

import psycopg

import oltp
from audifi.errors import AudifiError, first_line


def connect(url: str) -> psycopg.Connection:
    try:
        return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    except psycopg.OperationalError as exc:
        msg = first_line(exc, "connection failed")
        raise AudifiError(f"cannot connect to the database: {msg}") from None


def oltp_tables() -> list[str]:
    return sorted(t.name for t in oltp.metadata.sorted_tables)


def require_migrated(conn: psycopg.Connection) -> None:
    sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'oltp'"
    if missing := sorted(set(oltp_tables()) - {r[0] for r in conn.execute(sql)}):
        raise AudifiError(
            f"database is not migrated: {len(missing)} oltp table(s) missing "
            f"(e.g. {missing[0]}); run the migrations first"
        )


def tables_with_rows(conn: psycopg.Connection) -> list[str]:
    sql = "SELECT EXISTS (SELECT 1 FROM oltp.{})"
    return [t for t in oltp_tables() if conn.execute(sql.format(t)).fetchone()[0]]  # type: ignore[index]


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
    parts = (f"\x00table:{t}\x00{digest}" for t, digest in table_hashes(url).items())
    return hashlib.sha256("".join(parts).encode()).hexdigest()
