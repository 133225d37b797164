"""Passwords: random for local servers, from the environment for external ones, never reset."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from audifi.credentials import CREDENTIALS_FILE, ROLE_SPECS, SUPERUSER_PASSWORD_VAR
from audifi.scratch import create_database, drop_database
from tests.conftest import dsn

PASSWORD_VARS = (SUPERUSER_PASSWORD_VAR, *(s.password_var for s in ROLE_SPECS))


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in PASSWORD_VARS}
    return subprocess.run(
        [sys.executable, "-m", "audifi.cli", *args],
        capture_output=True,
        text=True,
        env={**base, **env},
        timeout=300,
    )


def logins(server_dsn: str) -> list[str]:
    with psycopg.connect(server_dsn) as conn:
        return [r[0] for r in conn.execute("SELECT rolname FROM pg_roles WHERE rolcanlogin")]


def authid(server_dsn: str) -> dict[str, str | None]:
    """Every role with its password hash: a reset password changes its SCRAM hash."""
    with psycopg.connect(server_dsn) as conn:
        return dict(conn.execute("SELECT rolname, rolpassword FROM pg_authid").fetchall())


def test_no_local_login_has_its_name_as_password(cluster, test_env):
    home = Path(test_env["AUDIFI_HOME"])
    kept = home / CREDENTIALS_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    passwords = json.loads(kept.read_text())
    assert len(set(passwords.values())) == len(passwords) == 1 + len(ROLE_SPECS)
    tried = 0
    for target in (cluster.primary, cluster.replica):
        names = logins(dsn(target.url))
        assert "audifi" in names
        for name in names:
            guess = target.url.set(username=name, password=name)
            with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
                psycopg.connect(dsn(guess)).close()
            tried += 1
    assert tried >= 5  # superuser twice, replication, dbt, analyst, finance


def test_env_prints_the_kept_passwords(cluster, test_env):
    result = run("env", env={})
    assert result.returncode == 0, result.stderr
    kept = json.loads((Path(test_env["AUDIFI_HOME"]) / CREDENTIALS_FILE).read_text())
    for spec in ROLE_SPECS:
        assert f"export {spec.password_var}={kept[spec.key]}" in result.stdout


@pytest.fixture
def external_pair(cluster, servers, tmp_path):
    """A database on each session server, reached as external servers would be."""
    name = f"ext_{uuid.uuid4().hex[:8]}"
    primary = create_database(servers[0].url(), name, migrate=False)
    replica = create_database(servers[1].url(), name, migrate=False)
    env = {
        "AUDIFI_HOME": str(tmp_path / "elsewhere"),  # not these servers' home: external
        "AUDIFI_DATABASE_URL": dsn(primary),
        "AUDIFI_DATABASE_REPLICA_URL": dsn(replica),
    }
    try:
        yield env, dsn(servers[0].url()), dsn(servers[1].url())
    finally:
        drop_database(servers[0].url(), name)
        drop_database(servers[1].url(), name)


def test_external_run_without_role_passwords_creates_no_login(external_pair):
    env, primary_dsn, replica_dsn = external_pair
    tag = uuid.uuid4().hex[:6]
    new_users = {s.user_var: f"ext_{s.key}_{tag}" for s in ROLE_SPECS}
    before = authid(primary_dsn), authid(replica_dsn)
    result = run("migrate", env={**env, **new_users})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "set AUDIFI_REPLICATION_PASSWORD" in lines[0]
    assert (authid(primary_dsn), authid(replica_dsn)) == before
    # and nothing was migrated: the check comes before any change
    with psycopg.connect(env["AUDIFI_DATABASE_URL"]) as conn:
        assert conn.execute("SELECT to_regclass('oltp.users')").fetchone()[0] is None


def test_external_run_never_resets_an_existing_password(external_pair):
    """The roles exist (the session made them); other passwords in the env change nothing."""
    env, primary_dsn, replica_dsn = external_pair
    others = {s.password_var: f"not-the-{s.key}-password" for s in ROLE_SPECS}
    before = authid(primary_dsn), authid(replica_dsn)
    result = run("migrate", env={**env, **others})
    # Roles were set up (grants) with the old passwords kept, so the subscription's login
    # with the wrong replication password is refused: one line, naming the failure.
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "password authentication failed" in lines[0], result.stderr
    assert (authid(primary_dsn), authid(replica_dsn)) == before


def test_a_password_equal_to_its_user_is_refused(external_pair):
    env, _, _ = external_pair
    result = run("migrate", env={**env, "AUDIFI_DBT_PASSWORD": "audifi_dbt"})
    assert result.returncode == 1
    assert "AUDIFI_DBT_PASSWORD equals its user name" in result.stderr.strip()
