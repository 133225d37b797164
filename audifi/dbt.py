"""Running dbt on the analytics project against the cluster's analytics database.

`analytics/profiles.yml` reads the AUDIFI_DBT_* variables set here: the replica with the dbt
role, or, in single-server mode, the primary as its own user (target `single`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from audifi import replication
from audifi.cluster import Cluster
from audifi.errors import AudifiError
from audifi.migrate import current_revision, head_revision
from audifi.settings import REPO_ROOT

PROJECT_DIR = REPO_ROOT / "analytics"


def dbt_env(cluster: Cluster) -> dict[str, str]:
    """The variables analytics/profiles.yml reads for this cluster."""
    roles = replication.roles_from_env(cluster)
    url = cluster.analytics.url
    replica = cluster.replica is not None
    return {
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "AUDIFI_DBT_TARGET": "replica" if replica else "single",
        "AUDIFI_DBT_HOST": url.host or "127.0.0.1",
        "AUDIFI_DBT_PORT": str(url.port or 5432),
        "AUDIFI_DBT_DBNAME": url.database or "audifi",
        "AUDIFI_DBT_USER": roles.dbt_user if replica else (url.username or ""),
        "AUDIFI_DBT_PASSWORD": roles.need("dbt") if replica else (url.password or ""),
    }


def dbt_executable() -> str:
    """dbt installed next to this Python (the project's venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    found = str(beside) if beside.exists() else shutil.which("dbt")
    if not found:
        raise AudifiError("dbt is not installed: run `make install` (it installs dbt-postgres)")
    return found


def check_ready(cluster: Cluster) -> None:
    """Refuse to build on a database that is down, unmigrated or behind the primary."""
    target = cluster.analytics
    with target.connect():
        pass  # a server that is down is a one-line AudifiError
    head = head_revision()
    if current_revision(target) != head:
        raise AudifiError(
            f"the {target.role} is not migrated to {head}: run `audifi up` (or `audifi migrate`)"
        )
    status = replication.replication_status(cluster)
    if status is None:
        return  # single-server mode: dbt reads the primary itself
    if status.subscription is None:
        raise AudifiError("the replica has no subscription yet: run `audifi up`")
    if status.tables_ready < status.tables_total:
        raise AudifiError(
            f"the replica is still copying tables ({status.tables_ready}/{status.tables_total} "
            "ready): run `audifi replica wait`, then build again"
        )
    if status.lag_bytes:
        raise AudifiError(
            f"the replica is {status.lag_bytes:,} bytes of WAL behind the primary: run "
            "`audifi replica wait`, then build again"
        )


def run_dbt(
    cluster: Cluster,
    args: list[str],
    *,
    target_path: Path | None = None,
    capture: bool = False,
) -> subprocess.CompletedProcess:
    """Run `dbt ARGS` on the analytics project; its own output says what failed."""
    env = {**os.environ, **dbt_env(cluster)}
    if target_path is not None:  # keeps parallel runs (tests, benchmarks) apart
        env["DBT_TARGET_PATH"] = str(target_path)
        env["DBT_LOG_PATH"] = str(target_path / "logs")
    cmd = [dbt_executable(), *args, "--project-dir", str(PROJECT_DIR)]
    return subprocess.run(cmd, env=env, capture_output=capture, text=True, check=False)
