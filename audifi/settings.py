"""Configuration from the environment, with the documented defaults for the local servers."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from audifi.errors import AudifiError

REPO_ROOT = Path(__file__).resolve().parents[1]

DEFAULT_PRIMARY_PORT = 54321
DEFAULT_REPLICA_PORT = 54322
DATABASE_NAME = "audifi"
SUPERUSER = "audifi"


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise AudifiError(f"{name}={raw!r} is not a whole number") from None
    if value < 0:
        raise AudifiError(f"{name}={raw!r} must not be negative")
    return value


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

    @property
    def external(self) -> bool:
        """True when AUDIFI_DATABASE_URL points the project at servers it does not run."""
        return self.external_primary_url is not None


def load_settings() -> Settings:
    home = Path(os.environ.get("AUDIFI_HOME") or REPO_ROOT / ".audifi").resolve()
    primary_raw = os.environ.get("AUDIFI_DATABASE_URL") or None
    replica_raw = os.environ.get("AUDIFI_DATABASE_REPLICA_URL") or None
    if replica_raw and not primary_raw:
        raise AudifiError("AUDIFI_DATABASE_REPLICA_URL is set but AUDIFI_DATABASE_URL is not")
    bindir = os.environ.get("AUDIFI_PG_BINDIR") or None
    pool_min = _int_env("AUDIFI_DB_POOL_MIN", 2)
    pool_max = _int_env("AUDIFI_DB_POOL_MAX", 10)
    if pool_max < max(pool_min, 1):
        raise AudifiError("AUDIFI_DB_POOL_MAX must be at least AUDIFI_DB_POOL_MIN and at least 1")
    return Settings(
        home=home,
        primary_port=_int_env("AUDIFI_PRIMARY_PORT", DEFAULT_PRIMARY_PORT),
        replica_port=_int_env("AUDIFI_REPLICA_PORT", DEFAULT_REPLICA_PORT),
        pg_bindir=Path(bindir) if bindir else None,
        os_user=os.environ.get("AUDIFI_PG_OS_USER", "audifi"),
        password=os.environ.get("AUDIFI_PG_PASSWORD", "audifi"),
        external_primary_url=(
            parse_database_url("AUDIFI_DATABASE_URL", primary_raw) if primary_raw else None
        ),
        external_replica_url=(
            parse_database_url("AUDIFI_DATABASE_REPLICA_URL", replica_raw) if replica_raw else None
        ),
        pool_min=pool_min,
        pool_max=pool_max,
    )
