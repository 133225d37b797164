"""The named dashboard queries (audifi/queries.py) on `tiny`, seed 42.

Every expected value is computed here from the OLTP tables on the PRIMARY with SQL of its own
(none of the marts' SQL), then compared with what the query returns from the marts on the
replica.  Hostile parameters are refused with one line or treated as data, and the databases
are checked unchanged afterwards.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import psycopg
import pytest

from audifi import db, queries
from audifi.errors import AudifiError

ZERO = "0x0000000000000000000000000000000000000000"
AUDIFI = Path(sys.executable).with_name("audifi")


@pytest.fixture(autouse=True)
def on_warehouse(warehouse, monkeypatch):
    """Point the pools at the shared tiny warehouse (other fixtures may move os.environ)."""
    for key, value in warehouse.env.items():
        monkeypatch.setenv(key, value)
    yield
    db.close_pools()


def oltp(warehouse, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows from the primary's OLTP tables, as dicts."""
    with psycopg.connect(warehouse.primary_dsn) as conn, conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
        cur.execute(sql, params or {})
        names = [c.name for c in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def one(warehouse, sql: str, params: dict[str, Any] | None = None) -> Any:
    return next(iter(oltp(warehouse, sql, params)[0].values()))


def plain(value: Any) -> Any:
    """Comparable value: missing → None, ids → str, numbers exact."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "item") and not isinstance(value, Decimal):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    return [{c: plain(row[c]) for c in columns} for row in frame.to_dict("records")]


def expected_records(rows: list[dict[str, Any]], columns: list[str]) -> list[dict[str, Any]]:
    return [{c: plain(row[c]) for c in columns} for row in rows]


# -- shared OLTP definitions (the spec's words, written independently of the models) -----

LAST_STREAM_DAY = """
    select max(d) from (
        select max((started_at at time zone 'UTC')::date) as d from oltp.play_events
        union all
        select max(report_date) from oltp.dsp_stream_reports
    ) days
"""

STREAMS_PER_MASTER_DAY = """
    select master_id, d, sum(n)::bigint as streams from (
        select master_id, (started_at at time zone 'UTC')::date as d, 1 as n, 'audifi' as platform
        from oltp.play_events where ms_played >= 30000
        union all
        select master_id, report_date, stream_count, platform::text
        from oltp.dsp_stream_reports
    ) s
    where (%(platform)s::text is null or platform = %(platform)s::text)
    group by master_id, d
"""


# -- artist_dashboard -----------------------------------------------------------------------


def test_artist_dashboard_matches_oltp(warehouse):
    artist_id = one(
        warehouse,
        """select m.artist_id from oltp.masters m
           join oltp.dividend_contracts c on c.master_id = m.id
           group by m.artist_id order by count(distinct m.id) desc, m.artist_id limit 1""",
    )
    last_day = one(warehouse, LAST_STREAM_DAY)
    masters = oltp(
        warehouse,
        f"""
        with s as ({STREAMS_PER_MASTER_DAY})
        select m.id as master_id, m.title, m.status::text as status,
            case when m.status = 'live' then i.total_supply end as total_supply,
            case when m.status = 'live' then i.minted_supply end as minted_supply,
            case when m.status = 'live' then (select count(*) from oltp.master_nfts n
                where n.master_id = m.id) end as nfts_minted,
            case when m.status = 'live' then (select count(distinct lower(n.current_owner_wallet))
                from oltp.master_nfts n where n.master_id = m.id
                and lower(n.current_owner_wallet) <> %(zero)s) end as unique_holders,
            case when m.status = 'live' then (select count(*) from oltp.nft_transfers t
                join oltp.master_nfts n on n.id = t.master_nft_id
                where n.master_id = m.id and t.transfer_type = 'sale') end
                as secondary_sales_count,
            coalesce((select sum(streams) from s where s.master_id = m.id
                and s.d > %(last)s::date - 28 and s.d <= %(last)s::date), 0) as streams_28d,
            (select count(*) from oltp.vstudio_sessions v where v.master_id = m.id)
                as vstudio_sessions,
            (select count(*) from oltp.vstudio_votes vv join oltp.vstudio_sessions v
                on v.id = vv.vstudio_session_id where v.master_id = m.id) as vstudio_votes,
            (select string_agg(total || ' ' || currency, ', ' order by currency) from (
                select e.currency, sum(e.total_amount) as total
                from oltp.dividend_events e
                join oltp.dividend_contracts c on c.id = e.dividend_contract_id
                where c.master_id = m.id and e.event_type = 'distribution'
                group by e.currency) x) as dividends_distributed
        from oltp.masters m
        left join oltp.master_ipos i on i.master_id = m.id
        where m.artist_id = %(artist)s
        """,
        {"artist": artist_id, "last": last_day, "zero": ZERO, "platform": None},
    )
    got = queries.artist_dashboard(str(artist_id))
    assert len(masters) >= 3
    assert set(got["artist_id"].map(str)) == {str(artist_id)}
    cols = [
        "master_id", "title", "status", "total_supply", "minted_supply", "nfts_minted",
        "unique_holders", "secondary_sales_count", "streams_28d", "vstudio_sessions",
        "vstudio_votes", "dividends_distributed",
    ]  # fmt: skip
    key = lambda r: r["master_id"]  # noqa: E731
    assert sorted(records(got, cols), key=key) == sorted(expected_records(masters, cols), key=key)
    # headline figures repeated on each row
    head = got.iloc[0]
    assert head["artist_masters"] == len(masters)
    assert head["artist_streams_28d"] == sum(m["streams_28d"] for m in masters)
    assert head["artist_nfts_minted"] == sum(m["nfts_minted"] or 0 for m in masters)
    assert head["artist_vstudio_sessions"] == sum(m["vstudio_sessions"] for m in masters)
    assert head["artist_name"] == one(
        warehouse, "select artist_name from oltp.artists where id = %(a)s", {"a": artist_id}
    )
    assert got["streams_28d"].is_monotonic_decreasing  # the page's order
    assert any(m["dividends_distributed"] for m in masters)  # the test exercises the money


def test_artist_dashboard_unknown_artist_is_empty():
    assert queries.artist_dashboard(uuid.UUID(int=0)).empty


# -- portfolio --------------------------------------------------------------------------------


def test_portfolio_matches_oltp(warehouse):
    wallet = one(
        warehouse,
        """select lower(b.wallet_address) from oltp.wallet_dividend_balances b
           join oltp.master_nfts n on lower(n.current_owner_wallet) = lower(b.wallet_address)
           group by 1 order by count(distinct b.id) desc, 1 limit 1""",
    )
    rows = oltp(
        warehouse,
        """
        with h as (
            select master_id, chain_id, count(*) as nfts_held from oltp.master_nfts
            where lower(current_owner_wallet) = %(w)s group by master_id, chain_id
        ), claims as (
            select dividend_contract_id, master_id, chain_id, currency,
                   sum(amount_claimed) as claimed, count(*) as claims, max(block_timestamp) as last
            from oltp.dividend_claims where lower(wallet_address) = %(w)s
            group by 1, 2, 3, 4
        ), d as (
            select b.master_id, b.chain_id, b.currency,
                sum(b.total_earned) as earned, sum(coalesce(c.claimed, 0)) as claimed,
                sum(coalesce(c.claims, 0)) as claims, max(c.last) as last_claimed_at
            from oltp.wallet_dividend_balances b
            left join claims c on c.dividend_contract_id = b.dividend_contract_id
                and c.master_id = b.master_id and c.chain_id = b.chain_id
                and c.currency = b.currency
            where lower(b.wallet_address) = %(w)s
            group by 1, 2, 3
        )
        select coalesce(h.master_id, d.master_id) as master_id,
               coalesce(h.chain_id, d.chain_id) as chain_id,
               coalesce(h.nfts_held, 0) as nfts_held, d.currency,
               d.earned as dividends_earned, d.claimed as dividends_claimed,
               d.earned - d.claimed as dividends_claimable, d.claims as claim_count,
               d.last_claimed_at
        from h full join d on d.master_id = h.master_id and d.chain_id = h.chain_id
        """,
        {"w": wallet},
    )
    cols = [
        "master_id", "chain_id", "nfts_held", "currency", "dividends_earned",
        "dividends_claimed", "dividends_claimable", "claim_count", "last_claimed_at",
    ]  # fmt: skip
    key = lambda r: (r["master_id"], r["chain_id"], r["currency"] or "")  # noqa: E731
    # the wallet as a user might type it: upper case and spaces around it
    got = queries.portfolio(f"  {wallet.upper().replace('0X', '0x')} ")
    assert len(rows) >= 2
    assert sorted(records(got, cols), key=key) == sorted(expected_records(rows, cols), key=key)


# -- marketplace --------------------------------------------------------------------------------

LISTED = """
    select n.id as master_nft_id, n.master_id, m.title, m.genre, n.chain_id, n.token_id,
           n.listing_price_wei, n.listing_currency, n.listed_at
    from oltp.master_nfts n join oltp.masters m on m.id = n.master_id
    where n.listing_status = 'listed'
      and (%(genre)s::text is null or m.genre = %(genre)s::text)
      and (%(chain)s::text is null or n.chain_id = %(chain)s::text)
    order by n.listed_at desc, n.id desc
"""
MARKET_COLS = [
    "master_nft_id", "master_id", "title", "genre", "chain_id", "token_id",
    "listing_price_wei", "listing_currency", "listed_at",
]  # fmt: skip


def test_marketplace_pages_newest_first(warehouse, monkeypatch):
    listed = oltp(warehouse, LISTED, {"genre": None, "chain": None})
    assert len(listed) >= 5
    monkeypatch.setattr(queries, "PAGE_SIZE", 4)  # several pages out of tiny's listings
    count = -(-len(listed) // 4)
    pages = [queries.marketplace(page=p) for p in range(1, count + 2)]
    sizes = [min(4, len(listed) - 4 * i) for i in range(count)]
    assert [len(p) for p in pages[:-1]] == sizes and pages[-1].empty
    got = pd.concat(pages[:-1])
    assert records(got, MARKET_COLS) == expected_records(listed, MARKET_COLS)


def test_marketplace_default_page_size_is_20(warehouse):
    listed = oltp(warehouse, LISTED, {"genre": None, "chain": None})
    assert len(queries.marketplace()) == min(20, len(listed))


def test_marketplace_filters_page_through_each_scope(warehouse, monkeypatch):
    """Each filter combination reads its own ranks: its pages, concatenated, are its listings
    in order (pages of 2 so that every scope spans several)."""
    genre, chain = oltp(
        warehouse,
        """select m.genre, n.chain_id from oltp.master_nfts n join oltp.masters m
           on m.id = n.master_id where n.listing_status = 'listed'
           group by 1, 2 order by count(*) desc, 1, 2 limit 1""",
    )[0].values()
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    for g, c in ((genre, None), (None, chain), (genre, chain), ("no such genre", None)):
        expected = oltp(warehouse, LISTED, {"genre": g, "chain": c})
        count = -(-len(expected) // 2)
        pages = [queries.marketplace(genre=g, chain_id=c, page=p) for p in range(1, count + 2)]
        assert pages[-1].empty, (g, c)
        got = pd.concat(pages) if count else pages[0]
        assert records(got, MARKET_COLS) == expected_records(expected, MARKET_COLS), (g, c)
    assert len(oltp(warehouse, LISTED, {"genre": genre, "chain": chain})) >= 3


# -- vstudio_live -----------------------------------------------------------------------------


def test_vstudio_live_matches_oltp(warehouse):
    session = one(
        warehouse,
        """select vstudio_session_id from oltp.vstudio_votes where option_selected is not null
           group by 1 order by count(*) desc, 1 limit 1""",
    )
    rows = oltp(
        warehouse,
        """
        select p.id as decision_point_id, p.display_order, p.label,
               (select count(*) from oltp.vstudio_votes v
                where v.decision_point_id = p.id) as votes,
               o.option_selected as option_id, coalesce(o.n, 0) as option_votes,
               (select count(*) from oltp.vstudio_participants x
                where x.vstudio_session_id = p.vstudio_session_id) as participants
        from oltp.vstudio_decision_points p
        left join (select decision_point_id, option_selected, count(*) as n
                   from oltp.vstudio_votes where option_selected is not null group by 1, 2) o
            on o.decision_point_id = p.id
        where p.vstudio_session_id = %(s)s
        order by p.display_order, p.id, o.option_selected
        """,
        {"s": session},
    )
    cols = ["decision_point_id", "display_order", "label", "votes", "option_id", "option_votes"]
    got = queries.vstudio_live(session)
    assert records(got, cols) == expected_records(rows, cols)
    assert set(got["participants"]) == {rows[0]["participants"]}
    assert got["option_votes"].sum() > 0


# -- top_masters and streams_trend --------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "platform", "limit"),
    [
        (7, None, 10),
        (28, None, 7),
        (28, "spotify", 5),
        (90, "audifi", 3),
        (90, None, 4),
        # windows not ranked in advance by fct_master_stream_windows: summed from the daily mart
        (30, None, 5),
        (30, "spotify", 3),
    ],
)
def test_top_masters_matches_oltp(warehouse, days, platform, limit):
    rows = oltp(
        warehouse,
        f"""
        with s as ({STREAMS_PER_MASTER_DAY}), last as ({LAST_STREAM_DAY})
        select master_id, sum(streams)::bigint as streams from s, last
        where s.d > last.max - %(days)s and s.d <= last.max
        group by master_id having sum(streams) > 0
        order by streams desc, master_id limit %(limit)s
        """,
        {"platform": platform, "days": days, "limit": limit},
    )
    got = queries.top_masters(days=days, platform=platform, limit=limit)
    assert len(rows) == limit
    assert records(got, ["master_id", "streams"]) == expected_records(
        rows, ["master_id", "streams"]
    )
    assert list(got["rank"]) == list(range(1, limit + 1))


def test_top_masters_all_is_a_scope_not_a_platform(warehouse):
    """'all' is the ranked mart's name for every platform added up, not a platform filter."""
    assert queries.top_masters(platform="all").empty
    assert not queries.top_masters().empty


def test_streams_trend_matches_oltp(warehouse):
    last_day = one(warehouse, LAST_STREAM_DAY)
    master = one(
        warehouse,
        f"select master_id from ({STREAMS_PER_MASTER_DAY}) s group by 1 order by sum(streams) "
        "desc, 1 limit 1",
        {"platform": None},
    )
    daily = {
        r["d"]: r["streams"]
        for r in oltp(
            warehouse,
            f"select d, streams from ({STREAMS_PER_MASTER_DAY}) s where master_id = %(m)s",
            {"platform": None, "m": master},
        )
    }
    first = min(d for d, n in daily.items() if n > 0)

    def window(end: date, size: int) -> int:
        """Streams in the ``size`` days ending on ``end``, inclusive."""
        return sum(daily.get(end - timedelta(days=k), 0) for k in range(size))

    expected = [
        {
            "stream_date": day,
            "streams": daily.get(day, 0),
            "streams_7d": window(day, 7),
            "streams_28d": window(day, 28),
            "prev7": window(day - timedelta(days=7), 7),
        }
        for day in (first + timedelta(days=i) for i in range((last_day - first).days + 1))
    ]
    got = queries.streams_trend(master, days=60)
    tail = expected[-60:]
    cols = ["stream_date", "streams", "streams_7d", "streams_28d"]
    assert records(got, cols) == expected_records(tail, cols)
    for row, exp in zip(got.to_dict("records"), tail, strict=True):
        if exp["prev7"] == 0:
            assert plain(row["growth_7d_pct"]) is None
        else:
            pct = (exp["streams_7d"] - exp["prev7"]) * 100 / exp["prev7"]
            assert float(row["growth_7d_pct"]) == pytest.approx(pct, abs=1e-6)


# -- finance: revenue_monthly and mrr_monthly ------------------------------------------------


def test_revenue_monthly_matches_oltp(warehouse):
    artist_id = one(
        warehouse,
        """select m.artist_id from oltp.revenue_events r join oltp.masters m on m.id = r.master_id
           group by 1 order by count(*) desc, 1 limit 1""",
    )
    month = "date_trunc('month', coalesce(r.period_start, r.created_at) at time zone 'UTC')::date"
    rows = oltp(
        warehouse,
        f"""
        with last as (select max({month}) as m from oltp.revenue_events r)
        select {month} as revenue_month, r.currency, count(*) as event_count,
               -- Σ over the events whose USD value is known: 0 when none is yet
               sum(r.amount) as amount, coalesce(sum(r.amount_usd), 0) as amount_usd,
               coalesce(sum(case when r.status = 'distributed' then r.amount_usd end), 0)
                   as amount_usd_distributed,
               sum(case when r.amount_usd is null then 1 else 0 end) as events_missing_usd
        from oltp.revenue_events r join oltp.masters m on m.id = r.master_id, last
        where m.artist_id = %(a)s and {month} > last.m - interval '12 months'
        group by 1, 2 order by 1, 2
        """,
        {"a": artist_id},
    )
    got = queries.revenue_monthly(artist_id, months=12)
    cols = [
        "revenue_month", "currency", "event_count", "amount", "amount_usd",
        "amount_usd_distributed", "events_missing_usd",
    ]  # fmt: skip
    assert rows and records(got, cols) == expected_records(rows, cols)


def test_mrr_monthly_invoice_figures_match_oltp(warehouse):
    month = "date_trunc('month', period_start at time zone 'UTC')::date"
    rows = oltp(
        warehouse,
        f"""
        with last as (select max({month}) as m from oltp.invoices)
        select {month} as invoice_month, currency, count(*) as invoice_count,
               sum(case when status = 'paid' then 1 else 0 end) as paid_invoice_count,
               sum(amount_due) as amount_due, sum(amount_paid) as amount_paid
        from oltp.invoices, last where {month} > last.m - interval '6 months'
        group by 1, 2 order by 1, 2
        """,
    )
    got = queries.mrr_monthly(months=6)
    cols = ["invoice_month", "currency", "invoice_count", "paid_invoice_count", "amount_due",
            "amount_paid"]  # fmt: skip
    assert rows and records(got, cols) == expected_records(rows, cols)
    assert got["mrr"].notna().all()


def test_finance_marts_are_refused_to_the_analyst_role(warehouse):
    with pytest.raises(AudifiError, match="analyst role may not read"):
        queries.run_sql(
            queries.REVENUE_MONTHLY_SQL, {"artist_id": uuid.UUID(int=1), "months": 12}, "analyst"
        )


# -- the pool ---------------------------------------------------------------------------------


def test_pool_size_application_name_and_statement_timeout(warehouse, monkeypatch):
    db.close_pools()
    monkeypatch.setenv("AUDIFI_DB_POOL_MIN", "1")
    monkeypatch.setenv("AUDIFI_DB_POOL_MAX", "3")
    monkeypatch.setenv("AUDIFI_DB_STATEMENT_TIMEOUT_MS", "1234")
    pool = db.get_pool("analyst")
    assert (pool.min_size, pool.max_size) == (1, 3)
    with db.connection("analyst") as conn:
        assert conn.execute("show application_name").fetchone()[0] == db.APPLICATION_NAME
        assert conn.execute("show statement_timeout").fetchone()[0] == "1234ms"
        assert conn.execute("select current_user").fetchone()[0] == "audifi_analyst"
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("create temporary table t (x int)")
    with pytest.raises(AudifiError, match="statement timeout"):
        queries.run_sql("select pg_sleep(3)", {})
    with db.connection("finance") as conn:
        assert conn.execute("select current_user").fetchone()[0] == "audifi_finance"


# -- hostile parameters -------------------------------------------------------------------------

HOSTILE_TEXT = [
    "'",
    "O'Brien",
    "'; drop table oltp.users; --",
    '"; delete from marts.dim_artists; --',
    "x' or '1'='1",
    "ñ🎵 音楽 \u202e",
    "%(wallet)s",
    "{genre_filter}",
    "\\x00",
]


def database_fingerprint(warehouse) -> dict[str, tuple[int, int]]:
    """(rows, content hash) of every table in the primary's oltp and the replica's marts."""
    out = {}
    for dsn, schemas in (
        (warehouse.primary_dsn, ("oltp",)),
        (warehouse.replica_dsn("dbt"), ("oltp", "marts", "marts_finance")),
    ):
        with psycopg.connect(dsn) as conn:
            tables = conn.execute(
                "select schemaname, tablename from pg_tables where schemaname = any(%s)",
                [list(schemas)],
            ).fetchall()
            for schema, table in tables:
                count, digest = conn.execute(
                    f"select count(*), coalesce(sum(hashtext(t::text)::bigint), 0) "
                    f'from "{schema}"."{table}" t'
                ).fetchone()
                out[f"{dsn.rsplit('@', 1)[1]}:{schema}.{table}"] = (count, digest)
    return out


def test_hostile_parameters_are_data_or_one_line_errors(warehouse):
    before = database_fingerprint(warehouse)
    for text in HOSTILE_TEXT:
        assert queries.portfolio(text).empty
        assert queries.marketplace(genre=text).empty
        assert queries.marketplace(chain_id=text, page=1).empty
        assert queries.top_masters(platform=text).empty
    refusals = [
        lambda: queries.portfolio("\x00"),
        lambda: queries.portfolio("a" * 10_000),
        lambda: queries.portfolio(42),
        lambda: queries.artist_dashboard("'; drop table oltp.artists; --"),
        lambda: queries.vstudio_live("not-a-uuid"),
        lambda: queries.streams_trend(uuid.UUID(int=1), days=10**30),
        lambda: queries.marketplace(page=-1),
        lambda: queries.marketplace(page=0),
        lambda: queries.marketplace(page=10**30),
        lambda: queries.marketplace(page="2"),
        lambda: queries.marketplace(page=True),
        lambda: queries.top_masters(days=-7),
        lambda: queries.top_masters(limit=2**63),
        lambda: queries.revenue_monthly("x", months=1),
        lambda: queries.revenue_monthly(uuid.UUID(int=1), months=1.5),
    ]
    for call in refusals:
        with pytest.raises(queries.QueryError) as info:
            call()
        assert "\n" not in str(info.value)
    assert database_fingerprint(warehouse) == before


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(AUDIFI), "query", *args], capture_output=True, text=True, env=os.environ.copy()
    )


@pytest.mark.parametrize(
    "args",
    [
        ["no_such_query"],
        ["'; drop table oltp.users; --"],
        ["marketplace", "--param", "page=-3"],
        ["marketplace", "--param", "page=99999999999999999999999999999"],
        ["marketplace", "--param", "page=1.5"],
        ["marketplace", "--param", "page='; drop table x; --"],
        ["marketplace", "--param", "nonsense=1"],
        ["marketplace", "--param", "no-equals-sign"],
        ["marketplace", "--param", "page=1", "--param", "page=2"],
        ["artist_dashboard"],
        ["artist_dashboard", "--param", "artist_id=[bold]ñ🎵'"],
        ["vstudio_live", "--param", "session_id=1 or 1=1"],
        ["top_masters", "--format", "xml"],
    ],
)
def test_cli_refuses_with_one_line(warehouse, args):
    result = cli(*args)
    assert result.returncode == 1, result
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr


def test_cli_treats_text_as_data_and_prints_formats(warehouse):
    before = database_fingerprint(warehouse)
    hostile = cli(
        "portfolio", "--param", "wallet=x'); drop table oltp.users; --", "--format", "json"
    )
    assert hostile.returncode == 0 and hostile.stdout.strip() == "[]", hostile.stderr
    as_json = cli("top_masters", "-p", "days=28", "-p", "limit=3", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    import json

    rows = json.loads(as_json.stdout)
    expected = queries.top_masters(days=28, limit=3)
    assert [r["master_id"] for r in rows] == [str(m) for m in expected["master_id"]]
    assert [r["streams"] for r in rows] == list(expected["streams"])
    as_csv = cli("marketplace", "--format", "csv")
    assert as_csv.returncode == 0 and as_csv.stdout.splitlines()[0].startswith("master_nft_id,")
    listed = queries.marketplace()
    assert len(as_csv.stdout.strip().splitlines()) == len(listed) + 1
    assert str(listed["listing_price_wei"].iloc[0]) in as_csv.stdout  # wei printed exactly
    table = cli("revenue_monthly", "-p", f"artist_id={uuid.UUID(int=0)}")
    assert table.returncode == 0 and "0 row(s)" in table.stdout, table.stderr
    assert database_fingerprint(warehouse) == before


def test_cli_with_the_database_down_is_one_line(tmp_path):
    from audifi.pgserver import free_port

    env = {
        **os.environ,
        "AUDIFI_HOME": str(tmp_path),
        "AUDIFI_PRIMARY_PORT": str(free_port()),
        "AUDIFI_REPLICA_PORT": str(free_port()),
    }
    result = subprocess.run(
        [str(AUDIFI), "query", "marketplace"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot connect to the analytics database" in lines[0], lines
