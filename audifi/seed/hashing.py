"""A stable content hash over every oltp table (rows in primary-key order, all columns)."""

from __future__ import annotations

import hashlib

from audifi.seed.preflight import connect, oltp_tables


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
