"""Revenue intake of the appended days: DSP statement lines, distributor settlements, other
sources.  The lifecycle (verify, deposit, distribute, claim) is ``append_dividends``' job.

Distributor revenue settles a closed month's statement lines of one master (STR-04: royalties
are whole cents, so Σ lines = ``amount_usd`` exactly); the settlement instant is keyed by
(master, month), so a month settles in exactly one window however the days are appended.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import psycopg

from audifi.seed.append_state import Window
from audifi.seed.copy_loader import Loader
from audifi.seed.generate_revenue import DISTRIBUTORS, OTHER_SOURCES
from audifi.seed.ids import keyed_uniform
from audifi.seed.money import fiat_amount, pick_currency, usd
from audifi.seed.timeline import DAY, iso

OTHER_PER_MASTER_DAY = 0.25 / 30  # the history's rate of non-distributor revenue
EUR_COUNTRIES = {"DE", "FR"}

# Each master's latest statement day, its cadence (days between statements) and lines.
LAST_LINES_SQL = """
WITH last AS (SELECT master_id, max(report_date) AS d FROM oltp.dsp_stream_reports GROUP BY 1),
prev AS (SELECT r.master_id, max(r.report_date) AS d FROM oltp.dsp_stream_reports r
         JOIN last l ON l.master_id = r.master_id AND r.report_date < l.d GROUP BY 1)
SELECT r.master_id::text, l.d - date '1970-01-01', coalesce(l.d - p.d, 7), r.platform::text,
       r.country_code, r.stream_count
FROM last l LEFT JOIN prev p USING (master_id)
JOIN oltp.dsp_stream_reports r ON r.master_id = l.master_id AND r.report_date = l.d
ORDER BY 1, 4, 5"""

UNSETTLED_SQL = """
SELECT master_id::text, date_trunc('month', report_date)::date - date '1970-01-01',
       sum(round(royalty_amount_usd * 100))::bigint, count(*)
FROM oltp.dsp_stream_reports WHERE revenue_event_id IS NULL
GROUP BY 1, 2 ORDER BY 1, 2"""


def next_month(t: int) -> int:
    d = datetime.fromtimestamp(t, UTC)
    d = d.replace(year=d.year + 1, month=1) if d.month == 12 else d.replace(month=d.month + 1)
    return int(d.timestamp())


def append_dsp_lines(conn: psycopg.Connection, writer: Loader, w: Window) -> None:
    """Each master's statements continue at its cadence, on the same platforms/countries."""
    rng = w.rng("dsp")
    rows = []
    first, last = w.start // DAY, w.end // DAY
    for master, d, gap, platform, country, streams in conn.execute(LAST_LINES_SQL):
        for day in range(d + gap * max(1, -(-(first - d) // gap)), last, gap):
            n = int(rng.poisson(max(int(streams), 1) * rng.uniform(0.85, 1.15)))
            cents = round(n * rng.uniform(0.25, 0.5))
            eur = country in EUR_COUNTRIES
            rows.append(
                {
                    "id": w.ids.uuid("dsp_stream_reports"),
                    "master_id": master,
                    "platform": platform,
                    "country_code": country,
                    "report_date": iso(day * DAY)[:10],
                    "stream_count": n,
                    "listener_count": int(n * rng.uniform(0.5, 0.95)),
                    "royalty_amount": fiat_amount(cents, "EUR" if eur else "USD"),
                    "currency": "EUR" if eur else "USD",
                    "royalty_amount_usd": usd(cents),
                    "statement_id": f"STMT-{platform}-{iso(day * DAY)[:7]}",
                    "ingested_at": (day + 2) * DAY,  # the seed's statement delay
                }
            )
    writer.copy_rows("dsp_stream_reports", rows)


def new_revenue(conn: psycopg.Connection, w: Window) -> list[dict[str, Any]]:
    """Revenue events created in the window (status ``pending``), oldest first; distributor
    settlements carry ``_lines`` = (master, first day, end day) of the lines they settle."""
    base = conn.execute("SELECT count(*) FROM oltp.revenue_events").fetchone()[0]  # type: ignore[index]
    names = dict(
        conn.execute(
            """SELECT DISTINCT ON (master_id) master_id::text, source_name
               FROM oltp.revenue_events WHERE source_type = 'distributor'
               ORDER BY master_id, created_at DESC"""
        ).fetchall()
    )
    events: list[dict[str, Any]] = []
    for master, m0_day, cents, n_lines in conn.execute(UNSETTLED_SQL).fetchall():
        m0 = m0_day * DAY
        m1 = next_month(m0)
        jitter = keyed_uniform(w.seed, "settle", master, m0)
        created = w.clamp(m1 + DAY + int(jitter * 3 * DAY), jitter)
        if created >= w.end - 120 or cents <= 0:
            continue
        name = names.get(master) or DISTRIBUTORS[int(keyed_uniform(w.seed, "dist", master) * 3)]
        events.append(
            _event(master, "distributor", name, cents, "USD", m0, m1 - 1, created)
            | {"metadata": {"lines": n_lines}, "_lines": (master, m0_day, m1 // DAY)}
        )
    events.extend(_other_revenue(conn, w))
    events.sort(key=lambda e: (e["created_at"], e["master_id"], e["source_type"]))
    for k, e in enumerate(events):
        e["id"] = w.ids.uuid("revenue_events")
        e["external_reference"] = f"{e['source_type']}-{base + k:07d}"
    return events


def _other_revenue(conn: psycopg.Connection, w: Window) -> list[dict[str, Any]]:
    """PRO, sync, merch, live… per released master at the history's rate."""
    masters = conn.execute(
        """SELECT m.id::text, extract(epoch FROM m.release_date)::bigint,
                  percentile_disc(0.5) WITHIN GROUP (ORDER BY r.amount_usd)
           FROM oltp.masters m
           LEFT JOIN oltp.revenue_events r ON r.master_id = m.id
             AND r.source_type <> 'distributor'
           WHERE m.release_date IS NOT NULL AND m.status IN ('approved', 'live', 'archived')
           GROUP BY m.id ORDER BY m.id"""
    ).fetchall()
    typical = np.median([float(m[2]) for m in masters if m[2] is not None] or [200.0])
    rng = w.rng("revenue")
    counts = rng.poisson(OTHER_PER_MASTER_DAY * w.days, len(masters))
    out = []
    for (master, release, median), k in zip(masters, counts.tolist(), strict=True):
        for _ in range(k):
            src, name = OTHER_SOURCES[int(rng.integers(0, len(OTHER_SOURCES)))]
            created = int(rng.integers(w.start + 60, w.end - 120))
            p0 = (created - int(rng.uniform(8, 11) * DAY)) // DAY * DAY
            cents = int(rng.lognormal(np.log(float(median or typical) * 100), 1.0)) + 1
            cur = pick_currency(rng.random())
            if p0 >= release:
                out.append(_event(master, src, name, cents, cur, p0, p0 + 7 * DAY - 1, created))
    return out


def _event(
    master: str,
    source: str,
    name: str,
    cents: int,
    currency: str,
    p0: int,
    p1: int,
    created: int,
) -> dict[str, Any]:
    return {
        "master_id": master,
        "source_type": source,
        "source_name": name,
        "amount": fiat_amount(cents, currency),
        "currency": currency,
        "amount_usd": usd(cents) if currency == "USD" else None,  # converted on verification
        "period_start": p0,
        "period_end": p1,
        "status": "pending",
        "created_at": created,
        "updated_at": created,
        "_cents": cents,
    }


def link_statement_lines(conn: psycopg.Connection, events: list[dict[str, Any]]) -> None:
    """Point the settled lines at their (already inserted) distributor revenue event."""
    links = [(*e["_lines"], e["id"]) for e in events if "_lines" in e]
    if not links:
        return
    with conn.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE append_settle (master_id uuid, d0 int, d1 int, rid uuid) "
            "ON COMMIT DROP"
        )
        with cur.copy("COPY append_settle FROM STDIN") as copy:
            for link in links:
                copy.write_row(link)
        cur.execute(
            """UPDATE oltp.dsp_stream_reports r SET revenue_event_id = s.rid
               FROM append_settle s
               WHERE r.master_id = s.master_id AND r.revenue_event_id IS NULL
                 AND r.report_date >= date '1970-01-01' + s.d0
                 AND r.report_date < date '1970-01-01' + s.d1"""
        )
        cur.execute("DROP TABLE append_settle")
