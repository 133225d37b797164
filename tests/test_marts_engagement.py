"""Engagement marts recomputed from the OLTP tables on the PRIMARY with independent SQL.

Each test reads one mart on the replica and compares it, whole table and every column, with a
recomputation written here from the primary's raw tables (correlated subqueries and
generate_series instead of the models' pre-aggregated joins and spines).  It runs on `tiny`
and on `tiny` + 2 appended days built incrementally.  Only replicated columns are used.

The last test is governance F3: raw engagement events are purged on the primary after 90
days, and fct_vstudio_engagement_daily keeps the purged days' figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import psycopg
import yaml

from audifi.replication import wait_for_replica
from tests.conftest import Warehouse, built_warehouse, dbt_selection

PROJECT = Path(__file__).resolve().parents[1] / "analytics" / "dbt_project.yml"
STREAM_MIN_MS = int(yaml.safe_load(PROJECT.read_text())["vars"]["stream_min_ms_played"])

SESSIONS = """
SELECT s.id AS session_id, s.master_id, s.artist_id, s.title,
       (SELECT m.title FROM oltp.masters m WHERE m.id = s.master_id) AS master_title,
       (SELECT a.artist_name FROM oltp.artists a WHERE a.id = s.artist_id) AS artist_name,
       s.session_type, s.status::text AS status, s.is_public, s.allow_anonymous,
       (SELECT count(*) FROM oltp.vstudio_participants p WHERE p.vstudio_session_id = s.id)
           AS participants,
       (SELECT count(*) FROM oltp.vstudio_votes v WHERE v.vstudio_session_id = s.id) AS votes,
       (SELECT count(*) FROM oltp.vstudio_decision_points d WHERE d.vstudio_session_id = s.id)
           AS decision_points,
       (SELECT count(*) FROM oltp.vstudio_chat_messages c WHERE c.vstudio_session_id = s.id)
           AS chat_messages,
       (SELECT round(avg(p.total_time_seconds), 10) FROM oltp.vstudio_participants p
         WHERE p.vstudio_session_id = s.id) AS avg_time_per_participant_seconds,
       s.participant_count, s.total_votes, s.peak_concurrent_viewers, s.max_participants,
       s.participant_count = (SELECT count(*) FROM oltp.vstudio_participants p
                               WHERE p.vstudio_session_id = s.id)
         AND s.total_votes = (SELECT count(*) FROM oltp.vstudio_votes v
                               WHERE v.vstudio_session_id = s.id) AS cached_counters_match,
       s.scheduled_start_at, s.scheduled_end_at, s.actual_start_at, s.actual_end_at, s.created_at
FROM oltp.vstudio_sessions s
"""

FUNNEL = """
WITH f AS (
    SELECT s.id AS session_id, s.master_id, s.artist_id,
           (SELECT count(DISTINCT e.user_id) FROM oltp.vstudio_engagement_events e
             WHERE e.vstudio_session_id = s.id AND e.event_type = 'session_view') AS viewers,
           (SELECT count(DISTINCT e.user_id) FROM oltp.vstudio_engagement_events e
             WHERE e.vstudio_session_id = s.id AND e.event_type = 'session_join') AS joiners,
           (SELECT count(DISTINCT e.user_id) FROM oltp.vstudio_engagement_events e
             WHERE e.vstudio_session_id = s.id AND e.event_type = 'vote_cast') AS voters,
           (SELECT count(*) FROM oltp.vstudio_engagement_events e
             WHERE e.vstudio_session_id = s.id AND e.event_type = 'session_view'
               AND e.user_id IS NULL) AS anonymous_views,
           (SELECT count(*) FROM oltp.vstudio_engagement_events e
             WHERE e.vstudio_session_id = s.id AND e.event_type = 'session_view') AS view_events
    FROM oltp.vstudio_sessions s
)
SELECT f.*,
       CASE WHEN viewers > 0 THEN round(joiners * 100.0 / viewers, 10) END AS join_rate_pct,
       CASE WHEN joiners > 0 THEN round(voters * 100.0 / joiners, 10) END AS vote_rate_pct
FROM f
"""

ENGAGEMENT_DAILY = """
SELECT (created_at AT TIME ZONE 'UTC')::date AS event_date, vstudio_session_id AS session_id,
       event_type::text AS event_type, count(*) AS events, count(DISTINCT user_id) AS users,
       count(*) FILTER (WHERE user_id IS NULL) AS anonymous_events,
       min(created_at) AS first_event_at, max(created_at) AS last_event_at
FROM oltp.vstudio_engagement_events
GROUP BY 1, 2, 3
"""

# A signed-in user's activity days: a stream, a vote, a chat message or a follow (marts.md).
ACTIVITY = """
activity AS (
    SELECT user_id, (started_at AT TIME ZONE 'UTC')::date AS day FROM oltp.play_events
     WHERE ms_played >= %(stream_min_ms)s AND user_id IS NOT NULL
    UNION
    SELECT user_id, (created_at AT TIME ZONE 'UTC')::date FROM oltp.vstudio_votes
     WHERE user_id IS NOT NULL
    UNION
    SELECT user_id, (created_at AT TIME ZONE 'UTC')::date FROM oltp.vstudio_chat_messages
     WHERE user_id IS NOT NULL
    UNION
    SELECT follower_id, (created_at AT TIME ZONE 'UTC')::date FROM oltp.artist_follows
)
"""

ACTIVE_USERS = f"""
WITH {ACTIVITY},
days AS (
    SELECT generate_series(min(day), max(day), interval '1 day')::date AS day FROM activity
)
SELECT day AS activity_date,
       (SELECT count(DISTINCT user_id) FROM activity a WHERE a.day = d.day) AS dau,
       (SELECT count(DISTINCT user_id) FROM activity a
         WHERE a.day BETWEEN d.day - 6 AND d.day) AS wau,
       (SELECT count(DISTINCT user_id) FROM activity a
         WHERE a.day BETWEEN d.day - 29 AND d.day) AS mau
FROM days d
"""

SIGNUP_COHORTS = f"""
WITH {ACTIVITY},
users AS (
    SELECT id AS user_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS cohort
    FROM oltp.users
),
months AS (
    SELECT DISTINCT user_id, date_trunc('month', day)::date AS month FROM activity
),
last AS (
    SELECT greatest((SELECT max(month) FROM months), (SELECT max(cohort) FROM users)) AS month
),
grid AS (
    SELECT c.cohort, k AS months_since_signup, c.size
    FROM (SELECT cohort, count(*) AS size FROM users GROUP BY cohort) c, last,
         generate_series(0, (extract(year FROM last.month) - extract(year FROM c.cohort)) * 12
                            + extract(month FROM last.month) - extract(month FROM c.cohort)) k
)
SELECT g.cohort AS cohort_month, g.months_since_signup::int AS months_since_signup,
       g.size AS cohort_size, a.active AS active_users,
       round(a.active * 100.0 / g.size, 10) AS retention_pct
FROM grid g
CROSS JOIN LATERAL (
    SELECT count(DISTINCT u.user_id) AS active FROM users u JOIN months m USING (user_id)
    WHERE u.cohort = g.cohort
      AND m.month = (g.cohort + make_interval(months => g.months_since_signup::int))::date
) a
"""


def _primary(warehouse: Warehouse, sql: str) -> tuple[list[str], list[tuple]]:
    with psycopg.connect(warehouse.primary_dsn) as conn:
        cur = conn.execute(sql, {"stream_min_ms": STREAM_MIN_MS})
        return [c.name for c in cur.description], cur.fetchall()


def _mart(warehouse: Warehouse, mart: str, columns: Sequence[str]) -> list[tuple]:
    with psycopg.connect(warehouse.replica_dsn()) as conn:
        built = {
            name
            for (name,) in conn.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'marts' AND table_name = %s",
                (mart,),
            )
        }
        assert built == set(columns), f"marts.{mart} columns differ: {built ^ set(columns)}"
        return conn.execute(f"SELECT {', '.join(columns)} FROM marts.{mart}").fetchall()


def _sort_key(row: tuple) -> tuple:
    return tuple((v is None, str(v)) for v in row)


def _assert_equal(mart: str, expected: list[tuple], actual: list[tuple]) -> None:
    assert expected, f"the recomputation of {mart} is empty: nothing would be compared"
    missing = sorted(set(expected) - set(actual), key=_sort_key)[:5]
    extra = sorted(set(actual) - set(expected), key=_sort_key)[:5]
    assert sorted(actual, key=_sort_key) == sorted(expected, key=_sort_key), (
        f"marts.{mart}: {len(actual)} rows, {len(expected)} expected; "
        f"missing e.g. {missing}; unexpected e.g. {extra}"
    )


def _check(warehouse: Warehouse, mart: str, sql: str) -> list[tuple]:
    columns, expected = _primary(warehouse, sql)
    _assert_equal(mart, expected, _mart(warehouse, mart, columns))
    return expected


def test_vstudio_sessions_match_the_primary(any_warehouse):
    rows = _check(any_warehouse, "fct_vstudio_sessions", SESSIONS)
    assert any(r[10] > 0 and r[11] > 0 for r in rows)  # sessions with participants and votes


def test_vstudio_funnel_matches_the_primary(any_warehouse):
    rows = _check(any_warehouse, "fct_vstudio_funnel", FUNNEL)
    assert any(r[6] > 0 for r in rows)  # anonymous views exist in the data


def test_vstudio_engagement_daily_matches_the_primary(any_warehouse):
    _check(any_warehouse, "fct_vstudio_engagement_daily", ENGAGEMENT_DAILY)


def test_active_users_daily_match_the_primary(any_warehouse):
    rows = _check(any_warehouse, "fct_active_users_daily", ACTIVE_USERS)
    assert all(dau <= wau <= mau for _, dau, wau, mau in rows)


def test_signup_cohorts_match_the_primary(any_warehouse):
    rows = _check(any_warehouse, "fct_signup_cohorts", SIGNUP_COHORTS)
    assert any(r[3] > 0 for r in rows)


def _daily(warehouse: Warehouse) -> dict[tuple, tuple]:
    with psycopg.connect(warehouse.replica_dsn()) as conn:
        return {
            row[:3]: row[3:]
            for row in conn.execute("SELECT * FROM marts.fct_vstudio_engagement_daily")
        }


def test_engagement_daily_keeps_days_whose_raw_events_were_purged(test_env):
    """F3: build, purge old raw events on the primary (as the retention job does after 90
    days; here the days before tiny's last 10), build again, and also try an accidental
    `--full-refresh`: the purged days keep their figures, the rest follows the primary."""
    with built_warehouse() as warehouse:
        before = _daily(warehouse)
        with psycopg.connect(warehouse.primary_dsn, autocommit=True) as conn:
            (newest,) = conn.execute(
                "SELECT max((created_at AT TIME ZONE 'UTC')::date) "
                "FROM oltp.vstudio_engagement_events"
            ).fetchone()
            cutoff = newest - dt.timedelta(days=10)
            purged = conn.execute(
                "DELETE FROM oltp.vstudio_engagement_events "
                "WHERE created_at < (%s::date)::timestamp AT TIME ZONE 'UTC'",
                (cutoff,),
            ).rowcount
        assert purged > 0
        old = {key: value for key, value in before.items() if key[0] < cutoff}
        assert old and len(old) < len(before)
        wait_for_replica(warehouse.cluster, timeout=120)

        warehouse.dbt("build", *dbt_selection())
        warehouse.dbt("run", "--full-refresh", "--select", "int_engagement__events+")
        after = _daily(warehouse)
        assert {k: v for k, v in after.items() if k[0] < cutoff} == old

        # the detail is really gone: the full refresh of the event model lost those days ...
        with psycopg.connect(warehouse.replica_dsn()) as conn:
            (left,) = conn.execute(
                "SELECT count(*) FROM intermediate.int_engagement__events WHERE event_date < %s",
                (cutoff,),
            ).fetchone()
        assert left == 0
        # ... and the days the primary still holds equal their recomputation there
        _, expected = _primary(warehouse, ENGAGEMENT_DAILY)
        _assert_equal(
            "fct_vstudio_engagement_daily (days still on the primary)",
            [row for row in expected if row[0] >= cutoff],
            [key + value for key, value in after.items() if key[0] >= cutoff],
        )
