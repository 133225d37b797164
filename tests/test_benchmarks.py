"""Each benchmark starts as its docstring says (`python benchmarks/NAME.py`, from the root).

Its `--help` imports everything the benchmark uses, so a benchmark that reaches into
`tests/` (not installed, not on the path of a script run this way) fails here.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from audifi.settings import REPO_ROOT

BENCHMARKS = sorted((REPO_ROOT / "benchmarks").glob("*.py"))


def test_there_are_benchmarks():
    assert len(BENCHMARKS) >= 2


@pytest.mark.parametrize("script", BENCHMARKS, ids=[b.stem for b in BENCHMARKS])
def test_benchmark_help_runs(script):
    result = subprocess.run(
        [sys.executable, str(script.relative_to(REPO_ROOT)), "--help"],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin"},  # nothing inherited: no PYTHONPATH into tests/
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
