"""Compare the primary and the replica table by table, and write rows in the background."""

from __future__ import annotations

import threading
import time
import uuid

import psycopg
from psycopg import sql


def replica_tables(replica_dsn: str) -> dict[str, list[str]]:
    """The replica's oltp tables and their columns: exactly what is published."""
    with psycopg.connect(replica_dsn) as conn:
        rows = conn.execute(
            "SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position) "
            "FROM information_schema.columns WHERE table_schema = 'oltp' GROUP BY table_name"
        ).fetchall()
    return dict(rows)


def fingerprint(dsn: str, table: str, columns: list[str]) -> tuple[int, str]:
    """Row count and an md5 over the rows' text, in primary-key order."""
    cols = sql.SQL(", ").join(map(sql.Identifier, columns))
    query = sql.SQL(
        "SELECT count(*), md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r.id::text), '')) "
        "FROM (SELECT {} FROM oltp.{}) r"
    ).format(cols, sql.Identifier(table))
    with psycopg.connect(dsn) as conn:
        count, digest = conn.execute(query).fetchone()
    return count, digest


def differing_tables(primary_dsn: str, replica_dsn: str) -> dict[str, tuple]:
    diffs = {}
    for table, columns in replica_tables(replica_dsn).items():
        left = fingerprint(primary_dsn, table, columns)
        right = fingerprint(replica_dsn, table, columns)
        if left != right:
            diffs[table] = (left, right)
    return diffs


class PlayWriter(threading.Thread):
    """Inserts batches of play_events until stopped; survives a primary restart.

    ``committed`` counts only rows whose COMMIT returned, so nothing is claimed that the
    primary may have lost.
    """

    def __init__(self, primary_dsn: str, master_id: uuid.UUID, batch: int = 200):
        super().__init__(daemon=True)
        self.dsn, self.master_id, self.batch = primary_dsn, master_id, batch
        self.committed = 0
        self.errors = 0
        self.stop_event = threading.Event()

    def run(self) -> None:
        conn = None
        while not self.stop_event.is_set():
            try:
                if conn is None:
                    conn = psycopg.connect(self.dsn)
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO oltp.play_events (master_id, started_at, ms_played, "
                        "track_duration_ms, source) "
                        "SELECT %s, now(), 31000, 180000, 'web' FROM generate_series(1, %s)",
                        (self.master_id, self.batch),
                    )
                self.committed += self.batch
            except psycopg.Error:
                self.errors += 1
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.2)
            time.sleep(0.01)
        if conn is not None:
            conn.close()

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=60)

    def wait_for(self, rows: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.committed < rows and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.committed >= rows, f"writer committed only {self.committed} rows"
