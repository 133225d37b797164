"""Benchmark: how long the replica takes to catch up with a bulk load on the primary.

Starts its own primary and replica (temporary folder, free ports), loads N play_events rows
on the primary with COPY in one transaction, and measures, side by side in one run:

* load    — from the start of the COPY until its COMMIT returns on the primary;
* catch-up — from that COMMIT until the replica has every row (`wait_for_replica`).

Judged by catch-up / load; target <= 1.5.

    .venv/bin/python benchmarks/replication.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import tempfile
import time
import uuid

import psycopg

from audifi.cluster import local_servers, resolve_cluster
from audifi.migrate import migrate_and_connect
from audifi.pgserver import free_port
from audifi.replication import wait_for_replica
from audifi.sample import make_master
from audifi.settings import load_settings


def play_rows(master: uuid.UUID, rows: int) -> bytes:
    buf = io.StringIO()
    for i in range(rows):
        buf.write(f"{master}\t2026-01-01 00:00:00+00\t{(i * 7919) % 300000}\t300000\tweb\tDE\n")
    return buf.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="audifi-bench-")
    os.environ.update(
        AUDIFI_HOME=home,
        AUDIFI_PRIMARY_PORT=str(free_port()),
        AUDIFI_REPLICA_PORT=str(free_port()),
    )
    os.environ.pop("AUDIFI_DATABASE_URL", None)
    settings = load_settings()
    servers = local_servers(settings)
    try:
        for server in servers:
            server.initdb()
            server.start()
        cluster = resolve_cluster(settings)
        migrate_and_connect(cluster)
        wait_for_replica(cluster, timeout=120)
        p = cluster.primary.libpq_dsn()
        master = make_master(p)
        wait_for_replica(cluster, timeout=120)
        data = play_rows(master, args.rows)

        with psycopg.connect(p) as conn:
            started = time.perf_counter()
            with (
                conn.cursor() as cur,
                cur.copy(
                    "COPY oltp.play_events (master_id, started_at, ms_played, track_duration_ms, "
                    "source, country_code) FROM STDIN"
                ) as copy,
            ):
                for offset in range(0, len(data), 1 << 20):
                    copy.write(data[offset : offset + (1 << 20)])
            conn.commit()
            committed = time.perf_counter()
        wait_for_replica(cluster, timeout=3600, poll=0.05)
        caught_up = time.perf_counter()
        with psycopg.connect(cluster.replica.libpq_dsn()) as conn:
            on_replica = conn.execute("SELECT count(*) FROM oltp.play_events").fetchone()[0]
        assert on_replica == args.rows, f"replica has {on_replica} of {args.rows} rows"

        load, catchup = committed - started, caught_up - committed
        print(f"rows                       {args.rows:>12,}")
        print(f"primary load (COPY+commit) {load:>12.2f} s  ({args.rows / load:,.0f} rows/s)")
        print(f"replica catch-up           {catchup:>12.2f} s  (after the commit)")
        print(f"ratio catch-up / load      {catchup / load:>12.2f}  (target <= 1.5)")
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
