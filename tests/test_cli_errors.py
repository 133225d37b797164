"""Every bad input to `audifi` is one line on stderr, a non-zero exit, and changes nothing.

Each case runs the real command in a subprocess against the session's servers (or a
database made for the case on the test primary).  Before and after, every table of every
database involved is fingerprinted (row count and an md5 of its rows), and so are the
servers' roles with their password hashes and the files under AUDIFI_HOME.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import sysconfig
import uuid
import venv
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from audifi.errors import describe
from audifi.pgserver import free_port
from audifi.sample import make_master
from audifi.scratch import create_database, drop_database
from audifi.settings import REPO_ROOT

READER = "audifi_err_reader"
READER_PASSWORD = "reader-" + uuid.uuid4().hex


def run(*args: str, env: dict[str, str], python: str = sys.executable):
    return subprocess.run(
        [python, "-m", "audifi.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def fingerprint(dsn: str) -> dict[str, tuple[int, str]]:
    """Row count and md5 of every user table, and the roles with their password hashes."""
    prints: dict[str, tuple[int, str]] = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            prints[table] = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                f" FROM {table} t"
            ).fetchone()
        prints["pg_authid"] = conn.execute(
            "SELECT count(*), md5(string_agg(rolname || ':' || coalesce(rolpassword, ''), ','"
            " ORDER BY rolname)) FROM pg_authid"
        ).fetchone()
    return prints


def files_fingerprint(home: Path) -> dict[str, str]:
    """Content hashes of AUDIFI_HOME's files, except what the servers rewrite as they run."""
    skip = ("/data/", ".log")
    return {
        str(p): hashlib.md5(p.read_bytes()).hexdigest()
        for p in sorted(home.rglob("*"))
        if p.is_file() and not any(s in str(p) for s in skip)
    }


def _dsn(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def stores(cluster, servers) -> Iterator[dict[str, str]]:
    """The databases the cases point at, by name (libpq URLs), on the test primary."""
    server = servers[0].url()
    tag = f"{os.getpid()}"
    names = {
        "unmigrated": (f"err_unmigrated_{tag}", False),
        "empty": (f"err_empty_{tag}", True),
        "foreign": (f"err_foreign_{tag}", True),
        "unknown_rev": (f"err_unknown_rev_{tag}", True),
    }
    urls = {
        key: _dsn(create_database(server, name, migrate)) for key, (name, migrate) in names.items()
    }
    # Data this generator did not produce: a user, an artist, a master and one play.
    master = make_master(urls["foreign"])
    with psycopg.connect(urls["foreign"], autocommit=True) as conn:
        conn.execute(
            "INSERT INTO oltp.play_events (master_id, started_at, ms_played, track_duration_ms,"
            " source, country_code) VALUES (%s, now() - interval '1 day', 1000, 2000, 'web', 'DE')",
            (master,),
        )
    with psycopg.connect(urls["unknown_rev"], autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'fedcba987654'")
    # A role that may read the empty database but not write it: the seed's COPY fails.
    with psycopg.connect(urls["empty"], autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {READER}")
        conn.execute(f"CREATE ROLE {READER} LOGIN PASSWORD '{READER_PASSWORD}'")
        conn.execute(f"GRANT USAGE ON SCHEMA oltp TO {READER}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA oltp TO {READER}")
    urls["primary"] = _dsn(cluster.primary.url)
    urls["replica"] = _dsn(cluster.replica.url)
    port = cluster.primary.url.port
    urls["reader"] = f"postgresql://{READER}:{READER_PASSWORD}@127.0.0.1:{port}/{names['empty'][0]}"
    urls["wrong_password"] = f"postgresql://audifi:not-the-password@127.0.0.1:{port}/audifi"
    urls["nobody_listens"] = f"postgresql://u:p@127.0.0.1:{free_port()}/db"
    try:
        yield urls
    finally:
        for name, _ in names.values():
            drop_database(server, name)
        with psycopg.connect(_dsn(server), autocommit=True) as conn:
            conn.execute(f"DROP ROLE IF EXISTS {READER}")


def python_without_dbt(tmp: Path) -> tuple[str, dict[str, str]]:
    """A real interpreter in a folder with no dbt next to it, importing this project."""
    venv.create(tmp / "bare", with_pip=False)
    path = os.pathsep.join([sysconfig.get_paths()["purelib"], str(REPO_ROOT)])
    return str(tmp / "bare" / "bin" / "python"), {"PYTHONPATH": path}


# (id, arguments, environment, a fragment the one line must contain).  "{name}" in the
# environment is a database from ``stores``; "{file}" a regular file.
CASES = [
    # the failures the issue reported
    ("port-out-of-range", ["up"], {"AUDIFI_PRIMARY_PORT": "70000"}, "AUDIFI_PRIMARY_PORT"),
    ("bindir-missing", ["up"], {"AUDIFI_PG_BINDIR": "/nonexistent"}, "AUDIFI_PG_BINDIR"),
    ("dbt-missing", ["dbt", "debug"], {}, "dbt is not installed"),
    ("negative-seed", ["seed", "--seed", "-1"], {}, "--seed"),
    (
        "sql-error-in-seed",
        ["seed", "--scale", "tiny"],
        {"AUDIFI_DATABASE_URL": "{reader}"},
        "permission denied",
    ),
    ("unknown-revision", ["migrate"], {"AUDIFI_DATABASE_URL": "{unknown_rev}"}, "fedcba987654"),
    (
        "append-to-foreign-data",
        ["seed", "--append-days", "1"],
        {"AUDIFI_DATABASE_URL": "{foreign}"},
        "not loaded by `audifi seed`",
    ),
    (
        "wrong-password",
        ["migrate"],
        {"AUDIFI_DATABASE_URL": "{wrong_password}"},
        "password authentication failed",
    ),
    (
        "pg-password-changed",
        ["migrate"],
        {"AUDIFI_PG_PASSWORD": "changed-after-creation"},
        "AUDIFI_PG_PASSWORD",
    ),
    # settings
    ("port-zero", ["status"], {"AUDIFI_REPLICA_PORT": "0"}, "AUDIFI_REPLICA_PORT"),
    ("port-not-a-number", ["up"], {"AUDIFI_PRIMARY_PORT": "fivefour"}, "whole number"),
    (
        "same-ports",
        ["up"],
        {"AUDIFI_PRIMARY_PORT": "54999", "AUDIFI_REPLICA_PORT": "54999"},
        "different ports",
    ),
    ("pool-min-negative", ["status"], {"AUDIFI_DB_POOL_MIN": "-1"}, "AUDIFI_DB_POOL_MIN"),
    ("pool-max-zero", ["status"], {"AUDIFI_DB_POOL_MAX": "0"}, "AUDIFI_DB_POOL_MAX"),
    ("bindir-without-postgres", ["up"], {"AUDIFI_PG_BINDIR": "/usr/bin"}, "no postgres"),
    ("home-is-a-file", ["down"], {"AUDIFI_HOME": "{file}"}, "AUDIFI_HOME"),
    ("bad-os-user", ["up"], {"AUDIFI_PG_OS_USER": "Bad User"}, "AUDIFI_PG_OS_USER"),
    ("url-unparsable", ["status"], {"AUDIFI_DATABASE_URL": "not a url"}, "AUDIFI_DATABASE_URL"),
    ("url-not-postgres", ["env"], {"AUDIFI_DATABASE_URL": "mysql://u:p@h/db"}, "PostgreSQL"),
    (
        "replica-url-alone",
        ["status"],
        {"AUDIFI_DATABASE_REPLICA_URL": "{replica}"},
        "AUDIFI_DATABASE_URL is not",
    ),
    # options
    ("unknown-scale", ["seed", "--scale", "huge"], {}, "--scale"),
    ("scale-with-append", ["seed", "--scale", "tiny", "--append-days", "1"], {}, "--scale"),
    ("if-empty-with-append", ["seed", "--if-empty", "--append-days", "1"], {}, "--if-empty"),
    ("append-zero-days", ["seed", "--append-days", "0"], {}, "--append-days"),
    ("seed-not-a-number", ["seed", "--seed", "x"], {}, "--seed"),
    ("reorg-zero-blocks", ["seed", "--reorg", "0", "--chain", "1"], {}, "--reorg"),
    ("reorg-not-a-number", ["seed", "--reorg", "ten", "--chain", "1"], {}, "--reorg"),
    ("reorg-unknown-chain", ["seed", "--reorg", "10", "--chain", "5"], {}, "unknown chain"),
    ("reorg-without-chain", ["seed", "--reorg", "10"], {}, "--chain"),
    ("chain-without-reorg", ["seed", "--chain", "1"], {}, "--reorg"),
    (
        "reorg-with-scale",
        ["seed", "--reorg", "10", "--chain", "1", "--scale", "tiny"],
        {},
        "does not combine",
    ),
    ("timeout-zero", ["replica", "wait", "--timeout", "0"], {}, "--timeout"),
    ("timeout-negative", ["replica", "wait", "--timeout", "-5"], {}, "--timeout"),
    ("unknown-command", ["launch"], {}, "launch"),
    ("unknown-option", ["up", "--fast"], {}, "--fast"),
    ("extra-argument", ["down", "now"], {}, "now"),
    ("psql-unknown-server", ["psql", "standby"], {}, "standby"),
    ("psql-analyst-on-primary", ["psql", "primary", "--role", "analyst"], {}, "replica only"),
    ("psql-no-replica", ["psql", "replica"], {"AUDIFI_DATABASE_URL": "{primary}"}, "no replica"),
    # the data
    (
        "seed-unmigrated",
        ["seed", "--scale", "tiny"],
        {"AUDIFI_DATABASE_URL": "{unmigrated}"},
        "not migrated",
    ),
    (
        "append-to-nothing",
        ["seed", "--append-days", "1"],
        {"AUDIFI_DATABASE_URL": "{empty}"},
        "nothing to append",
    ),
    (
        "reorg-empty-database",
        ["seed", "--reorg", "10", "--chain", "1"],
        {"AUDIFI_DATABASE_URL": "{empty}"},
        "nothing to reorg",
    ),
    (
        "reorg-unmigrated",
        ["seed", "--reorg", "10", "--chain", "137"],
        {"AUDIFI_DATABASE_URL": "{unmigrated}"},
        "not migrated",
    ),
    ("server-down", ["migrate"], {"AUDIFI_DATABASE_URL": "{nobody_listens}"}, "cannot connect"),
    (
        "resync-without-replica",
        ["replica", "resync"],
        {"AUDIFI_DATABASE_URL": "{primary}"},
        "no replica",
    ),
]


@pytest.mark.parametrize(
    ("args", "env", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_one_line_and_changes_nothing(stores, test_env, tmp_path, args, env, fragment):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder\n")
    env = {k: v.format(**stores, file=a_file) for k, v in env.items()}
    databases = [stores[k] for k in ("primary", "replica", "empty", "foreign", "unknown_rev")]
    home = Path(test_env["AUDIFI_HOME"])
    before = [fingerprint(d) for d in databases], files_fingerprint(home)
    python = sys.executable
    if args[0] == "dbt":
        python, extra = python_without_dbt(tmp_path)
        env.update(extra, PATH="/usr/bin:/bin")  # and none on PATH
    result = run(*args, env=env, python=python)
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert fragment in lines[0], lines[0]
    assert ([fingerprint(d) for d in databases], files_fingerprint(home)) == before


def test_debug_shows_the_traceback(stores):
    """--debug and AUDIFI_DEBUG=1 add the traceback; the last line is still the message."""
    env = {"AUDIFI_DATABASE_URL": stores["nobody_listens"]}
    for args, extra in ((["--debug", "migrate"], {}), (["migrate"], {"AUDIFI_DEBUG": "1"})):
        result = run(*args, env={**env, **extra})
        assert result.returncode == 1
        assert "Traceback" in result.stderr
        assert "cannot connect" in result.stderr.strip().splitlines()[-1]


def test_only_expected_failures_have_a_message():
    """What describe() does not know is a bug: the boundary calls it internal and exits 70."""
    assert describe(ZeroDivisionError()) is None
    assert describe(FileNotFoundError(2, "No such file", "/x")) == "not found: /x"
