"""What the dashboard's selectors offer, read from the marts (never typed-in ids)."""

from __future__ import annotations

import pandas as pd

from audifi import queries
from audifi.queries import run_sql

SELECTOR_LIMIT = 500  # a select box beyond this is a search problem, not a list


def artists() -> pd.DataFrame:
    """Artists with at least one master, most masters first."""
    return run_sql(
        """
        select artists.artist_id, artists.artist_name, count(*) as masters
        from marts.dim_artists as artists
        inner join marts.dim_masters as masters on masters.artist_id = artists.artist_id
        group by artists.artist_id, artists.artist_name
        order by masters desc, artists.artist_name, artists.artist_id
        limit %(limit)s
        """,
        {"limit": SELECTOR_LIMIT},
    )


def wallets() -> pd.DataFrame:
    """Wallets that hold NFTs or have dividends, those holding most first."""
    return run_sql(
        """
        select wallet_address, sum(nfts_held) as nfts_held
        from (
            select wallet_address, nfts_held from marts.fct_wallet_holdings
            union all
            select wallet_address, 0 from marts.fct_wallet_dividends
        ) as wallets
        group by wallet_address
        order by nfts_held desc, wallet_address
        limit %(limit)s
        """,
        {"limit": SELECTOR_LIMIT},
    )


def sessions() -> pd.DataFrame:
    """V Studio sessions, most votes first."""
    return run_sql(
        """
        select sessions.session_id, sessions.status, sessions.votes, sessions.participants,
               masters.title, masters.artist_name
        from marts.fct_vstudio_sessions as sessions
        left join marts.dim_masters as masters on masters.master_id = sessions.master_id
        order by sessions.votes desc, sessions.session_id
        limit %(limit)s
        """,
        {"limit": SELECTOR_LIMIT},
    )


def streamed_masters() -> pd.DataFrame:
    """Masters with streams, most streamed over the last 28 days first."""
    return run_sql(
        """
        select rolling.master_id, masters.title, masters.artist_name, rolling.streams_28d
        from marts.fct_master_streams_rolling as rolling
        inner join marts.dim_masters as masters on masters.master_id = rolling.master_id
        where rolling.stream_date = (select max(stream_date) from marts.fct_master_streams_rolling)
        order by rolling.streams_28d desc, rolling.master_id
        limit %(limit)s
        """,
        {"limit": SELECTOR_LIMIT},
    )


def platforms() -> list[str]:
    """Platforms with streams in a top-chart window (a small mart, not the daily one)."""
    frame = run_sql(
        "select distinct platform_scope from marts.fct_master_stream_windows"
        " where platform_scope <> 'all' order by platform_scope",
        {},
    )
    return list(frame["platform_scope"])


def top_chart_windows() -> list[int]:
    """The windows (days) the top charts are ranked for (var top_masters_window_days)."""
    frame = run_sql(
        "select distinct window_days from marts.fct_master_stream_windows order by window_days", {}
    )
    return [int(days) for days in frame["window_days"]]


def listing_filters() -> tuple[list[str], list[str]]:
    """Genres and chains that have listings."""
    frame = run_sql("select distinct genre, chain_id from marts.fct_marketplace_listings", {})
    genres = sorted(g for g in frame["genre"].dropna().unique())
    chains = sorted(c for c in frame["chain_id"].dropna().unique())
    return genres, chains


def listing_pages(genre: str | None, chain_id: str | None) -> int:
    """Pages of the marketplace for these filters (at least 1)."""
    frame = run_sql(
        """
        select count(*) as listings from marts.fct_marketplace_listings
        where (cast(%(genre)s as text) is null or genre = %(genre)s)
          and (cast(%(chain_id)s as text) is null or chain_id = %(chain_id)s)
        """,
        {"genre": genre, "chain_id": chain_id},
    )
    return max(1, -(-int(frame["listings"].iloc[0]) // queries.PAGE_SIZE))


def finance_artists() -> pd.DataFrame:
    """Artists with revenue (finance role: reads marts_finance)."""
    return run_sql(
        """
        select monthly.artist_id, artists.artist_name, sum(monthly.event_count) as events
        from marts_finance.fct_revenue_monthly as monthly
        inner join marts.dim_artists as artists on artists.artist_id = monthly.artist_id
        group by monthly.artist_id, artists.artist_name
        order by events desc, artists.artist_name
        limit %(limit)s
        """,
        {"limit": SELECTOR_LIMIT},
        role="finance",
    )
