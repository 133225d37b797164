"""Configuration from the environment, with the documented defaults for the local servers."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from audifi.credentials import SUPERUSER, local_passwords
from audifi.errors import AudifiError

__all__ = ["SUPERUSER", "Settings", "load_settings"]

REPO_ROOT = Path(__file__).resolve().parents[1]

DEFAULT_PRIMARY_PORT = 54321
DEFAULT_REPLICA_PORT = 54322
DATABASE_NAME = "audifi"


MIN_PG_MAJOR = 15
PG_BINARIES = ("postgres", "initdb", "pg_ctl")


def _int_env(name: str, default: int, low: int = 0, high: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise AudifiError(f"{name}={raw!r} is not a whole number") from None
    if value < low:
        raise AudifiError(f"{name}={raw!r} must be at least {low}")
    if high is not None and value > high:
        raise AudifiError(f"{name}={raw!r} must be at most {high}")
    return value


def _port_env(name: str, default: int) -> int:
    return _int_env(name, default, low=1, high=65535)


def check_pg_bindir(bindir: Path, variable: str = "AUDIFI_PG_BINDIR") -> Path:
    """The folder must hold PostgreSQL's server binaries, version 15 or newer."""
    missing = [b for b in PG_BINARIES if not os.access(bindir / b, os.X_OK)]
    if missing:
        raise AudifiError(
            f"{variable}={str(bindir)!r} holds no PostgreSQL binaries (no {missing[0]}); "
            "point it at a PostgreSQL 15+ bin folder, e.g. /usr/lib/postgresql/16/bin, "
            "or unset it to use the bundled server"
        )
    try:
        out = subprocess.run(
            [str(bindir / "postgres"), "--version"], capture_output=True, text=True, timeout=30
        ).stdout
    except OSError as exc:
        raise AudifiError(f"{variable}: cannot run {bindir / 'postgres'}: {exc.strerror}") from None
    match = re.search(r"\(PostgreSQL\) (\d+)", out)
    if not match or int(match.group(1)) < MIN_PG_MAJOR:
        found = match.group(1) if match else "unknown"
        raise AudifiError(
            f"{variable}={str(bindir)!r} is PostgreSQL {found}; PostgreSQL "
            f"{MIN_PG_MAJOR} or newer is needed"
        )
    return bindir


def parse_database_url(variable: str, raw: str) -> URL:
    """Parse a PostgreSQL URL from ``variable``; always use the psycopg 3 driver."""
    try:
        url = make_url(raw)
    except ArgumentError:
        raise AudifiError(
            f"{variable} does not parse as a database URL "
            "(expected postgresql://user:password@host:port/database)"
        ) from None
    if url.get_backend_name() != "postgresql":
        raise AudifiError(f"{variable} must point at PostgreSQL, not {url.get_backend_name()!r}")
    if not url.host or not url.database:
        raise AudifiError(f"{variable} must name a host and a database")
    return url.set(drivername="postgresql+psycopg")


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def configured_port(datadir: Path) -> int | None:
    """The port a local data folder was created with (the last ``port =`` audifi wrote)."""
    try:
        lines = (datadir / "postgresql.conf").read_text().splitlines()
    except OSError:
        return None
    ports = [ln.split("=", 1)[1].split("#")[0].strip() for ln in lines if ln.startswith("port =")]
    return int(ports[-1]) if ports and ports[-1].isdigit() else None


def points_at_local(url: URL, home: Path, name: str, port: int) -> bool:
    """True when ``url`` is the local ``name`` server under ``home`` (by port and data folder).

    `audifi env` prints the local servers' URLs; a shell that evaluated them must still be
    able to stop, start and inspect those servers.
    """
    return (
        url.host in LOOPBACK
        and (url.port or 5432) == port
        and url.database == DATABASE_NAME
        and configured_port(home / name / "data") == port
    )


@dataclass(frozen=True)
class Settings:
    home: Path
    primary_port: int
    replica_port: int
    pg_bindir: Path | None
    os_user: str
    password: str
    external_primary_url: URL | None
    external_replica_url: URL | None
    pool_min: int
    pool_max: int
    # On an external replica, revoke PUBLIC's CREATE (database and schema public): opt-in.
    revoke_public_create: bool = False

    @property
    def external(self) -> bool:
        """True when AUDIFI_DATABASE_URL points the project at servers it does not run."""
        return self.external_primary_url is not None


def load_settings() -> Settings:
    home = Path(os.environ.get("AUDIFI_HOME") or REPO_ROOT / ".audifi").resolve()
    if home.exists() and not home.is_dir():
        raise AudifiError(f"AUDIFI_HOME={str(home)!r} is a file, not a folder")
    primary_raw = os.environ.get("AUDIFI_DATABASE_URL") or None
    replica_raw = os.environ.get("AUDIFI_DATABASE_REPLICA_URL") or None
    if replica_raw and not primary_raw:
        raise AudifiError("AUDIFI_DATABASE_REPLICA_URL is set but AUDIFI_DATABASE_URL is not")
    bindir = os.environ.get("AUDIFI_PG_BINDIR") or None
    pool_min = _int_env("AUDIFI_DB_POOL_MIN", 2, high=1000)
    pool_max = _int_env("AUDIFI_DB_POOL_MAX", 10, high=1000)
    if pool_max < max(pool_min, 1):
        raise AudifiError("AUDIFI_DB_POOL_MAX must be at least AUDIFI_DB_POOL_MIN and at least 1")
    primary_port = _port_env("AUDIFI_PRIMARY_PORT", DEFAULT_PRIMARY_PORT)
    replica_port = _port_env("AUDIFI_REPLICA_PORT", DEFAULT_REPLICA_PORT)
    if primary_port == replica_port:
        raise AudifiError(
            f"AUDIFI_PRIMARY_PORT and AUDIFI_REPLICA_PORT are both {primary_port}: "
            "the two servers need different ports"
        )
    os_user = os.environ.get("AUDIFI_PG_OS_USER") or "audifi"
    if not re.fullmatch(r"[a-z_][a-z0-9_-]{0,31}", os_user):
        raise AudifiError(
            f"AUDIFI_PG_OS_USER={os_user!r} is not a valid user name (lower-case letters, "
            "digits, _ and -)"
        )
    primary_url = parse_database_url("AUDIFI_DATABASE_URL", primary_raw) if primary_raw else None
    replica_url = (
        parse_database_url("AUDIFI_DATABASE_REPLICA_URL", replica_raw) if replica_raw else None
    )
    if (
        primary_url is not None
        and replica_url is not None
        and points_at_local(primary_url, home, "primary", primary_port)
        and points_at_local(replica_url, home, "replica", replica_port)
    ):
        primary_url = replica_url = None  # the local pair, as `audifi env` printed it
    revoke_public = os.environ.get("AUDIFI_REPLICA_REVOKE_PUBLIC_CREATE", "")
    if revoke_public not in ("", "0", "1"):
        raise AudifiError(f"AUDIFI_REPLICA_REVOKE_PUBLIC_CREATE={revoke_public!r}: use 1 or 0")
    return Settings(
        home=home,
        primary_port=primary_port,
        replica_port=replica_port,
        pg_bindir=check_pg_bindir(Path(bindir)) if bindir else None,
        os_user=os_user,
        # External servers: the URLs carry their own passwords; the roles' come from the env.
        password="" if primary_url is not None else local_passwords(home)["superuser"],
        external_primary_url=primary_url,
        external_replica_url=replica_url,
        pool_min=pool_min,
        pool_max=pool_max,
        revoke_public_create=revoke_public == "1",
    )
