"""The short summary `make demo` ends with: four figures analysts ask first, from the marts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import psycopg
from rich.console import Console
from rich.table import Table

from audifi.cluster import Cluster
from audifi.errors import AudifiError

DASHBOARD_URL = "http://127.0.0.1:8501"


@dataclass(frozen=True)
class Section:
    title: str
    explanation: str
    sql: str


SECTIONS = (
    Section(
        "Top artists by distributed revenue",
        "Σ amount_usd of their masters' revenue events in status `distributed` "
        "(marts_finance.fct_artist_performance).",
        """SELECT artist_name, total_revenue_usd, total_masters, total_nfts_minted
           FROM marts_finance.fct_artist_performance
           ORDER BY total_revenue_usd DESC, artist_id LIMIT 5""",
    ),
    Section(
        "Dividends outstanding per currency",
        "Distributed but not yet claimed, in base units of each currency — never added "
        "across currencies (marts.fct_dividend_contract_balances).",
        """SELECT currency, count(*) AS contracts, sum(unclaimed_liability) AS unclaimed_liability,
                  sum(undistributed) AS undistributed
           FROM marts.fct_dividend_contract_balances
           GROUP BY currency ORDER BY currency""",
    ),
    Section(
        "Top streamed masters in the latest week",
        "Streams on every platform in the newest ISO week loaded (marts.fct_top_masters_weekly).",
        """SELECT t.week_start, t.rank, m.title, m.artist_name, t.streams
           FROM marts.fct_top_masters_weekly t
           JOIN marts.dim_masters m ON m.master_id = t.master_id
           WHERE t.week_start = (SELECT max(week_start) FROM marts.fct_top_masters_weekly)
           ORDER BY t.rank LIMIT 5""",
    ),
    Section(
        "V Studio turnout",
        "Per session status: sessions, votes cast, and voters as a share of signed-in viewers "
        "(marts.fct_vstudio_sessions, marts.fct_vstudio_funnel).",
        """SELECT s.status, count(*) AS sessions, sum(s.votes) AS votes,
                  sum(f.viewers) AS viewers, sum(f.voters) AS voters,
                  round(100.0 * sum(f.voters) / nullif(sum(f.viewers), 0), 1) AS turnout_pct
           FROM marts.fct_vstudio_sessions s
           JOIN marts.fct_vstudio_funnel f ON f.session_id = s.session_id
           GROUP BY s.status ORDER BY sessions DESC""",
    ),
)


def _shown(value: object) -> str:
    """Presentation only: thousands separators; fiat rounded to the cent, base units exact."""
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return f"{value:,.0f}" if isinstance(exponent, int) and exponent >= 0 else f"{value:,.2f}"
    return "–" if value is None else str(value)


def print_summary(cluster: Cluster, out: Console) -> None:
    with cluster.analytics.connect() as conn:
        for section in SECTIONS:
            try:
                cursor = conn.execute(section.sql)
            except psycopg.Error as exc:  # a mart that is missing or not built yet
                first = str(exc).strip().splitlines()[0]
                raise AudifiError(
                    f"cannot read the marts ({first}): run `audifi build` first"
                ) from None
            table = Table(title=section.title, caption=section.explanation, caption_justify="left")
            for column in cursor.description:
                table.add_column(column.name, justify="right")
            for row in cursor.fetchall():
                table.add_row(*(_shown(v) for v in row))
            out.print(table)
    out.print(
        f"Dashboard: run `.venv/bin/audifi dashboard`, then open {DASHBOARD_URL} "
        "(artists, portfolios, marketplace, V Studio sessions, streaming charts)."
    )
