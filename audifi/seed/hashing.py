"""A stable content hash over every oltp table (rows in primary-key order, all columns)."""

from __future__ import annotations

import hashlib

from audifi.seed.preflight import connect, oltp_tables


def content_hash(url: str) -> str:
    h = hashlib.sha256()
    with connect(url) as conn, conn.cursor() as cur:
        for table in oltp_tables():
            h.update(f"\x00table:{table}\x00".encode())
            with cur.copy(f"COPY (SELECT * FROM oltp.{table} ORDER BY id) TO STDOUT") as copy:
                for block in copy:
                    h.update(block)
    return h.hexdigest()
