"""Throw-away servers and databases for tests, benchmarks and documentation scripts."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
from alembic import command
from sqlalchemy.engine import URL

from audifi.cluster import Target
from audifi.credentials import new_password
from audifi.migrate import alembic_config
from audifi.pgserver import LocalServer, free_port


def _admin_dsn(server: URL) -> str:
    return server.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )


def create_database(server: URL, name: str, migrate: bool = True) -> URL:
    """A new, empty database on ``server`` (dropped first if it exists), migrated to head."""
    with psycopg.connect(_admin_dsn(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = server.set(database=name)
    if migrate:
        command.upgrade(alembic_config(Target("primary", url), "primary"), "head")
    return url


def drop_database(server: URL, name: str) -> None:
    with psycopg.connect(_admin_dsn(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def throwaway_server(name: str, extra_conf: dict[str, str] | None = None) -> Iterator[LocalServer]:
    """A PostgreSQL server in a temporary folder on a free port, stopped and removed after."""
    with tempfile.TemporaryDirectory(prefix=f"audifi-{name}-") as tmp:
        server = LocalServer(
            name=name,
            datadir=Path(tmp) / "data",
            port=free_port(),
            password=new_password(),
            extra_conf=extra_conf or {},
        )
        server.initdb()
        server.start()
        try:
            yield server
        finally:
            server.stop()
