"""Named dashboard queries: one parametrized SQL statement each, on the marts only.

Every query is a function with typed parameters that returns a pandas DataFrame; values travel
as bind parameters, never inside the SQL text.  Parameters are checked before anything is sent
(a bad value is a one-line ``QueryError``); text values are data and only ever compared.
Queries run as the read-only analyst role, ``revenue_monthly`` and ``mrr_monthly`` as the
finance role (``marts_finance`` is confidential).  Wei/base-unit amounts come back as exact
``Decimal`` values and are never added across currencies.  `audifi query NAME --param k=v`
runs any of them; the Streamlit dashboard (``audifi/dashboard``) and the benchmark use them.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_type_hints

import pandas as pd
import psycopg

from audifi import db
from audifi.errors import AudifiError

PAGE_SIZE = 20
MAX_PAGE = 1_000_000
MAX_TEXT = 255  # the longest text column compared against (wallets, genres, chains)
INT_TYPE_OIDS = {20, 21, 23}  # int8, int2, int4: nullable Int64 columns, not floats


class QueryError(AudifiError):
    """A parameter or name the user can fix; one line."""


# -- parameter checks --------------------------------------------------------------------


def _int(name: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise QueryError(f"{name} must be a whole number, got {value!r}")
    if not lo <= value <= hi:
        raise QueryError(f"{name} must be between {lo:,} and {hi:,}, got {value:,}")
    return value


def _uuid(name: str, value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise QueryError(f"{name} must be a UUID, got {str(value)[:80]!r}") from None


def _text(name: str, value: Any, *, lower: bool = False) -> str:
    if not isinstance(value, str):
        raise QueryError(f"{name} must be text, got {value!r}")
    if "\x00" in value:
        raise QueryError(f"{name} must not contain NUL characters")
    if len(value) > MAX_TEXT:
        raise QueryError(f"{name} is longer than {MAX_TEXT} characters")
    return value.strip().lower() if lower else value


def _optional_text(name: str, value: Any) -> str | None:
    return None if value is None or value == "" else _text(name, value)


# -- running ---------------------------------------------------------------------------


def run_sql(sql: str, params: Mapping[str, Any], role: db.Role = "analyst") -> pd.DataFrame:
    """Run one statement with bind parameters on a pooled connection; rows as a DataFrame."""
    try:
        with db.connection(role) as conn, conn.cursor() as cur:
            cur.execute(sql, params, prepare=True)
            rows = cur.fetchall()
            desc = cur.description or []
    except psycopg.errors.UndefinedTable as exc:
        raise AudifiError(
            f"a mart is missing ({_first_line(exc)}): build the marts with `audifi build`"
        ) from None
    except psycopg.errors.InsufficientPrivilege as exc:
        raise AudifiError(f"the {role} role may not read this: {_first_line(exc)}") from None
    except psycopg.errors.QueryCanceled:
        raise AudifiError(
            f"the query ran longer than the statement timeout ({db.statement_timeout_ms()} ms)"
        ) from None
    except psycopg.Error as exc:
        raise AudifiError(f"the query failed: {_first_line(exc)}") from None
    return to_frame(rows, desc)


def to_frame(rows: list[tuple[Any, ...]], desc: Sequence[psycopg.Column]) -> pd.DataFrame:
    """A statement's rows as the DataFrame every named query returns."""
    frame = pd.DataFrame.from_records(rows, columns=[c.name for c in desc])
    for i, col in enumerate(desc):
        # an integer column with a NULL comes back as object: make it nullable Int64
        if col.type_code in INT_TYPE_OIDS and pd.api.types.is_object_dtype(frame.dtypes.iloc[i]):
            frame.isetitem(i, frame.iloc[:, i].astype("Int64"))
    return frame


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


# -- the named queries -------------------------------------------------------------------

ARTIST_DASHBOARD_SQL = """
with artist as (
    select artist_id, artist_name, genre as artist_genre, is_verified
    from marts.dim_artists
    where artist_id = %(artist_id)s
),
masters as (
    select master_id, title, status, genre, created_at
    from marts.dim_masters
    where artist_id = %(artist_id)s
),
ipos as (
    select master_id, total_supply, minted_supply, nfts_minted, percent_minted,
           unique_holders, secondary_sales_count
    from marts.fct_master_ipo_metrics
    where artist_id = %(artist_id)s
),
sessions as (
    select master_id, count(*) as vstudio_sessions,
           cast(sum(votes) as bigint) as vstudio_votes
    from marts.fct_vstudio_sessions
    where master_id in (select master_id from masters)
    group by master_id
),
distributed as (
    select master_id,
           string_agg(cast(total as text) || ' ' || currency, ', ' order by currency)
               as dividends_distributed
    from (
        select master_id, currency, sum(total_amount) as total
        from marts.fct_dividend_distributions
        where master_id in (select master_id from masters)
        group by master_id, currency
    ) per_currency
    group by master_id
),
per_master as (
    select
        artist.artist_id, artist.artist_name, artist.artist_genre, artist.is_verified,
        masters.master_id, masters.title, masters.status, masters.genre, masters.created_at,
        ipos.total_supply, ipos.minted_supply, ipos.nfts_minted, ipos.percent_minted,
        ipos.unique_holders, ipos.secondary_sales_count,
        coalesce(rolling.streams_28d, 0) as streams_28d,
        coalesce(sessions.vstudio_sessions, 0) as vstudio_sessions,
        coalesce(sessions.vstudio_votes, 0) as vstudio_votes,
        distributed.dividends_distributed
    from artist
    left join masters on true
    left join ipos on ipos.master_id = masters.master_id
    left join sessions on sessions.master_id = masters.master_id
    left join distributed on distributed.master_id = masters.master_id
    left join lateral (
        -- each master's rows run to the last loaded day: its newest row is "now"
        select r.streams_28d
        from marts.fct_master_streams_rolling as r
        where r.master_id = masters.master_id
        order by r.stream_date desc
        limit 1
    ) as rolling on true
)
select
    per_master.*,
    count(master_id) over () as artist_masters,
    count(total_supply) over () as artist_ipos,
    cast(coalesce(sum(nfts_minted) over (), 0) as bigint) as artist_nfts_minted,
    cast(sum(streams_28d) over () as bigint) as artist_streams_28d,
    cast(sum(vstudio_sessions) over () as bigint) as artist_vstudio_sessions
from per_master
order by streams_28d desc, title, master_id
"""


def artist_dashboard(artist_id: uuid.UUID | str) -> pd.DataFrame:
    """An artist's page: one row per master, the artist's headline figures on every row.

    Per master: status, its IPO (supply, minted, percent minted, holders, resales; null for
    masters that are not live), streams over the 28 days ending on the last loaded day (all
    platforms), V Studio sessions and votes, and the dividends distributed to its holders as
    exact base-unit amounts per currency (text such as ``"1200 USDC, 3 WETH"``: currencies are
    never added).  Headline columns ``artist_*``: masters, IPOs, NFTs minted, streams over 28
    days, V Studio sessions.  An artist without masters gives one row with null master columns;
    an unknown artist gives no rows.
    """
    return run_sql(ARTIST_DASHBOARD_SQL, {"artist_id": _uuid("artist_id", artist_id)})


PORTFOLIO_SQL = """
with holdings as (
    select master_id, chain_id, nfts_held
    from marts.fct_wallet_holdings
    where wallet_address = %(wallet)s
),
dividends as (
    select master_id, chain_id, currency,
           sum(total_earned) as dividends_earned,
           sum(total_claimed) as dividends_claimed,
           sum(claimable) as dividends_claimable,
           sum(claim_count) as claim_count,
           max(last_claimed_at) as last_claimed_at
    from marts.fct_wallet_dividends
    where wallet_address = %(wallet)s
    group by master_id, chain_id, currency
)
select
    coalesce(holdings.master_id, dividends.master_id) as master_id,
    masters.title,
    masters.artist_name,
    coalesce(holdings.chain_id, dividends.chain_id) as chain_id,
    coalesce(holdings.nfts_held, 0) as nfts_held,
    dividends.currency,
    dividends.dividends_earned,
    dividends.dividends_claimed,
    dividends.dividends_claimable,
    dividends.claim_count,
    dividends.last_claimed_at
from holdings
full join dividends
    on dividends.master_id = holdings.master_id and dividends.chain_id = holdings.chain_id
inner join marts.dim_masters as masters
    on masters.master_id = coalesce(holdings.master_id, dividends.master_id)
order by masters.title, master_id, chain_id, dividends.currency
"""


def portfolio(wallet: str) -> pd.DataFrame:
    """A wallet's portfolio: NFTs held per master and chain, with dividends per currency.

    One row per (master, chain, dividend currency); a holding without dividends has a null
    currency.  ``dividends_earned`` / ``_claimed`` / ``_claimable`` are exact base units of
    ``currency`` (claimed is recomputed from the claims).  The wallet is compared lower-cased;
    an unknown wallet gives no rows.
    """
    return run_sql(PORTFOLIO_SQL, {"wallet": _text("wallet", wallet, lower=True)})


MARKETPLACE_SQL = """
select
    master_nft_id, master_id, title, artist_name, genre, chain_id, token_id,
    listing_price_wei, listing_currency, listed_at
from marts.fct_marketplace_listings
where {filters}
  and {rank} between cast(%(first_rank)s as bigint) and cast(%(last_rank)s as bigint)
order by {rank}
"""
# The optional filters are fixed SQL fragments chosen by presence; the mart ranks every row in
# the page order within each filter scope, so a page is one unique-index range of ranks.  The
# values themselves are always bind parameters.
_MARKETPLACE_VARIANTS = {
    (g, c): MARKETPLACE_SQL.format(
        filters=" and ".join(
            [
                "true",
                *(["genre = %(genre)s"] if g else []),
                *(["chain_id = %(chain_id)s"] if c else []),
            ]
        ),
        # the rank of the scope the filters select: listing_rank, genre_listing_rank, …
        rank="".join(["genre_" if g else "", "chain_" if c else "", "listing_rank"]),
    )
    for g in (False, True)
    for c in (False, True)
}


def marketplace(
    genre: str | None = None, chain_id: str | None = None, page: int = 1
) -> pd.DataFrame:
    """Listed NFTs, newest listing first, 20 per page (page 1 is the first).

    Optionally only masters of ``genre`` (exact match) and/or tokens on ``chain_id``.  The
    listing price is in base units of ``listing_currency``.  A page past the end is empty.
    """
    genre, chain_id = _optional_text("genre", genre), _optional_text("chain_id", chain_id)
    page = _int("page", page, 1, MAX_PAGE)
    sql = _MARKETPLACE_VARIANTS[(genre is not None, chain_id is not None)]
    params = {
        "genre": genre,
        "chain_id": chain_id,
        "first_rank": (page - 1) * PAGE_SIZE + 1,
        "last_rank": page * PAGE_SIZE,
    }
    return run_sql(sql, params)


VSTUDIO_LIVE_SQL = """
select
    sessions.session_id,
    sessions.status as session_status,
    sessions.participants,
    points.decision_point_id,
    points.display_order,
    points.label,
    points.decision_point_type,
    points.votes,
    options.option_id,
    coalesce(options.votes, 0) as option_votes
from marts.fct_vstudio_sessions as sessions
inner join marts.fct_vstudio_decision_points as points
    on points.session_id = sessions.session_id
left join marts.fct_vstudio_option_votes as options
    on options.decision_point_id = points.decision_point_id
where sessions.session_id = %(session_id)s
order by points.display_order, points.decision_point_id, options.option_id
"""


def vstudio_live(session_id: uuid.UUID | str) -> pd.DataFrame:
    """A V Studio session live: one row per decision point and chosen option.

    ``votes`` is the decision point's vote rows, ``option_votes`` those that chose
    ``option_id`` (null option: a slider or open-text point, or no option vote yet), and
    ``participants`` the session's participant rows.  An unknown session gives no rows.
    """
    return run_sql(VSTUDIO_LIVE_SQL, {"session_id": _uuid("session_id", session_id)})


TOP_MASTERS_SQL = """
with last_day as (
    select max(stream_date) as last_day from marts.fct_streams_daily
),
totals as (
    select daily.master_id, cast(sum(daily.streams) as bigint) as streams
    from marts.fct_streams_daily as daily
    cross join last_day
    where daily.stream_date > last_day.last_day - cast(%(days)s as integer)
      and daily.stream_date <= last_day.last_day
      and ({platform_filter})
    group by daily.master_id
)
select
    row_number() over (order by totals.streams desc, totals.master_id) as rank,
    totals.master_id,
    masters.title,
    masters.artist_name,
    totals.streams,
    (select last_day from last_day) as last_day
from totals
inner join marts.dim_masters as masters on masters.master_id = totals.master_id
where totals.streams > 0
order by rank
limit %(limit)s
"""
_TOP_MASTERS_VARIANTS = {
    p: TOP_MASTERS_SQL.format(platform_filter="daily.platform = %(platform)s" if p else "true")
    for p in (False, True)
}
# The dashboard's windows (var top_masters_window_days) are ranked in advance per platform
# scope in fct_master_stream_windows: one index range instead of a sum over fct_streams_daily.
TOP_MASTERS_RANKED_SQL = """
select
    ranked.stream_rank as rank,
    ranked.master_id,
    masters.title,
    masters.artist_name,
    ranked.streams,
    ranked.as_of_date as last_day
from marts.fct_master_stream_windows as ranked
inner join marts.dim_masters as masters on masters.master_id = ranked.master_id
where ranked.window_days = %(days)s
  and ranked.platform_scope = coalesce(cast(%(platform)s as text), 'all')
  and cast(%(platform)s as text) is distinct from 'all'
  and ranked.stream_rank <= %(limit)s
order by ranked.stream_rank
"""


def top_masters(days: int = 7, platform: str | None = None, limit: int = 10) -> pd.DataFrame:
    """The most streamed masters over the ``days`` days ending on the last loaded day.

    All platforms unless ``platform`` (``audifi`` for own plays, or a DSP such as
    ``spotify``).  Ties are broken by ``master_id`` ascending; masters with no stream are left
    out.
    """
    days = _int("days", days, 1, 3650)
    limit = _int("limit", limit, 1, 100)
    platform = _optional_text("platform", platform)
    params = {"days": days, "platform": platform, "limit": limit}
    ranked = run_sql(TOP_MASTERS_RANKED_SQL, params)
    if not ranked.empty:
        return ranked
    # a window not ranked in advance (or no stream at all): sum the daily mart
    return run_sql(_TOP_MASTERS_VARIANTS[platform is not None], params)


STREAMS_TREND_SQL = """
select stream_date, streams, streams_7d, streams_28d, growth_7d_pct
from (
    select stream_date, streams, streams_7d, streams_28d, growth_7d_pct
    from marts.fct_master_streams_rolling
    where master_id = %(master_id)s
    order by stream_date desc
    limit cast(%(days)s as integer)
) as newest
order by stream_date
"""


def streams_trend(master_id: uuid.UUID | str, days: int = 90) -> pd.DataFrame:
    """Daily streams of a master (all platforms) with rolling 7/28-day sums and 7-day growth.

    The ``days`` days ending on the last loaded day (fewer when the master's first stream is
    more recent), oldest first.
    """
    params = {"master_id": _uuid("master_id", master_id), "days": _int("days", days, 1, 3650)}
    return run_sql(STREAMS_TREND_SQL, params)


REVENUE_MONTHLY_SQL = """
with last_month as (
    select max(revenue_month) as last_month from marts_finance.fct_revenue_monthly
)
select
    monthly.revenue_month,
    monthly.currency,
    sum(monthly.event_count) as event_count,
    sum(monthly.amount) as amount,
    sum(monthly.amount_usd) as amount_usd,
    sum(monthly.amount_usd_distributed) as amount_usd_distributed,
    sum(monthly.events_missing_usd) as events_missing_usd
from marts_finance.fct_revenue_monthly as monthly
cross join last_month
where monthly.artist_id = %(artist_id)s
  and monthly.revenue_month
      > last_month.last_month - make_interval(months => cast(%(months)s as integer))
group by monthly.revenue_month, monthly.currency
order by monthly.revenue_month, monthly.currency
"""


def revenue_monthly(artist_id: uuid.UUID | str, months: int = 12) -> pd.DataFrame:
    """An artist's revenue per month and currency (finance role only: ``marts_finance``).

    The ``months`` calendar months ending with the last month loaded; ``amount`` in the
    currency itself, ``amount_usd`` where the USD value is known, ``amount_usd_distributed``
    for distributed events only.  Months without revenue have no row.
    """
    params = {"artist_id": _uuid("artist_id", artist_id), "months": _int("months", months, 1, 240)}
    return run_sql(REVENUE_MONTHLY_SQL, params, role="finance")


MRR_MONTHLY_SQL = """
with last_month as (
    select max(invoice_month) as last_month from marts_finance.fct_subscription_invoices_monthly
)
select invoice_month, currency, invoice_count, paid_invoice_count, amount_due, amount_paid,
       mrr, new_mrr, churned_mrr, expansion_mrr
from marts_finance.fct_subscription_invoices_monthly
cross join last_month
where invoice_month
    > last_month.last_month - make_interval(months => cast(%(months)s as integer))
order by invoice_month, currency
"""


def mrr_monthly(months: int = 12) -> pd.DataFrame:
    """Subscription invoices and MRR per month and currency (finance role only).

    The ``months`` calendar months ending with the last invoice month loaded.
    """
    return run_sql(MRR_MONTHLY_SQL, {"months": _int("months", months, 1, 240)}, role="finance")


# -- the registry `audifi query` and the dashboard use --------------------------------------


@dataclass(frozen=True)
class NamedQuery:
    name: str
    func: Callable[..., pd.DataFrame]
    role: db.Role

    @property
    def summary(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0]

    def parameters(self) -> dict[str, tuple[type, bool]]:
        """Name → (base type, optional) from the function's type hints."""
        hints = get_type_hints(self.func)
        out = {}
        for name in inspect.signature(self.func).parameters:
            hint = hints[name]
            args = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
            optional = type(None) in args
            base = next(a for a in args if a is not type(None))
            out[name] = (base, optional)
        return out

    def call_with_text(self, raw: Mapping[str, str]) -> pd.DataFrame:
        """Run with parameters given as text (the CLI's ``key=value``), converted by type."""
        params = self.parameters()
        unknown = sorted(set(raw) - set(params))
        if unknown:
            raise QueryError(
                f"{self.name} has no parameter {unknown[0]!r}; it takes: {', '.join(params)}"
            )
        signature = inspect.signature(self.func)
        missing = [
            p
            for p, spec in signature.parameters.items()
            if spec.default is inspect.Parameter.empty and p not in raw
        ]
        if missing:
            raise QueryError(f"{self.name} needs --param {missing[0]}=…")
        values = {key: _convert(key, text, *params[key]) for key, text in raw.items()}
        return self.func(**values)


def _convert(name: str, text: str, base: type, optional: bool) -> Any:
    if optional and text == "":
        return None
    if base is int:
        if not re.fullmatch(r"[+-]?\d{1,30}", text.strip()):
            raise QueryError(f"{name} must be a whole number, got {text[:80]!r}")
        return int(text)
    return text  # UUIDs and text are checked by the query itself


QUERIES: dict[str, NamedQuery] = {
    q.name: q
    for q in (
        NamedQuery("artist_dashboard", artist_dashboard, "analyst"),
        NamedQuery("portfolio", portfolio, "analyst"),
        NamedQuery("marketplace", marketplace, "analyst"),
        NamedQuery("vstudio_live", vstudio_live, "analyst"),
        NamedQuery("top_masters", top_masters, "analyst"),
        NamedQuery("streams_trend", streams_trend, "analyst"),
        NamedQuery("revenue_monthly", revenue_monthly, "finance"),
        NamedQuery("mrr_monthly", mrr_monthly, "finance"),
    )
}


def get_query(name: str) -> NamedQuery:
    try:
        return QUERIES[name]
    except KeyError:
        raise QueryError(
            f"unknown query {name[:80]!r}: choose one of {', '.join(QUERIES)}"
        ) from None


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["key=value", …]`` → dict; a pair without ``=`` or given twice is an error."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError(f"--param takes key=value, got {pair[:80]!r}")
        if key in out:
            raise QueryError(f"--param {key} is given twice")
        out[key] = value
    return out
