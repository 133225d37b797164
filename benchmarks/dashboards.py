"""Benchmark: latency of the named dashboard queries on the marts vs the same answer from OLTP.

Runs on the servers `audifi up` started (AUDIFI_HOME / AUDIFI_*_PORT as for any audifi
command); seeds `--scale` when the primary is empty and builds the marts when they are missing.
For each named query (audifi/queries.py) it draws random valid parameters from the marts
(seeded), warms up, then times `--runs` calls through the Python API (pool, SQL, DataFrame),
and times the same answer computed from the OLTP tables on the primary (`--oltp-runs` calls,
same parameters, built into the same kind of DataFrame) — the design's access path before the
warehouse.  Printed per query: p50 and
p95 of both, the design's latency target (analytics-notes.md §4) and the ratio OLTP p50 /
marts p50.

Judged by: marts p95 <= 10 ms for each query, and OLTP / marts >= 20x.

    .venv/bin/audifi up
    .venv/bin/python benchmarks/dashboards.py --scale large
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from audifi import db, queries
from audifi.cluster import Cluster, resolve_cluster
from audifi.dbt import run_dbt
from audifi.replication import wait_for_replica
from audifi.seed import SCALES, seed_database
from audifi.settings import load_settings

# analytics-notes.md §4 "Latency targets to monitor" (ms); the others have none.
DESIGN_TARGET_MS = {
    "artist_dashboard": 100,
    "marketplace": 200,
    "portfolio": 300,
    "vstudio_live": 50,
}
TARGET_P95_MS = 10.0
TARGET_RATIO = 20.0

LAST_DAY = """(select max(d) from (
    select max((started_at at time zone 'UTC')::date) as d from oltp.play_events
    union all select max(report_date) from oltp.dsp_stream_reports) days)"""

# The same answers from the OLTP tables (superuser on the primary).
OLTP_SQL: dict[str, str] = {
    "artist_dashboard": f"""
        with last as (select {LAST_DAY} as d)
        select m.id, m.title, m.status, i.total_supply, i.minted_supply,
            (select count(*) from oltp.master_nfts n where n.master_id = m.id) as nfts,
            (select count(distinct lower(n.current_owner_wallet)) from oltp.master_nfts n
             where n.master_id = m.id
               and lower(n.current_owner_wallet) <> '0x0000000000000000000000000000000000000000'),
            (select count(*) from oltp.nft_transfers t join oltp.master_nfts n
             on n.id = t.master_nft_id where n.master_id = m.id and t.transfer_type = 'sale'),
            (select count(*) from oltp.play_events p, last where p.master_id = m.id
             and p.ms_played >= 30000
             and p.started_at >= (last.d - 27)::timestamp at time zone 'UTC'
             and p.started_at < (last.d + 1)::timestamp at time zone 'UTC')
            + (select coalesce(sum(r.stream_count), 0) from oltp.dsp_stream_reports r, last
               where r.master_id = m.id and r.report_date > last.d - 28
               and r.report_date <= last.d) as streams_28d,
            (select count(*) from oltp.vstudio_sessions v where v.master_id = m.id),
            (select count(*) from oltp.vstudio_votes vv join oltp.vstudio_sessions v
             on v.id = vv.vstudio_session_id where v.master_id = m.id),
            (select string_agg(total || ' ' || currency, ', ') from (
                select e.currency, sum(e.total_amount) as total from oltp.dividend_events e
                join oltp.dividend_contracts c on c.id = e.dividend_contract_id
                where c.master_id = m.id and e.event_type = 'distribution'
                group by e.currency) x)
        from oltp.masters m left join oltp.master_ipos i on i.master_id = m.id
        where m.artist_id = %(artist_id)s
    """,
    "portfolio": """
        with h as (select master_id, chain_id, count(*) as held from oltp.master_nfts
                   where lower(current_owner_wallet) = %(wallet)s group by 1, 2),
        c as (select dividend_contract_id, master_id, chain_id, currency,
                     sum(amount_claimed) as claimed, count(*) as claims
              from oltp.dividend_claims where lower(wallet_address) = %(wallet)s
              group by 1, 2, 3, 4),
        d as (select b.master_id, b.chain_id, b.currency, sum(b.total_earned) as earned,
                     sum(coalesce(c.claimed, 0)) as claimed
              from oltp.wallet_dividend_balances b left join c
              on c.dividend_contract_id = b.dividend_contract_id and c.master_id = b.master_id
              and c.chain_id = b.chain_id and c.currency = b.currency
              where lower(b.wallet_address) = %(wallet)s group by 1, 2, 3)
        select coalesce(h.master_id, d.master_id), m.title, coalesce(h.chain_id, d.chain_id),
               coalesce(h.held, 0), d.currency, d.earned, d.claimed, d.earned - d.claimed
        from h full join d on d.master_id = h.master_id and d.chain_id = h.chain_id
        join oltp.masters m on m.id = coalesce(h.master_id, d.master_id)
    """,
    "marketplace": """
        select n.id, n.master_id, m.title, a.artist_name, m.genre, n.chain_id, n.token_id,
               n.listing_price_wei, n.listing_currency, n.listed_at
        from oltp.master_nfts n join oltp.masters m on m.id = n.master_id
        join oltp.artists a on a.id = m.artist_id
        where n.listing_status = 'listed'
          and (%(genre)s::text is null or m.genre = %(genre)s::text)
          and (%(chain_id)s::text is null or n.chain_id = %(chain_id)s::text)
        order by n.listed_at desc, n.id desc limit 20 offset (%(page)s - 1) * 20
    """,
    "vstudio_live": """
        select p.id, p.display_order, p.label,
               (select count(*) from oltp.vstudio_votes v where v.decision_point_id = p.id),
               o.option_selected, o.n,
               (select count(*) from oltp.vstudio_participants x
                where x.vstudio_session_id = p.vstudio_session_id)
        from oltp.vstudio_decision_points p
        left join (select decision_point_id, option_selected, count(*) as n
                   from oltp.vstudio_votes
                   where vstudio_session_id = %(session_id)s and option_selected is not null
                   group by 1, 2) o on o.decision_point_id = p.id
        where p.vstudio_session_id = %(session_id)s
    """,
    "top_masters": f"""
        with last as (select {LAST_DAY} as d),
        s as (
            select p.master_id, count(*) as n from oltp.play_events p, last
            where p.ms_played >= 30000
              and (%(platform)s::text is null or %(platform)s::text = 'audifi')
              and p.started_at >= (last.d - %(days)s + 1)::timestamp at time zone 'UTC'
              and p.started_at < (last.d + 1)::timestamp at time zone 'UTC'
            group by 1
            union all
            select r.master_id, sum(r.stream_count) from oltp.dsp_stream_reports r, last
            where (%(platform)s::text is null or r.platform::text = %(platform)s::text)
              and r.report_date > last.d - %(days)s and r.report_date <= last.d
            group by 1)
        select s.master_id, m.title, sum(n) as streams from s join oltp.masters m
        on m.id = s.master_id group by 1, 2 having sum(n) > 0
        order by streams desc, s.master_id limit %(limit)s
    """,
    "streams_trend": f"""
        with last as (select {LAST_DAY} as d),
        daily as (
            select (started_at at time zone 'UTC')::date as d, count(*) as n
            from oltp.play_events where master_id = %(master_id)s and ms_played >= 30000
            group by 1
            union all
            select report_date, sum(stream_count) from oltp.dsp_stream_reports
            where master_id = %(master_id)s group by 1),
        per_day as (select d, sum(n) as n from daily group by d),
        spine as (select generate_series((select min(d) from per_day), (select d from last),
                  interval '1 day')::date as d),
        filled as (select spine.d, coalesce(per_day.n, 0) as n from spine
                   left join per_day using (d)),
        rolling as (select d, n,
            sum(n) over (order by d rows between 6 preceding and current row) as s7,
            sum(n) over (order by d rows between 27 preceding and current row) as s28
            from filled)
        select * from rolling order by d desc limit %(days)s
    """,
    "revenue_monthly": """
        with last as (select max(date_trunc('month', coalesce(period_start, created_at)
                      at time zone 'UTC')) as m from oltp.revenue_events)
        select date_trunc('month', coalesce(r.period_start, r.created_at) at time zone 'UTC')
               as month, r.currency, count(*), sum(r.amount), sum(r.amount_usd)
        from oltp.revenue_events r join oltp.masters m on m.id = r.master_id, last
        where m.artist_id = %(artist_id)s
          and date_trunc('month', coalesce(r.period_start, r.created_at) at time zone 'UTC')
              > last.m - interval '12 months'
        group by 1, 2
    """,
}


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(call: Callable[[], Any], runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def parameter_sets(rng: random.Random, count: int) -> dict[str, list[dict[str, Any]]]:
    """Random valid parameters for each query, drawn from the marts."""

    def column(sql: str, role: db.Role = "analyst") -> list[Any]:
        frame = queries.run_sql(sql, {}, role=role)
        return list(frame.iloc[:, 0])

    artists = column("select distinct artist_id from marts.dim_masters")
    wallets = column("select distinct wallet_address from marts.fct_wallet_holdings")
    sessions = column("select session_id from marts.fct_vstudio_sessions")
    masters = column("select distinct master_id from marts.fct_master_streams_rolling")
    genres = [None, *column("select distinct genre from marts.fct_marketplace_listings")]
    chains = [None, *column("select distinct chain_id from marts.fct_marketplace_listings")]
    platforms = [None, *column("select distinct platform from marts.fct_streams_daily")]
    revenue_artists = column(
        "select distinct artist_id from marts_finance.fct_revenue_monthly", "finance"
    )
    listings = int(column("select count(*) from marts.fct_marketplace_listings")[0])
    pages = max(1, -(-listings // queries.PAGE_SIZE))

    def draw(make: Callable[[], dict[str, Any]]) -> list[dict[str, Any]]:
        return [make() for _ in range(count)]

    return {
        "artist_dashboard": draw(lambda: {"artist_id": rng.choice(artists)}),
        "portfolio": draw(lambda: {"wallet": rng.choice(wallets)}),
        "marketplace": draw(
            lambda: {
                "genre": rng.choice(genres),
                "chain_id": rng.choice(chains),
                "page": rng.randint(1, min(pages, 50)),
            }
        ),
        "vstudio_live": draw(lambda: {"session_id": rng.choice(sessions)}),
        "top_masters": draw(
            lambda: {
                "days": rng.choice([7, 28, 90]),
                "platform": rng.choice(platforms),
                "limit": 10,
            }
        ),
        "streams_trend": draw(lambda: {"master_id": rng.choice(masters), "days": 90}),
        "revenue_monthly": draw(lambda: {"artist_id": rng.choice(revenue_artists), "months": 12}),
        "mrr_monthly": draw(lambda: {"months": 12}),
    }


def server_times(name: str, param_sets: list[dict[str, Any]], runs: int) -> list[float]:
    """The database's own execution time (EXPLAIN ANALYZE) of the query's statement, in ms.

    Separates what PostgreSQL spends from Python, the pool and a busy machine's scheduling.
    """
    captured: list[tuple[str, dict[str, Any], db.Role]] = []
    real = queries.run_sql

    def capture(sql: str, params: Any, role: db.Role = "analyst") -> Any:
        captured.append((sql, dict(params), role))
        return real(sql, params, role)

    queries.run_sql = capture
    try:
        for params in param_sets[:runs]:
            queries.QUERIES[name].func(**params)
    finally:
        queries.run_sql = real
    out = []
    for sql, params, role in captured:
        with db.connection(role) as conn:
            out.append(explain_ms(conn, sql, params))
    return out


def explain_ms(conn: psycopg.Connection, sql: str, params: dict[str, Any]) -> float:
    """Planning + execution time PostgreSQL reports for one run of ``sql``."""
    plan = conn.execute("explain (analyze, timing off, format json) " + sql, params).fetchone()
    return float(plan[0][0]["Execution Time"]) + float(plan[0][0]["Planning Time"])


def oltp_frame(conn: psycopg.Connection, sql: str, params: dict[str, Any]) -> Any:
    """The OLTP answer as the same kind of DataFrame a named query returns: both sides of the
    ratio do the same client work, so it compares what the databases do."""
    with conn.cursor() as cur:
        cur.execute(sql, params, prepare=True)
        return queries.to_frame(cur.fetchall(), cur.description or [])


def ensure_data(cluster: Cluster, scale: str) -> None:
    url = cluster.primary.url.render_as_string(hide_password=False)
    with cluster.primary.connect() as conn:
        empty = conn.execute("select not exists (select 1 from oltp.users)").fetchone()[0]
    if empty:
        print(f"seeding {scale} …", flush=True)
        seed_database(url, scale, progress=False)
    wait_for_replica(cluster, timeout=3600)
    with cluster.analytics.connect() as conn:
        built = conn.execute("select to_regclass('marts.fct_wallet_holdings')").fetchone()[0]
    if not built:
        print("building the marts (dbt run) …", flush=True)
        with tempfile.TemporaryDirectory(prefix="audifi-bench-dash-") as tmp:
            result = run_dbt(cluster, ["run"], target_path=Path(tmp), capture=True)
        if result.returncode != 0:
            raise SystemExit(f"dbt run failed:\n{result.stdout[-4000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="large")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--oltp-runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    cluster = resolve_cluster(load_settings())
    ensure_data(cluster, args.scale)
    with cluster.primary.connect() as conn:
        plays = conn.execute("select count(*) from oltp.play_events").fetchone()[0]
    print(f"data: {plays:,} play_events; {args.runs} warm runs per query on the marts")
    params = parameter_sets(random.Random(42), args.runs + args.warmup)
    oltp = psycopg.connect(cluster.primary.libpq_dsn(), autocommit=True)
    print(f"load average of the machine: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    header = (
        f"{'query':18} {'marts p50':>10} {'p95':>8} {'server p50':>11} {'design':>7} "
        f"{'OLTP p50':>10} {'p95':>9} {'server p50':>11} {'OLTP/marts':>11} {'(server)':>10}"
        "  verdict"
    )
    print(header)
    print("-" * len(header))
    failures = []
    for name, query in queries.QUERIES.items():
        sets = iter(params[name])
        samples = timed(lambda q=query, s=sets: q.func(**next(s)), args.runs, args.warmup)
        p50, p95 = percentile(samples, 50), percentile(samples, 95)
        design = DESIGN_TARGET_MS.get(name)
        server = percentile(server_times(name, params[name], 20), 50)
        line = (
            f"{name:18} {p50:8.2f}ms {p95:6.2f}ms {server:9.2f}ms "
            f"{f'{design}ms' if design else '–':>7} "
        )
        ratio = None
        if name in OLTP_SQL:
            oltp_sets = iter(params[name])
            sql = OLTP_SQL[name]
            oltp_samples = timed(
                lambda s=oltp_sets, q=sql: oltp_frame(oltp, q, next(s)),
                args.oltp_runs,
                min(args.warmup, 3),
            )
            o50, o95 = percentile(oltp_samples, 50), percentile(oltp_samples, 95)
            oltp_server = percentile(
                [explain_ms(oltp, sql, p) for p in params[name][: args.oltp_runs]], 50
            )
            ratio = o50 / p50
            line += (
                f"{o50:8.1f}ms {o95:7.1f}ms {oltp_server:9.2f}ms {ratio:10.1f}x "
                f"{oltp_server / server:9.1f}x"
            )
        else:
            line += f"{'–':>10} {'–':>9} {'–':>11} {'–':>11} {'–':>10}"
        ok = p95 <= TARGET_P95_MS and (ratio is None or ratio >= TARGET_RATIO)
        if not ok:
            failures.append(name)
        print(f"{line}  {'ok' if ok else 'MISSED'}", flush=True)
    oltp.close()
    db.close_pools()
    print(
        f"targets: marts p95 <= {TARGET_P95_MS:.0f} ms and OLTP/marts p50 >= {TARGET_RATIO:.0f}x "
        "(client-side, as a dashboard sees it; 'server' columns: PostgreSQL's own time); "
        f"missed by: {', '.join(failures) or 'none'}"
    )


if __name__ == "__main__":
    main()
