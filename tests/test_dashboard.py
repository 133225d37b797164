"""The Streamlit dashboard on `tiny`: Streamlit's AppTest per page, then a real headless
Chromium (Debian's `chromium`, driven by Playwright) against `audifi dashboard`.

The figures each page shows are compared with the named queries (themselves checked against
the OLTP tables in test_queries.py) and, where a page has a plain count, with the primary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from audifi import db, queries
from audifi.dashboard import selectors
from audifi.pgserver import free_port

APP = Path(__file__).resolve().parents[1] / "audifi" / "dashboard" / "app.py"
AUDIFI = Path(sys.executable).with_name("audifi")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ANALYST_PAGES = ["artist", "portfolio", "marketplace", "vstudio", "streaming"]


@pytest.fixture(autouse=True)
def on_warehouse(warehouse, monkeypatch):
    for key, value in warehouse.env.items():
        monkeypatch.setenv(key, value)
    st.cache_data.clear()
    yield
    db.close_pools()


def count_on_primary(warehouse, sql: str) -> int:
    with psycopg.connect(warehouse.primary_dsn) as conn:
        return conn.execute(sql).fetchone()[0]


def expected_metrics(page: str) -> dict[str, str]:
    """What each page's headline shows for its default selection, from the named queries."""
    if page == "artist":
        artist = selectors.artists()["artist_id"].iloc[0]
        head = queries.artist_dashboard(artist).iloc[0]
        return {
            "Masters": f"{head['artist_masters']:,}",
            "IPOs": f"{head['artist_ipos']:,}",
            "NFTs minted": f"{head['artist_nfts_minted']:,}",
            "Streams (28 days)": f"{head['artist_streams_28d']:,}",
            "V Studio sessions": f"{head['artist_vstudio_sessions']:,}",
        }
    if page == "portfolio":
        wallet = selectors.wallets()["wallet_address"].iloc[0]
        frame = queries.portfolio(wallet)
        holdings = frame.drop_duplicates(["master_id", "chain_id"])
        return {
            "NFTs held": f"{holdings['nfts_held'].sum():,}",
            "Masters": f"{holdings['master_id'].nunique():,}",
        }
    if page == "marketplace":
        return {"Listings on this page": f"{len(queries.marketplace()):,}"}
    if page == "vstudio":
        session = selectors.sessions()["session_id"].iloc[0]
        frame = queries.vstudio_live(session)
        points = frame.drop_duplicates("decision_point_id")
        return {
            "Participants": f"{frame['participants'].iloc[0]:,}",
            "Decision points": f"{len(points):,}",
            "Votes": f"{points['votes'].sum():,}",
        }
    if page == "streaming":
        master = selectors.streamed_masters()["master_id"].iloc[0]
        last = queries.streams_trend(master, days=90).iloc[-1]
        return {
            "Streams on the last day": f"{last['streams']:,}",
            "Streams (7 days)": f"{last['streams_7d']:,}",
            "Streams (28 days)": f"{last['streams_28d']:,}",
        }
    if page == "finance":
        mrr = queries.mrr_monthly(12)
        latest = mrr[mrr["invoice_month"] == mrr["invoice_month"].max()]
        return {
            f"MRR {r['currency'].upper()}": f"{float(r['mrr']):,.2f}" for _, r in latest.iterrows()
        }
    raise AssertionError(page)


def app_test(page: str, role: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("AUDIFI_DASHBOARD_ROLE", role)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["page"] = page
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


# -- AppTest ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [*ANALYST_PAGES, "finance"])
def test_apptest_page_shows_the_queries_figures(page, monkeypatch):
    at = app_test(page, "finance" if page == "finance" else "analyst", monkeypatch)
    shown = {m.label: m.value for m in at.metric}
    expected = expected_metrics(page)
    assert {k: shown.get(k) for k in expected} == expected
    assert at.dataframe, "every page has a table"


def test_apptest_finance_page_is_absent_for_the_analyst(monkeypatch):
    at = app_test("finance", "analyst", monkeypatch)
    assert "finance" not in at.sidebar.radio[0].options
    assert at.header[0].value == "Artist"  # an unknown page falls back to the first


def test_apptest_selectors_come_from_the_marts_and_change_the_page(warehouse, monkeypatch):
    at = app_test("artist", "analyst", monkeypatch)
    box = at.selectbox(key="artist")
    artists = selectors.artists()
    assert box.options == [
        f"{r['artist_name']} ({r['masters']} masters)" for _, r in artists.iterrows()
    ]
    assert len(box.options) == count_on_primary(
        warehouse, "select count(distinct artist_id) from oltp.masters"
    )
    other = artists.iloc[1]
    box.set_value(str(other["artist_id"])).run()
    head = queries.artist_dashboard(other["artist_id"]).iloc[0]
    assert {m.label: m.value for m in at.metric}["Masters"] == f"{head['artist_masters']:,}"


def test_apptest_marketplace_pages(warehouse, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 4)
    listed = count_on_primary(
        warehouse, "select count(*) from oltp.master_nfts where listing_status = 'listed'"
    )
    assert listed > 4
    at = app_test("marketplace", "analyst", monkeypatch)
    assert at.metric[0].value == "4"
    assert at.number_input(key="market_page").max == -(-listed // 4)
    at.number_input(key="market_page").set_value(2).run()
    assert at.metric[0].value == str(min(4, listed - 4))
    assert len(at.dataframe[0].value) == min(4, listed - 4)


# -- a real browser -----------------------------------------------------------------------------


def chromium() -> str:
    """Debian's chromium; `make test` installs it (apt-get) when it is missing."""
    found = os.environ.get("AUDIFI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        pytest.fail(
            "Chromium is not installed: run `sudo apt-get install chromium` (Debian/Ubuntu), "
            "or `make test` as root (it installs it), or set AUDIFI_CHROMIUM to a Chromium binary"
        )
    return found


@pytest.fixture(scope="module")
def dashboard_url(warehouse):
    """`audifi dashboard --role finance` on a free port, stopped at the end."""
    port = free_port()
    env = {**os.environ, **warehouse.env}
    proc = subprocess.Popen(
        [str(AUDIFI), "dashboard", "--port", str(port), "--role", "finance"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # so its streamlit child is stopped with it
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the dashboard did not start:\n{proc.stdout.read()}")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(dashboard_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chrome = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS, headless=True)
        yield chrome
        chrome.close()


@pytest.mark.parametrize("page", [*ANALYST_PAGES, "finance"])
def test_chromium_renders_each_page(page, dashboard_url, browser, tmp_path):
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    hosts: set[str] = set()
    tab.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    tab.goto(f"{dashboard_url}/?page={page}")
    tab.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
    tab.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
    tab.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    shown = {}
    for text in tab.locator('[data-testid="stMetric"]').all_inner_texts():
        label, _, value = text.partition("\n")
        shown[label.strip()] = value.strip()
    expected = expected_metrics(page)
    assert {k: shown.get(k) for k in expected} == expected
    if page != "marketplace":  # the others draw charts
        assert tab.locator('[data-testid="stVegaLiteChart"]').count() >= 1
    shot = tmp_path / f"dashboard-{page}.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
    assert hosts == {dashboard_url.split("/")[2]}, f"requests outside the dashboard: {hosts}"
    tab.close()


@pytest.mark.parametrize("args", [["--role", "admin"], ["--port", "80"], ["--role", "'; --"]])
def test_dashboard_command_refuses_bad_input_with_one_line(args):
    result = subprocess.run(
        [str(AUDIFI), "dashboard", *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr


def test_dashboard_command_port_must_be_a_number():
    result = subprocess.run(
        [str(AUDIFI), "dashboard", "--port", "x"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr  # Typer's usage error


def test_dashboard_command_refuses_a_taken_port():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [str(AUDIFI), "dashboard", "--port", str(port)], capture_output=True, text=True
        )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: port {port} on 127.0.0.1 is in use: choose another with --port"
    )
