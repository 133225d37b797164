"""The installed distribution claims only the project's own import names."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from audifi.settings import REPO_ROOT


def test_the_wheel_does_not_claim_generic_top_level_names(tmp_path):
    # Built from a copy: an in-tree build would leave build/ and *.egg-info in the checkout.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, source / name)
    for name in ("audifi", "oltp", "migrations", "tests"):
        shutil.copytree(
            REPO_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = wheels.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        top = {name.split("/", 1)[0] for name in zf.namelist()}
    packages = {name for name in top if not name.endswith(".dist-info")}
    assert "migrations" not in packages
    assert "tests" not in packages and "audifi" in packages


def test_migrations_load_by_path_from_any_folder(cluster, tmp_path):
    """Alembic finds `migrations` through alembic.ini's folder, not through the installation."""
    probe = subprocess.run(
        [sys.executable, "-c", "import migrations"], cwd=tmp_path, capture_output=True, text=True
    )
    assert probe.returncode != 0  # not installed as a top-level package
    result = subprocess.run(
        [sys.executable, "-m", "audifi.cli", "migrate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "already at head" in result.stdout
