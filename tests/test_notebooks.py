"""The analysts' notebooks (notebooks/*.ipynb) run top to bottom on `tiny` with nbclient.

Each must connect through the project's configuration (no URL or password in the notebook),
draw its plots and print its finding.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["revenue_overview", "dividend_audit", "streaming_trends", "vstudio_engagement"]


def test_the_four_analyses_are_there():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_holds_no_secret_and_is_stored_without_outputs(name):
    text = (NOTEBOOKS / f"{name}.ipynb").read_text()
    for needle in ("postgresql://", "password", "audifi_analyst", "audifi_finance", "5432"):
        assert needle not in text.lower(), needle
    book = json.loads(text)
    assert all(not c.get("outputs") for c in book["cells"] if c["cell_type"] == "code")


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(name, warehouse, monkeypatch, tmp_path):
    for key, value in warehouse.env.items():  # the kernel inherits the project configuration
        monkeypatch.setenv(key, value)
    book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    NotebookClient(
        book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()  # raises CellExecutionError with the failing cell on any error
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    plots = [o for o in outputs if "image/png" in o.get("data", {})]
    findings = [o["data"]["text/markdown"] for o in outputs if "text/markdown" in o.get("data", {})]
    assert plots, "the notebook draws its plots"
    assert len(findings) == 1 and len(findings[0]) > 40, findings
    assert "nan" not in findings[0].lower().split(), findings[0]
    nbformat.write(book, tmp_path / f"{name}.ipynb")  # the executed copy, for inspection
