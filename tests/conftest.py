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
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from audifi.cluster import Cluster, local_servers, resolve_cluster
from audifi.credentials import ROLE_SPECS
from audifi.dbt import run_dbt
from audifi.migrate import migrate_and_connect
from audifi.pgserver import LocalServer, free_port
from audifi.replication import roles_from_env, wait_for_replica
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
    # A shell that ran `eval "$(audifi env)"` exports another home's servers and passwords.
    outside = ("AUDIFI_DATABASE_URL", "AUDIFI_DATABASE_REPLICA_URL", "AUDIFI_PG_PASSWORD")
    outside += tuple(v for s in ROLE_SPECS for v in (s.user_var, s.password_var))
    saved = {k: os.environ.get(k) for k in (*env, *outside)}
    for key in outside:
        os.environ.pop(key, None)
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
    migrate_and_connect(cluster)
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
        migrate_and_connect(cluster)
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


@contextlib.contextmanager
def temporary_database(servers, prefix: str, migrate: bool = True) -> Iterator[str]:
    """A new, empty database on the test primary (migrated to head unless told otherwise),
    dropped afterwards; yields its SQLAlchemy URL."""
    server, name = servers[0].url(), f"{prefix}_{os.getpid()}_{next(_db_counter)}"
    url = create_database(server, name, migrate=migrate)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        drop_database(server, name)


@pytest.fixture
def scratch_database(servers) -> Iterator[str]:
    """An empty, unmigrated database on the test primary, dropped afterwards (SQLAlchemy URL)."""
    with temporary_database(servers, "scratch", migrate=False) as url:
        yield url


@pytest.fixture(scope="module")
def fresh_primary_url(servers) -> Iterator[str]:
    """A new database on the test primary, migrated to head and empty (SQLAlchemy URL)."""
    with temporary_database(servers, "fresh") as url:
        yield url


# -- the warehouse: servers, seeded data and a dbt build ---------------------------------


@dataclass
class Warehouse:
    """A primary + replica pair with seeded data and the dbt project built on the replica."""

    cluster: Cluster
    env: dict[str, str]
    target_path: Path

    def dbt(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run dbt on the replica; with ``check``, a failure fails the test with dbt's log."""
        result = run_dbt(self.cluster, list(args), target_path=self.target_path, capture=True)
        if check and result.returncode != 0:
            pytest.fail(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}")
        return result

    def seed(self, scale: str = "tiny", seed: int = 42) -> None:
        from audifi.seed import seed_database

        seed_database(self.primary_url, scale, seed=seed)
        wait_for_replica(self.cluster, timeout=300)

    def append_days(self, days: int, seed: int = 42) -> None:
        from audifi.seed import append_days

        append_days(self.primary_url, days, seed=seed)
        wait_for_replica(self.cluster, timeout=300)

    @property
    def primary_url(self) -> str:
        return self.cluster.primary.url.render_as_string(hide_password=False)

    @property
    def primary_dsn(self) -> str:
        return dsn(self.cluster.primary.url)

    def replica_dsn(self, role: str = "dbt") -> str:
        """The replica as ``role``: dbt, analyst or finance."""
        roles = roles_from_env(self.cluster)
        user, password = {
            "dbt": (roles.dbt_user, roles.dbt_password),
            "analyst": (roles.analyst_user, roles.analyst_password),
            "finance": (roles.finance_user, roles.finance_password),
        }[role]
        return dsn(self.cluster.replica.url.set(username=user, password=password))


def dbt_selection() -> list[str]:
    """`AUDIFI_TEST_DBT_SELECT` narrows the test build while developing; CI builds everything."""
    select = os.environ.get("AUDIFI_TEST_DBT_SELECT")
    return ["--select", select] if select else []


@contextlib.contextmanager
def built_warehouse(scale: str = "tiny", seed: int = 42) -> Iterator[Warehouse]:
    """Fresh servers, ``scale`` data on the primary, replicated, and `dbt build` on the replica."""
    with fresh_cluster() as (cluster, _, _, env), tempfile.TemporaryDirectory() as target:
        warehouse = Warehouse(cluster, env, Path(target))
        warehouse.seed(scale, seed)
        warehouse.dbt("build", *dbt_selection())
        yield warehouse


@pytest.fixture(scope="session")
def warehouse(test_env) -> Iterator[Warehouse]:
    """The shared, read-only warehouse on `tiny`: tests must not change its data."""
    with built_warehouse() as built:
        yield built


@pytest.fixture(scope="session")
def appended_warehouse(test_env) -> Iterator[Warehouse]:
    """`tiny`, then `--append-days 2`, built again incrementally: read-only for tests."""
    with built_warehouse() as built:
        built.append_days(2)
        built.dbt("build", *dbt_selection())
        yield built


@pytest.fixture(params=["tiny", "tiny+2 days"])
def any_warehouse(request) -> Warehouse:
    """Run a test on the fresh `tiny` warehouse and on the one built again after appends."""
    name = "warehouse" if request.param == "tiny" else "appended_warehouse"
    return request.getfixturevalue(name)
