"""AudiFi dashboard: Streamlit pages over the named queries (audifi/queries.py).

Started by `audifi dashboard` (127.0.0.1, headless, no usage statistics).  Each page reads the
marts through the named queries as the analyst role; the finance page exists only when the
dashboard runs for the finance role (`audifi dashboard --role finance`).  A page can be opened
directly with ``?page=<key>``.
"""

from __future__ import annotations

import os
import uuid
from decimal import Decimal

import pandas as pd
import streamlit as st

from audifi import queries
from audifi.dashboard import selectors
from audifi.errors import AudifiError

ROLE = os.environ.get("AUDIFI_DASHBOARD_ROLE", "analyst")
PAGES = {
    "artist": "Artist",
    "portfolio": "Portfolio",
    "marketplace": "Marketplace",
    "vstudio": "V Studio session",
    "streaming": "Streaming charts",
}
if ROLE == "finance":
    PAGES["finance"] = "Finance"
TABLE_PAGE_SIZE = 20
CACHE_SECONDS = 60


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def cached(name: str, **params) -> pd.DataFrame:
    """A named query or selector, cached briefly: dashboards repeat the same calls."""
    func = getattr(selectors, name, None) or queries.get_query(name).func
    return func(**params)


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Exact amounts (wei need up to 78 digits) and ids as text: Arrow holds neither."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and any(
            isinstance(v, Decimal | uuid.UUID) for v in out[col].dropna().head(50)
        ):
            out[col] = out[col].map(lambda v: None if v is None or pd.isna(v) else str(v))
    return out


def paged_table(frame: pd.DataFrame, key: str) -> None:
    """A table shown TABLE_PAGE_SIZE rows at a time with a page selector."""
    pages = max(1, -(-len(frame) // TABLE_PAGE_SIZE))
    page = 1
    if pages > 1:
        page = int(st.number_input("Page", 1, pages, 1, key=f"{key}_page"))
    start = (page - 1) * TABLE_PAGE_SIZE
    st.dataframe(
        for_display(frame.iloc[start : start + TABLE_PAGE_SIZE]),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        f"rows {start + 1 if len(frame) else 0}–{min(start + TABLE_PAGE_SIZE, len(frame))}"
        f" of {len(frame)} · page {page} of {pages}"
    )


def choose(label: str, frame: pd.DataFrame, id_col: str, text, key: str) -> str | None:
    """A select box over ``frame`` rows, showing ``text(row)``, returning the id as text."""
    if frame.empty:
        st.info(f"No {label.lower()} in the marts yet.")
        return None
    ids = [str(v) for v in frame[id_col]]
    labels = {str(row[id_col]): text(row) for row in frame.to_dict("records")}
    return st.selectbox(label, ids, format_func=labels.get, key=key)


def fmt_int(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{int(value):,}"


# -- pages ----------------------------------------------------------------------------------


def artist_page() -> None:
    st.header("Artist")
    artist = choose(
        "Artist",
        cached("artists"),
        "artist_id",
        lambda r: f"{r['artist_name']} ({r['masters']} masters)",
        "artist",
    )
    if not artist:
        return
    frame = cached("artist_dashboard", artist_id=artist)
    if frame.empty:
        st.info("No data for this artist.")
        return
    head = frame.iloc[0]
    cols = st.columns(5)
    cols[0].metric("Masters", fmt_int(head["artist_masters"]))
    cols[1].metric("IPOs", fmt_int(head["artist_ipos"]))
    cols[2].metric("NFTs minted", fmt_int(head["artist_nfts_minted"]))
    cols[3].metric("Streams (28 days)", fmt_int(head["artist_streams_28d"]))
    cols[4].metric("V Studio sessions", fmt_int(head["artist_vstudio_sessions"]))
    masters = frame[frame["master_id"].notna()]
    if not masters.empty:
        st.subheader("Streams over 28 days per master")
        st.bar_chart(
            masters.set_index("title")["streams_28d"].astype("int64"),
            x_label="master",
            y_label="streams (28 days)",
        )
    st.subheader("Masters")
    paged_table(
        masters[
            [
                "title",
                "status",
                "total_supply",
                "minted_supply",
                "percent_minted",
                "unique_holders",
                "secondary_sales_count",
                "streams_28d",
                "vstudio_sessions",
                "vstudio_votes",
                "dividends_distributed",
            ]
        ],
        "artist_masters",
    )


def portfolio_page() -> None:
    st.header("Portfolio")
    wallet = choose(
        "Wallet",
        cached("wallets"),
        "wallet_address",
        lambda r: f"{r['wallet_address']} ({r['nfts_held']} NFTs)",
        "wallet",
    )
    if not wallet:
        return
    frame = cached("portfolio", wallet=wallet)
    holdings = frame.drop_duplicates(["master_id", "chain_id"])
    cols = st.columns(3)
    cols[0].metric("NFTs held", fmt_int(holdings["nfts_held"].sum()))
    cols[1].metric("Masters", fmt_int(holdings["master_id"].nunique()))
    cols[2].metric("Dividend currencies", fmt_int(frame["currency"].nunique()))
    if holdings["nfts_held"].sum() > 0:
        st.subheader("NFTs held per master")
        st.bar_chart(
            holdings.groupby("title")["nfts_held"].sum().astype("int64"),
            x_label="master",
            y_label="NFTs held",
        )
    st.subheader("Holdings and dividends (base units of each currency)")
    paged_table(
        frame[
            [
                "title",
                "artist_name",
                "chain_id",
                "nfts_held",
                "currency",
                "dividends_earned",
                "dividends_claimed",
                "dividends_claimable",
                "claim_count",
                "last_claimed_at",
            ]
        ],
        "portfolio",
    )


def marketplace_page() -> None:
    st.header("Marketplace")
    genres, chains = cached("listing_filters")
    left, right = st.columns(2)
    genre = left.selectbox("Genre", ["(all)", *genres], key="genre")
    chain = right.selectbox("Chain", ["(all)", *chains], key="chain")
    genre_value = None if genre == "(all)" else genre
    chain_value = None if chain == "(all)" else chain
    pages = cached("listing_pages", genre=genre_value, chain_id=chain_value)
    page = int(st.number_input("Page", 1, pages, 1, key="market_page"))
    frame = cached("marketplace", genre=genre_value, chain_id=chain_value, page=page)
    st.metric("Listings on this page", fmt_int(len(frame)))
    st.dataframe(
        for_display(
            frame[
                [
                    "listed_at",
                    "title",
                    "artist_name",
                    "genre",
                    "chain_id",
                    "token_id",
                    "listing_price_wei",
                    "listing_currency",
                ]
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(f"page {page} of {pages}, {queries.PAGE_SIZE} per page, newest listing first")


def vstudio_page() -> None:
    st.header("V Studio session")
    session = choose(
        "Session",
        cached("sessions"),
        "session_id",
        lambda r: (
            f"{r['title'] or 'session'} – {r['artist_name'] or ''} "
            f"({r['status']}, {r['votes']} votes)"
        ),
        "session",
    )
    if not session:
        return
    frame = cached("vstudio_live", session_id=session)
    if frame.empty:
        st.info("This session has no decision points.")
        return
    points = frame.drop_duplicates("decision_point_id")
    cols = st.columns(3)
    cols[0].metric("Participants", fmt_int(frame["participants"].iloc[0]))
    cols[1].metric("Decision points", fmt_int(len(points)))
    cols[2].metric("Votes", fmt_int(points["votes"].sum()))
    st.subheader("Votes per decision point")
    st.bar_chart(
        points.set_index("label")["votes"].astype("int64"),
        x_label="decision point",
        y_label="votes",
    )
    options = frame[frame["option_id"].notna()]
    if not options.empty:
        st.subheader("Votes per option")
        pivot = options.pivot_table(
            index="label", columns="option_id", values="option_votes", aggfunc="sum"
        ).fillna(0)
        st.bar_chart(pivot.astype("int64"), x_label="decision point", y_label="votes")
    paged_table(
        frame[
            ["display_order", "label", "decision_point_type", "votes", "option_id", "option_votes"]
        ],
        "vstudio",
    )


def streaming_page() -> None:
    st.header("Streaming charts")
    master = choose(
        "Master",
        cached("streamed_masters"),
        "master_id",
        lambda r: f"{r['title']} – {r['artist_name']} ({r['streams_28d']:,} streams, 28 days)",
        "master",
    )
    days = st.slider("Days", 7, 365, 90, key="trend_days")
    if master:
        trend = cached("streams_trend", master_id=master, days=days)
        if not trend.empty:
            last = trend.iloc[-1]
            cols = st.columns(3)
            cols[0].metric("Streams on the last day", fmt_int(last["streams"]))
            cols[1].metric("Streams (7 days)", fmt_int(last["streams_7d"]))
            cols[2].metric("Streams (28 days)", fmt_int(last["streams_28d"]))
            st.subheader("Daily streams and rolling 7/28 days")
            chart = trend.set_index("stream_date")[["streams", "streams_7d", "streams_28d"]]
            st.line_chart(chart.astype("int64"), x_label="day (UTC)", y_label="streams")
    st.subheader("Top charts")
    left, right = st.columns(2)
    window = left.selectbox("Window (days)", cached("top_chart_windows"), key="top_days")
    platform = right.selectbox("Platform", ["(all)", *cached("platforms")], key="platform")
    if window is None:  # no stream loaded yet: nothing is ranked
        return
    top = cached(
        "top_masters", days=window, platform=None if platform == "(all)" else platform, limit=20
    )
    if not top.empty:
        st.bar_chart(
            top.set_index("title")["streams"].astype("int64"), x_label="master", y_label="streams"
        )
    paged_table(top[["rank", "title", "artist_name", "streams"]], "top")


def finance_page() -> None:
    st.header("Finance")
    st.caption("Confidential (marts_finance): read as the finance role.")
    artist = choose(
        "Artist",
        cached("finance_artists"),
        "artist_id",
        lambda r: f"{r['artist_name']} ({r['events']} revenue events)",
        "finance_artist",
    )
    months = st.slider("Months", 1, 36, 12, key="months")
    if artist:
        revenue = cached("revenue_monthly", artist_id=artist, months=months)
        st.subheader("Revenue per month (USD where known)")
        if not revenue.empty:
            usd = revenue.pivot_table(
                index="revenue_month", columns="currency", values="amount_usd", aggfunc="sum"
            ).astype(float)
            st.line_chart(usd, x_label="month", y_label="revenue (USD)")
        paged_table(revenue, "revenue")
    mrr = cached("mrr_monthly", months=months)
    st.subheader("Monthly recurring revenue")
    if not mrr.empty:
        latest = mrr[mrr["invoice_month"] == mrr["invoice_month"].max()]
        cols = st.columns(max(1, len(latest)))
        for col, row in zip(cols, latest.to_dict("records"), strict=False):
            col.metric(f"MRR {row['currency'].upper()}", f"{float(row['mrr']):,.2f}")
        chart = mrr.pivot_table(
            index="invoice_month", columns="currency", values="mrr", aggfunc="sum"
        ).astype(float)
        st.line_chart(chart, x_label="month", y_label="MRR")
    paged_table(mrr, "mrr")


RENDER = {
    "artist": artist_page,
    "portfolio": portfolio_page,
    "marketplace": marketplace_page,
    "vstudio": vstudio_page,
    "streaming": streaming_page,
    "finance": finance_page,
}


def main() -> None:
    st.set_page_config(page_title="AudiFi dashboard", layout="wide")
    requested = st.query_params.get("page", "artist")
    keys = list(PAGES)
    page = st.sidebar.radio(
        "Page",
        keys,
        index=keys.index(requested) if requested in keys else 0,
        format_func=PAGES.get,
        key="page",
    )
    st.sidebar.caption(f"marts on the analytics database, as the {ROLE} role")
    try:
        RENDER[page]()
    except AudifiError as exc:
        st.error(str(exc))


main()
