"""The streaming marts equal an independent recount from the OLTP tables on the primary.

Each test recomputes a whole mart with its own SQL (marts.md's definitions, written afresh:
FILTER clauses, generate_series and range joins instead of the models' spine and window
frames) on the primary and compares every row with the mart on the replica, on `tiny` and
on `tiny` + 2 appended days built incrementally (`any_warehouse`).  Counts are exact, USD is
exact (sums of numeric(28,8) lose nothing, so equal to the cent and beyond).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml

PROJECT_VARS = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "analytics" / "dbt_project.yml").read_text()
)["vars"]
STREAM_MIN_MS = int(PROJECT_VARS["stream_min_ms_played"])
TOP_PER_WEEK = int(PROJECT_VARS["top_masters_per_week"])
UNKNOWN_COUNTRY = "ZZ"  # marts.md: a play with no country has country_code 'ZZ'

Rows = list[tuple[Any, ...]]

# Own plays and DSP lines per (UTC day, master, platform, country); sorted like the mart query.
STREAMS_DAILY_SQL = """
SELECT (started_at AT TIME ZONE 'UTC')::date, master_id, 'audifi',
       coalesce(country_code, %(unknown)s),
       count(*) FILTER (WHERE ms_played >= %(min_ms)s),
       count(*),
       count(DISTINCT coalesce(user_id::text, anonymous_id)) FILTER (WHERE ms_played >= %(min_ms)s),
       sum(ms_played),
       NULL::numeric
FROM oltp.play_events
GROUP BY 1, 2, 3, 4
UNION ALL
SELECT report_date, master_id, platform::text, country_code,
       sum(stream_count), NULL, sum(listener_count), NULL, sum(royalty_amount_usd)
FROM oltp.dsp_stream_reports
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4
"""

# Streams per master and day, all platforms (days with any row, streams or not).
DAILY_TOTALS_CTE = """
WITH daily AS (
    SELECT (started_at AT TIME ZONE 'UTC')::date AS d, master_id,
           count(*) FILTER (WHERE ms_played >= %(min_ms)s) AS streams
    FROM oltp.play_events GROUP BY 1, 2
    UNION ALL
    SELECT report_date, master_id, sum(stream_count) FROM oltp.dsp_stream_reports GROUP BY 1, 2
),
totals AS (SELECT d, master_id, sum(streams) AS streams FROM daily GROUP BY 1, 2)
"""

# Every day from each master's first stream to the data's last day; windows by date ranges.
ROLLING_SQL = (
    DAILY_TOTALS_CTE
    + """,
last_day AS (SELECT max(d) AS d FROM totals),
days AS (
    SELECT f.master_id, g.d::date AS d
    FROM (SELECT master_id, min(d) AS first_d FROM totals WHERE streams > 0 GROUP BY 1) f
    CROSS JOIN last_day
    CROSS JOIN LATERAL generate_series(f.first_d, last_day.d, interval '1 day') AS g(d)
)
SELECT days.d, days.master_id,
       coalesce(sum(t.streams) FILTER (WHERE t.d = days.d), 0),
       coalesce(sum(t.streams) FILTER (WHERE t.d > days.d - 7), 0),
       coalesce(sum(t.streams), 0),
       coalesce(sum(t.streams) FILTER (WHERE t.d BETWEEN days.d - 13 AND days.d - 7), 0)
FROM days
LEFT JOIN totals t ON t.master_id = days.master_id AND t.d BETWEEN days.d - 27 AND days.d
GROUP BY 1, 2
ORDER BY 1, 2
"""
)

TOP_WEEKLY_SQL = (
    DAILY_TOTALS_CTE
    + """,
weeks AS (
    SELECT date_trunc('week', d)::date AS week_start, master_id, sum(streams) AS streams
    FROM totals GROUP BY 1, 2 HAVING sum(streams) > 0
),
ranked AS (
    SELECT week_start, rank() OVER (PARTITION BY week_start
                                    ORDER BY streams DESC, master_id) AS r, master_id, streams
    FROM weeks
)
SELECT week_start, r, master_id, streams FROM ranked WHERE r <= %(top)s ORDER BY 1, 2
"""
)

# The day's platform/country mix over all masters, with each slice's share of the day.
MIX_SQL = """
WITH slices AS (
    SELECT (started_at AT TIME ZONE 'UTC')::date AS d, 'audifi' AS platform,
           coalesce(country_code, %(unknown)s) AS country,
           count(DISTINCT master_id) FILTER (WHERE ms_played >= %(min_ms)s) AS masters,
           count(*) FILTER (WHERE ms_played >= %(min_ms)s) AS streams,
           count(*) AS plays, sum(ms_played) AS ms, NULL::numeric AS royalty
    FROM oltp.play_events GROUP BY 1, 2, 3
    UNION ALL
    SELECT report_date, platform::text, country_code,
           count(DISTINCT master_id) FILTER (WHERE stream_count > 0), sum(stream_count),
           NULL, NULL, sum(royalty_amount_usd)
    FROM oltp.dsp_stream_reports GROUP BY 1, 2, 3
)
SELECT d, platform, country, masters, streams, plays, ms, royalty,
       sum(streams) OVER (PARTITION BY d)
FROM slices
ORDER BY 1, 2, 3
"""

PARAMS = {"min_ms": STREAM_MIN_MS, "unknown": UNKNOWN_COUNTRY, "top": TOP_PER_WEEK}


def _primary(warehouse, sql: str) -> Rows:
    with psycopg.connect(warehouse.primary_dsn) as conn:
        return [tuple(r) for r in conn.execute(sql, PARAMS).fetchall()]


def _mart(warehouse, columns: str, table: str, order: str) -> Rows:
    with psycopg.connect(warehouse.replica_dsn("analyst")) as conn:
        sql = f"SELECT {columns} FROM marts.{table} ORDER BY {order}"
        return [tuple(r) for r in conn.execute(sql).fetchall()]


def _percent(part: int, whole: int) -> Decimal | None:
    """part ÷ whole × 100, exact, then the marts' 10 places; null when whole is 0."""
    if whole == 0:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    return exact.quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP)


def _growth(streams_7d: int, previous_7d: int) -> Decimal | None:
    """marts.md: growth vs the 7 days before, null when those had 0."""
    return _percent(streams_7d - previous_7d, previous_7d)


def _assert_same(mart: Rows, expected: Rows, what: str) -> None:
    assert len(mart) == len(expected), f"{what}: {len(mart)} rows, recount has {len(expected)}"
    for got, want in zip(mart, expected, strict=True):
        assert got == want, f"{what}: mart row {got} != recount {want}"


def test_fct_streams_daily_equals_a_recount_of_plays_and_statement_lines(any_warehouse):
    expected = _primary(any_warehouse, STREAMS_DAILY_SQL)
    mart = _mart(
        any_warehouse,
        "stream_date, master_id, platform, country_code, streams, plays, listeners, "
        "ms_played, royalty_usd",
        "fct_streams_daily",
        "stream_date, master_id, platform, country_code",
    )
    assert {r[2] for r in expected} >= {"audifi"} and len({r[2] for r in expected}) > 1
    _assert_same(mart, expected, "fct_streams_daily")


def test_fct_streams_daily_totals_match_the_sources(any_warehouse):
    """Coarse cross-check: Σ streams and Σ royalty_usd per platform, straight from the sources."""
    with psycopg.connect(any_warehouse.primary_dsn) as conn:
        own = conn.execute(
            "SELECT count(*) FILTER (WHERE ms_played >= %s), count(*) FROM oltp.play_events",
            (STREAM_MIN_MS,),
        ).fetchone()
        dsp = conn.execute(
            "SELECT sum(stream_count), sum(royalty_amount_usd) FROM oltp.dsp_stream_reports"
        ).fetchone()
    mart = _mart(
        any_warehouse,
        "platform = 'audifi', sum(streams), sum(plays), sum(royalty_usd)",
        "fct_streams_daily GROUP BY platform = 'audifi'",
        "1",
    )
    assert mart == [(False, dsp[0], None, dsp[1]), (True, own[0], own[1], None)]


def test_fct_master_streams_rolling_equals_a_recount_with_date_ranges(any_warehouse):
    expected = [(*row, _growth(row[3], row[5])) for row in _primary(any_warehouse, ROLLING_SQL)]
    mart = _mart(
        any_warehouse,
        "stream_date, master_id, streams, streams_7d, streams_28d, streams_prev_7d, growth_7d_pct",
        "fct_master_streams_rolling",
        "stream_date, master_id",
    )
    assert any(row[2] == 0 for row in expected), "no gap day: the data cannot test the spine"
    assert any(row[6] is None for row in expected) and any(row[6] for row in expected)
    _assert_same(mart, expected, "fct_master_streams_rolling")


def test_fct_top_masters_weekly_equals_a_recount_of_iso_weeks(any_warehouse):
    expected = _primary(any_warehouse, TOP_WEEKLY_SQL)
    mart = _mart(
        any_warehouse,
        "week_start, rank, master_id, streams",
        "fct_top_masters_weekly",
        "week_start, rank",
    )
    assert all(row[0].isoweekday() == 1 for row in mart), "a week does not start on Monday"
    _assert_same(mart, expected, "fct_top_masters_weekly")


def test_fct_streams_mix_daily_equals_a_recount_of_the_day_slices(any_warehouse):
    expected = [(*row[:8], _percent(row[4], row[8])) for row in _primary(any_warehouse, MIX_SQL)]
    mart = _mart(
        any_warehouse,
        "stream_date, platform, country_code, masters_streamed, streams, plays, ms_played, "
        "royalty_usd, share_of_day_streams_pct",
        "fct_streams_mix_daily",
        "stream_date, platform, country_code",
    )
    _assert_same(mart, expected, "fct_streams_mix_daily")


@pytest.mark.parametrize(
    ("table", "grain"),
    [
        ("fct_streams_daily", "stream_date, master_id, platform, country_code"),
        ("fct_master_streams_rolling", "stream_date, master_id"),
        ("fct_top_masters_weekly", "week_start, rank"),
        ("fct_streams_mix_daily", "stream_date, platform, country_code"),
    ],
)
def test_streaming_marts_are_unique_on_their_grain_and_readable_by_analysts(
    any_warehouse, table, grain
):
    rows = _mart(any_warehouse, f"count(*), count(DISTINCT ({grain}))", table, "1")
    assert rows[0][0] > 0 and rows[0][0] == rows[0][1]
