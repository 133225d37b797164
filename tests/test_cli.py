"""The `audifi` command as a user runs it: exit codes and one-line errors."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import stat
import subprocess
import sys

import pytest

from audifi import __version__
from audifi.pgserver import free_port


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "audifi.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
    )


def process_alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (exited, not yet reaped by its parent) is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_help_explains_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("up", "down", "status", "env", "psql", "migrate", "replica"):
        assert command in result.stdout
    for variable in ("AUDIFI_DATABASE_URL", "AUDIFI_HOME", "AUDIFI_PG_OS_USER", "AUDIFI_DEBUG"):
        assert variable in result.stdout
    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"audifi {__version__}"


def test_unparsable_database_url_is_a_one_line_error():
    result = run("status", env={"AUDIFI_DATABASE_URL": "not a url"})
    assert_one_line_error(result, "AUDIFI_DATABASE_URL")


def test_server_that_is_down_is_named(tmp_path):
    port = free_port()
    result = run("migrate", env={"AUDIFI_DATABASE_URL": f"postgresql://u:p@127.0.0.1:{port}/db"})
    assert_one_line_error(result, "primary", f"127.0.0.1:{port}")


def test_status_of_a_down_external_server_fails(tmp_path):
    port = free_port()
    result = run("status", env={"AUDIFI_DATABASE_URL": f"postgresql://u:p@127.0.0.1:{port}/db"})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_down_with_nothing_running_says_so(tmp_path):
    result = run(
        "down",
        env={"AUDIFI_HOME": str(tmp_path), "AUDIFI_PRIMARY_PORT": str(free_port())},
    )
    assert result.returncode == 0
    assert "nothing was running" in result.stdout


def test_up_on_a_taken_port_is_a_clear_error(tmp_path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        result = run(
            "up",
            env={
                "AUDIFI_HOME": str(tmp_path / "home"),
                "AUDIFI_PRIMARY_PORT": str(port),
                "AUDIFI_REPLICA_PORT": str(free_port()),
            },
        )
    assert_one_line_error(result, f"port {port}", "taken")


@pytest.mark.parametrize("value", ["-1", "many"])
def test_bad_pool_size_is_rejected(value):
    result = run("status", env={"AUDIFI_DB_POOL_MAX": value})
    assert_one_line_error(result, "AUDIFI_DB_POOL_MAX")


def test_status_and_env_describe_the_running_servers(cluster, test_env):
    result = run("status")
    assert result.returncode == 0, result.stderr
    assert "primary" in result.stdout and "replica" in result.stdout
    assert result.stdout.count("running (pid") == 2
    assert "0001" in result.stdout
    assert "tables ready" in result.stdout
    env_out = run("env")
    assert env_out.returncode == 0
    assert f"127.0.0.1:{test_env['AUDIFI_PRIMARY_PORT']}" in env_out.stdout
    assert "export AUDIFI_DATABASE_REPLICA_URL=" in env_out.stdout


def test_up_is_idempotent(cluster):
    result = run("up")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("already running") == 2
    assert "already at head" in result.stdout


def test_single_server_mode_reads_the_primary(cluster, primary_dsn):
    result = run("status", env={"AUDIFI_DATABASE_URL": primary_dsn})
    assert result.returncode == 0, result.stderr
    assert "single-server mode" in result.stdout
    env_out = run("env", env={"AUDIFI_DATABASE_URL": primary_dsn})
    port = primary_dsn.rsplit(":", 1)[1].split("/")[0]
    assert f"AUDIFI_DBT_PORT={port}" in env_out.stdout


def test_dbt_connects_to_the_replica_with_the_dbt_role(cluster):
    result = run("dbt", "--no-use-colors", "debug")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "Connection test: [OK connection ok]" in result.stdout
    assert "user: audifi_dbt" in result.stdout


def test_up_status_down_leave_no_server_process_behind(tmp_path):
    """As the README advises: `eval "$(audifi env)"`, then status, up and down still work."""
    env = {
        "AUDIFI_HOME": str(tmp_path / "home"),
        "AUDIFI_PRIMARY_PORT": str(free_port()),
        "AUDIFI_REPLICA_PORT": str(free_port()),
    }
    up = run("up", env=env)
    try:
        assert up.returncode == 0, up.stderr
        pids = [
            int((tmp_path / "home" / name / "data" / "postmaster.pid").read_text().split()[0])
            for name in ("primary", "replica")
        ]
        audifi = f"{shlex.quote(sys.executable)} -m audifi.cli"
        script = (
            f'eval "$({audifi} env)" && test -n "$AUDIFI_DATABASE_URL" '
            f'&& test -n "$AUDIFI_DATABASE_REPLICA_URL" '
            f"&& {audifi} status && {audifi} up && {audifi} down"
        )
        shell = subprocess.run(
            ["bash", "-c", script], capture_output=True, text=True, env={**os.environ, **env}
        )
    finally:
        run("down", env=env)  # whatever happened above
    assert shell.returncode == 0, shell.stdout + shell.stderr
    assert shell.stdout.count("running (pid") == 4  # status, and up: "already running (pid"
    assert shell.stdout.count("already running") == 2  # up
    assert "primary: stopped" in shell.stdout and "replica: stopped" in shell.stdout  # down
    for pid in pids:
        assert not process_alive(pid), f"server process {pid} is still running"
    stopped = run("status", env=env)
    assert stopped.returncode == 0 and stopped.stdout.count("stopped") == 2
    purge = run("down", "--purge", env=env)
    assert purge.returncode == 0 and "nothing was running" in purge.stdout
    assert not (tmp_path / "home" / "primary" / "data").exists()


def test_psql_opens_the_replica_as_the_analyst(cluster):
    query = ["-X", "-A", "-t", "-c", "SELECT current_user, count(*) FROM oltp.users"]
    result = run("psql", *query)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("audifi_analyst|")
    owner = run("psql", "primary", "-X", "-A", "-t", "-c", "SELECT current_user")
    assert owner.returncode == 0 and owner.stdout.strip() == "audifi"
    denied = run("psql", "-X", "-c", "DELETE FROM oltp.masters WHERE false")
    assert denied.returncode != 0 and "permission denied" in denied.stderr


def test_pool_is_sized_from_the_environment(cluster, monkeypatch):
    from audifi.cluster import make_engine
    from audifi.settings import load_settings

    monkeypatch.setenv("AUDIFI_DB_POOL_MIN", "3")
    monkeypatch.setenv("AUDIFI_DB_POOL_MAX", "7")
    engine = make_engine(cluster.primary, load_settings())
    try:
        assert engine.pool.size() == 3
        assert engine.pool._max_overflow == 4
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.skipif(os.geteuid() != 0, reason="root mode: only a root user can run it")
def test_root_mode_opens_only_the_data_folders_parents(tmp_path):
    """Binaries in a folder others cannot enter stay closed; the data folder is opened."""
    from audifi.pgserver import default_bindir

    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    install = default_bindir().parent  # the wheel's layout: pkg/pginstallNN, pkg.libs beside pkg
    for src, dst in (
        (install, closed / install.parent.name / install.name),
        (install.parent.with_name(install.parent.name + ".libs"), closed / "pkg.libs"),
    ):
        shutil.copytree(src, dst, symlinks=True, copy_function=os.link)
    (closed / "pkg.libs").rename(closed / f"{install.parent.name}.libs")
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    env = {
        "AUDIFI_HOME": str(private / "home"),
        "AUDIFI_PRIMARY_PORT": str(free_port()),
        "AUDIFI_REPLICA_PORT": str(free_port()),
        "AUDIFI_PG_BINDIR": str(closed / install.parent.name / install.name / "bin"),
    }
    up = run("up", env=env)
    try:
        assert up.returncode == 0, up.stderr
        assert "audifi runs as root" in up.stderr
        assert f"added search permission (o+x) to {private}" in up.stderr
        assert up.stderr.count("audifi runs as root") == len(up.stderr.strip().splitlines())
    finally:
        down = run("down", env=env)
    assert down.returncode == 0 and down.stdout.count("stopped") == 2
    assert stat.S_IMODE(closed.stat().st_mode) == 0o700  # never opened
    assert stat.S_IMODE(private.stat().st_mode) & stat.S_IXOTH
