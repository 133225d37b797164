"""Throw-away PostgreSQL servers for the test session.

The session starts its own primary and replica (never on the ports a user's `audifi up`
uses), migrated and connected exactly as `audifi up` does, and stops them at the end, also
when tests fail.  Point AUDIFI_TEST_HOME at a folder to keep their data for inspection.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from audifi.cli import _migrate_and_connect
from audifi.cluster import Cluster, local_servers, resolve_cluster
from audifi.pgserver import LocalServer, free_port
from audifi.replication import wait_for_replica
from audifi.scratch import create_database, drop_database
from audifi.settings import Settings, load_settings


@pytest.fixture(scope="session")
def test_env() -> Iterator[dict[str, str]]:
    """Environment variables that point `audifi` at the session's own servers."""
    home = Path(os.environ.get("AUDIFI_TEST_HOME") or tempfile.mkdtemp(prefix="audifi-test-"))
    env = {
        "AUDIFI_HOME": str(home),
        "AUDIFI_PRIMARY_PORT": str(free_port()),
        "AUDIFI_REPLICA_PORT": str(free_port()),
    }
    saved = {
        k: os.environ.get(k) for k in (*env, "AUDIFI_DATABASE_URL", "AUDIFI_DATABASE_REPLICA_URL")
    }
    os.environ.pop("AUDIFI_DATABASE_URL", None)
    os.environ.pop("AUDIFI_DATABASE_REPLICA_URL", None)
    os.environ.update(env)
    yield env
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    if not os.environ.get("AUDIFI_TEST_HOME"):
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def settings(test_env) -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def servers(settings) -> Iterator[tuple[LocalServer, LocalServer]]:
    primary, replica = local_servers(settings)
    try:
        for server in (primary, replica):
            if not server.initialized:
                server.initdb()
            if server.pid() is None:
                server.start()
        yield primary, replica
    finally:
        for server in (replica, primary):
            server.stop()


@pytest.fixture(scope="session")
def cluster(settings, servers) -> Cluster:
    """Both servers migrated to head and connected by the subscription."""
    cluster = resolve_cluster(settings)
    _migrate_and_connect(cluster)
    wait_for_replica(cluster, timeout=120)  # initial table copies done
    return cluster


@contextlib.contextmanager
def fresh_cluster() -> Iterator[tuple[Cluster, LocalServer, LocalServer, dict[str, str]]]:
    """A second, empty pair of servers (up, migrated, subscribed) for tests that disturb them."""
    home = tempfile.mkdtemp(prefix="audifi-extra-")
    env = {
        "AUDIFI_HOME": home,
        "AUDIFI_PRIMARY_PORT": str(free_port()),
        "AUDIFI_REPLICA_PORT": str(free_port()),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    servers = local_servers(load_settings())
    try:
        for server in servers:
            server.initdb()
            server.start()
        cluster = resolve_cluster(load_settings())
        _migrate_and_connect(cluster)
        wait_for_replica(cluster, timeout=120)  # initial table copies done
        yield cluster, servers[0], servers[1], env
    finally:
        for key, value in saved.items():
            if value is not None:
                os.environ[key] = value
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(home, ignore_errors=True)


def dsn(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def primary_dsn(cluster) -> str:
    return dsn(cluster.primary.url)


@pytest.fixture(scope="session")
def replica_dsn(cluster) -> str:
    return dsn(cluster.replica.url)


_db_counter = itertools.count()


@pytest.fixture
def scratch_database(servers) -> Iterator[str]:
    """An empty, unmigrated database on the test primary, dropped afterwards (SQLAlchemy URL)."""
    server, name = servers[0].url(), f"scratch_{os.getpid()}_{next(_db_counter)}"
    url = create_database(server, name, migrate=False)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        drop_database(server, name)


@pytest.fixture(scope="module")
def fresh_primary_url(servers) -> Iterator[str]:
    """A new database on the test primary, migrated to head and empty (SQLAlchemy URL)."""
    server, name = servers[0].url(), f"fresh_{os.getpid()}_{next(_db_counter)}"
    url = create_database(server, name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        drop_database(server, name)
