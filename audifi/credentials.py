"""Who logs in, and with which password: the one place the role variables are read.

Local servers get random passwords, generated once and kept in ``AUDIFI_HOME/credentials.json``
(mode 0600); `audifi env` prints them.  Against external servers the passwords come from the
environment only: a missing one is ``None``, and the code that would need it names the
variable to set.  No password ever equals its user name.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from audifi.errors import AudifiError

CREDENTIALS_FILE = "credentials.json"
SUPERUSER = "audifi"
SUPERUSER_PASSWORD_VAR = "AUDIFI_PG_PASSWORD"


@dataclass(frozen=True)
class RoleSpec:
    """A login role: the variables that name it and set its password, and its default name."""

    key: str
    user_var: str
    password_var: str
    default_user: str


ROLE_SPECS = (
    RoleSpec("replication", "AUDIFI_REPLICATION_USER", "AUDIFI_REPLICATION_PASSWORD",
             "audifi_replication"),
    RoleSpec("dbt", "AUDIFI_DBT_USER", "AUDIFI_DBT_PASSWORD", "audifi_dbt"),
    RoleSpec("analyst", "AUDIFI_ANALYST_USER", "AUDIFI_ANALYST_PASSWORD", "audifi_analyst"),
    RoleSpec("finance", "AUDIFI_FINANCE_USER", "AUDIFI_FINANCE_PASSWORD", "audifi_finance"),
)  # fmt: skip
SPEC = {spec.key: spec for spec in ROLE_SPECS}


def role_user(key: str) -> str:
    spec = SPEC[key]
    return os.environ.get(spec.user_var) or spec.default_user


def _env_password(variable: str, user: str) -> str | None:
    value = os.environ.get(variable) or None
    if value is not None and value == user:
        raise AudifiError(f"{variable} equals its user name {user!r}: choose another password")
    return value


def new_password() -> str:
    return secrets.token_urlsafe(24)


def _read(path: Path) -> dict[str, str]:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise AudifiError(f"{path} is readable by others (mode {mode:o}): run `chmod 600 {path}`")
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise AudifiError(f"cannot read {path}: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise AudifiError(f"{path} is not a credentials file written by audifi")
    return data


def _write(path: Path, data: dict[str, str]) -> None:
    """Create the file with mode 0600 from the start: never briefly readable by others."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
        fh.write("\n")
    os.replace(tmp, path)


def local_passwords(home: Path) -> dict[str, str]:
    """The local servers' passwords by key ("superuser", "dbt", …), created on first use.

    A password variable that is set must agree with the kept password: the servers were
    created with that one, and audifi never changes an existing role's password.
    """
    path = home / CREDENTIALS_FILE
    users = {"superuser": SUPERUSER, **{key: role_user(key) for key in SPEC}}
    variables = {
        "superuser": SUPERUSER_PASSWORD_VAR,
        **{k: s.password_var for k, s in SPEC.items()},
    }
    given = {key: _env_password(variables[key], users[key]) for key in users}
    if path.exists():
        kept = _read(path)
    else:
        if (home / "primary" / "data" / "PG_VERSION").exists():
            raise AudifiError(
                f"the local servers in {home} predate {CREDENTIALS_FILE} (their passwords were "
                "the role names): recreate them with `audifi down --purge && audifi up`"
            )
        kept = {}
    changed = False
    for key, user in users.items():
        value = kept.get(key)
        if value is None:
            kept[key] = given[key] or new_password()
            changed = True
        elif given[key] is not None and given[key] != value:
            raise AudifiError(
                f"{variables[key]} is not the password the local {user!r} role was created with "
                f'(kept in {path}): unset it, or run `eval "$(audifi env)"` again'
            )
    if changed:
        _write(path, kept)
    return kept


def external_passwords() -> dict[str, str | None]:
    """The role passwords from the environment; ``None`` where the variable is not set."""
    return {key: _env_password(spec.password_var, role_user(key)) for key, spec in SPEC.items()}
