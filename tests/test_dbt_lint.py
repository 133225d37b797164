"""The dbt project's own lint: it parses, keeps its conventions (dbt-bouncer) and its SQL
style (sqlfluff with the dbt templater).  Both tools live in .venv-lint (`make lint-env`):
sqlfluff pins a click that dbt-core's does not accept."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from audifi.dbt import PROJECT_DIR, dbt_env, dbt_executable
from audifi.settings import REPO_ROOT

LINT_BIN = REPO_ROOT / ".venv-lint" / "bin"


def _lint_tool(name: str) -> str:
    tool = LINT_BIN / name
    if not tool.exists():
        pytest.fail(f"{tool} is missing: run `make lint-env` (make test does it for you)")
    return str(tool)


def _run(cmd: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=False)


def test_dbt_parses_and_keeps_its_conventions(tmp_path):
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR)}
    env["DBT_TARGET_PATH"] = str(tmp_path / "target")
    parsed = _run([dbt_executable(), "parse", "--project-dir", str(PROJECT_DIR)], env, tmp_path)
    assert parsed.returncode == 0, parsed.stdout[-4000:]
    assert (tmp_path / "target" / "manifest.json").exists()
    bouncer = _run(
        [_lint_tool("dbt-bouncer"), "run", "--config-file", str(PROJECT_DIR / "dbt-bouncer.yml")],
        {**env, "DBT_PROJECT_DIR": str(tmp_path), "NO_COLOR": "1"},
        tmp_path,
    )
    assert bouncer.returncode == 0, bouncer.stdout[-6000:] + bouncer.stderr[-2000:]
    assert "ERROR=0" in bouncer.stdout + bouncer.stderr


def test_models_pass_sqlfluff_with_the_dbt_templater(warehouse, tmp_path):
    # The dbt templater compiles every model, and is_incremental() asks the database.
    env = {**os.environ, **dbt_env(warehouse.cluster), "DBT_TARGET_PATH": str(tmp_path)}
    linted = _run([_lint_tool("sqlfluff"), "lint", "models"], env, PROJECT_DIR)
    report = linted.stdout + linted.stderr
    assert linted.returncode == 0, report[-8000:]
    assert "All Finished" in report, report[-4000:]
