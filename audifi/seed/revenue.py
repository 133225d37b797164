"""Revenue: DSP statement lines, revenue intake and its lifecycle into dividend contracts, for
the full seed and for appended days.

Money flow: verified revenue is deposited (holders' share, in the contract's token) into the
master's dividend contract (or the artist's, or the platform pool), distributed pro rata to the
NFT holders at a snapshot, and claimed by the holders over time (claimed <= earned <=
deposited).  The full seed's revenue events are few (one per master and month, plus occasional
other income); the per-holder facts they fan out to (accruals, claims, balances) are numpy
arrays built in ``dividends``, so the stage's memory stays small at ``large``.

Appended days add statement lines (each master continues its cadence), distributor
settlements and other sources; the lifecycle of open revenue (verify, deposit, distribute,
claim) is ``append_dividends``' job.  Distributor revenue settles a closed month's statement
lines of one master (STR-04: royalties are whole cents, so Σ lines = ``amount_usd`` exactly);
the settlement instant is keyed by (master, month), so a month settles in exactly one window
however the days are appended.  The timing rules of the lifecycle are in ``money``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import numpy as np
import psycopg

from audifi.seed.append_state import Window
from audifi.seed.context import COUNTRIES, COUNTRY_WEIGHTS, Ctx
from audifi.seed.copy_loader import Loader
from audifi.seed.dividends import ChainEvents, claims_and_balances
from audifi.seed.identity import PLATFORM_ADMIN
from audifi.seed.ids import keyed_uniform
from audifi.seed.money import (
    DEPOSIT_DAYS,
    DISTRIBUTE_DAYS,
    HOLDERS_SHARE_POOLED,
    delay_days,
    dividend_token,
    fiat_amount,
    holders_units,
    pick_currency,
    revenue_fate,
    usd,
    verify_days,
)
from audifi.seed.nfts import owner_at
from audifi.seed.timeline import CHAINS, DAY, block_at, block_end, chain_by_id, iso

DSP_PLATFORMS = np.array(["spotify", "apple_music", "youtube_music", "amazon_music"])
EUR_COUNTRIES = ("DE", "FR")  # their DSP statements are in EUR
CENTS_PER_STREAM = (0.25, 0.5)  # a statement line's royalty: whole cents (STR-04)
LISTENER_SHARE = (0.5, 0.95)  # listeners per stream of a statement line
STATEMENT_DELAY_DAYS = 2  # from a statement day to its ingestion
OTHER_PER_MASTER_MONTH = 0.5  # non-distributor revenue events per released master
DISTRIBUTORS = ["DistroKid", "TuneCore", "CD Baby"]
OTHER_SOURCES = [
    ("pro", "ASCAP"),
    ("sync", "Netflix sync"),
    ("merchandise", "Merch store"),
    ("live", "Live show"),
    ("direct", "Direct sale"),
    ("secondary", "Royalties"),
]


def revenue_row(
    master: str,
    source: str,
    name: str,
    cents: int,
    currency: str,
    period: tuple[int, int],
    created: int,
) -> dict[str, Any]:
    """A revenue event of ``cents`` (USD) in ``currency``, pending at ``created``: a foreign
    amount has no ``amount_usd`` until it is verified."""
    return {
        "master_id": master,
        "source_type": source,
        "source_name": name,
        "amount": fiat_amount(cents, currency),
        "currency": currency,
        "amount_usd": usd(cents) if currency == "USD" else None,
        "period_start": period[0],
        "period_end": period[1],
        "status": "pending",
        "created_at": created,
        "updated_at": created,
    }


def month_starts(start: int, end: int) -> list[int]:
    d = datetime.fromtimestamp(start, UTC).replace(day=1, hour=0, minute=0, second=0)
    out = []
    while int(d.timestamp()) < end:
        out.append(int(d.timestamp()))
        d = d.replace(year=d.year + 1, month=1) if d.month == 12 else d.replace(month=d.month + 1)
    out.append(int(d.timestamp()))
    return out


def generate_revenue(ctx: Ctx) -> None:
    _dividend_contracts(ctx)
    _dsp_lines(ctx)
    _revenue_events(ctx)
    claims_and_balances(ctx)


def _dividend_contracts(ctx: Ctx) -> None:
    rng = ctx.rng
    rows = []
    per_master: dict[int, dict] = {}
    for c in ctx.rows["master_contracts"]:
        chain = chain_by_id(c["chain_id"])
        t = c["deployed_at"] + 600
        row = {
            "id": ctx.ids.uuid("dividend_contracts"),
            "master_id": c["master_id"],
            "artist_id": None,
            "distribution_model": "per_master",
            "chain_id": chain.chain_id,
            "contract_address": ctx.ids.addresses("dividend_contract", 1)[0],
            "deployment_tx_hash": ctx.ids.tx_hashes(f"deploy{chain.chain_id}", 1)[0],
            "deployed_at_block": int(block_at(chain, t)[0]),
            "deployed_at": t,
            "linked_master_contract": c["contract_address"],
            "created_at": t,
            "updated_at": t,
            "_chain": chain,
            "_master_contract": c,
        }
        rows.append(row)
        per_master[c["_ipo"]["_master"]] = row
    per_artist: dict[int, dict] = {}
    a_ids = ctx.dims["artists"]["id"]
    a_created = ctx.dims["artists"]["created"]
    polygon = chain_by_id("137")
    for k in range(len(a_ids)):
        if rng.random() < 0.2:
            t = int(a_created[k]) + DAY
            per_artist[k] = {
                "id": ctx.ids.uuid("dividend_contracts"),
                "master_id": None,
                "artist_id": a_ids[k],
                "distribution_model": "per_artist",
                "chain_id": "137",
                "contract_address": ctx.ids.addresses("dividend_contract", 1)[0],
                "deployment_tx_hash": ctx.ids.tx_hashes("deploy137", 1)[0],
                "deployed_at_block": int(block_at(polygon, t)[0]),
                "deployed_at": t,
                "created_at": t,
                "updated_at": t,
                "_chain": polygon,
            }
            rows.append(per_artist[k])
    eth = CHAINS[0]
    platform = {
        "id": ctx.ids.uuid("dividend_contracts"),
        "master_id": None,
        "artist_id": None,
        "distribution_model": "platform",
        "chain_id": "1",
        "contract_address": ctx.ids.addresses("dividend_contract", 1)[0],
        "deployment_tx_hash": ctx.ids.tx_hashes("deploy1", 1)[0],
        "deployed_at_block": int(block_at(eth, ctx.start)[0]),
        "deployed_at": ctx.start,
        "created_at": ctx.start,
        "updated_at": ctx.start,
        "_chain": eth,
    }
    rows.append(platform)
    for k, row in enumerate(rows):
        row["_idx"] = k
    ctx.rows["dividend_contracts"] = rows
    ctx.dims["div_targets"] = (per_master, per_artist, platform)


def _dsp_lines(ctx: Ctx) -> None:
    """Statement lines per master, platform, country and (sampled) day, as numpy columns."""
    rng = ctx.rng
    m = ctx.dims["masters"]
    every = 7 if ctx.scale.plays <= 500_000 else (14 if ctx.scale.plays <= 3_000_000 else 28)
    cols: dict[str, list[np.ndarray]] = defaultdict(list)
    end_day = ctx.end // DAY
    for i in np.flatnonzero(m["release"] >= 0):
        d0 = m["release"][i] // DAY + 1
        days = np.arange(d0 + (i - d0) % every, end_day, every)
        if len(days) == 0:
            continue
        n_pl = int(rng.integers(2, 5))
        plats = rng.choice(4, n_pl, replace=False)
        ctry = rng.choice(len(COUNTRIES), ctx.scale.dsp_countries, replace=False, p=COUNTRY_WEIGHTS)
        combos = np.array([(p, c) for p in plats for c in ctry])
        dd = np.repeat(days, len(combos))
        pc = np.tile(combos, (len(days), 1))
        lam = m["pop"][i] * 40 * np.linspace(0.7, 1.2, len(dd))
        streams = rng.poisson(lam)
        cols["master"].append(np.full(len(dd), i))
        cols["platform"].append(pc[:, 0])
        cols["country"].append(pc[:, 1])
        cols["day"].append(dd)
        cols["streams"].append(streams)
        cols["listeners"].append((streams * rng.uniform(*LISTENER_SHARE, len(dd))).astype(np.int64))
        # royalties in whole cents, so statement sums reconcile exactly (STR-04)
        cols["cents"].append(
            np.round(streams * rng.uniform(*CENTS_PER_STREAM, len(dd))).astype(np.int64)
        )
    lines = {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in cols.items()}
    if not lines:
        lines = {
            k: np.zeros(0, np.int64)
            for k in ("master", "platform", "country", "day", "streams", "listeners", "cents")
        }
    lines["eur"] = np.isin(COUNTRIES[lines["country"]], EUR_COUNTRIES)
    lines["revenue"] = np.full(len(lines["day"]), -1)
    ctx.dims["dsp"] = lines


def _target(ctx: Ctx, master: int, t: int) -> dict:
    per_master, per_artist, platform = ctx.dims["div_targets"]
    c = per_master.get(master)
    if c is not None and c["deployed_at"] < t:
        return c
    a = per_artist.get(int(ctx.dims["masters"]["artist"][master]))
    if a is not None and a["deployed_at"] < t:
        return a
    return platform


def _revenue_events(ctx: Ctx) -> None:
    rng = ctx.rng
    m = ctx.dims["masters"]
    lines = ctx.dims["dsp"]
    months = month_starts(ctx.start, ctx.end)
    month_idx = np.searchsorted(np.array(months), lines["day"] * DAY, side="right") - 1
    events = []  # (master, source, name, amount_cents_usd, period_start, period_end, line_sel)
    order = np.lexsort((month_idx, lines["master"]))
    key = lines["master"][order] * 1000 + month_idx[order]
    bounds = np.r_[0, np.flatnonzero(np.diff(key)) + 1, len(key)]
    for a, b in pairwise(bounds):
        sel = order[a:b]
        mo = int(month_idx[sel[0]])
        if months[mo + 1] > ctx.end:  # the current month is not settled yet
            continue
        cents = int(lines["cents"][sel].sum())
        if cents == 0:
            continue
        master = int(lines["master"][sel[0]])
        events.append(
            (
                master,
                "distributor",
                DISTRIBUTORS[master % 3],
                cents,
                months[mo],
                months[mo + 1] - 1,
                sel,
            )
        )
    for i in np.flatnonzero(m["release"] >= 0):
        span_months = (ctx.end - m["release"][i]) / (30 * DAY)
        for _ in range(rng.poisson(OTHER_PER_MASTER_MONTH * span_months)):
            src, name = OTHER_SOURCES[int(rng.integers(0, len(OTHER_SOURCES)))]
            p0 = int(m["release"][i] + rng.random() * (ctx.end - m["release"][i] - 10 * DAY))
            p0 = p0 // DAY * DAY
            if p0 < m["release"][i]:
                continue
            cents = int(rng.lognormal(np.log(max(m["pop"][i], 0.05) * 20000), 1.0))
            events.append((int(i), src, name, cents, p0, p0 + 7 * DAY - 1, None))
    events.sort(key=lambda e: (e[5], e[0], e[1]))

    rows = []
    nfts = ctx.dims["nfts"]
    ipo_of_master = {ipo["_master"]: ipo for ipo in ctx.rows["master_ipos"]}
    tok_of_master: dict[int, np.ndarray] = {}
    c_master = nfts["c_master"][nfts["contract"]]
    order_t = np.argsort(c_master, kind="stable")
    bnd = np.r_[0, np.flatnonzero(np.diff(c_master[order_t])) + 1, len(order_t)]
    for a, b in pairwise(bnd):
        if b > a:
            tok_of_master[int(c_master[order_t[a]])] = order_t[a:b]
    chain_events = ChainEvents()
    # per distribution: holders' wallets, their amounts, the master and the instant (numpy)
    acc_wallet: list[np.ndarray] = []
    acc_amount: list[np.ndarray] = []
    acc_master: list[int] = []
    acc_t: list[int] = []
    last_dist: dict[int, tuple[int, np.ndarray, np.ndarray, int]] = {}
    admin = ctx.dims["users"]["id"][PLATFORM_ADMIN]
    for master, src, name, cents, p0, p1, sel in events:
        created = p1 + 1 + int(rng.uniform(1, 4) * DAY)
        if created >= ctx.end:
            continue
        rid = ctx.ids.uuid("revenue_events")
        cur = "USD" if src == "distributor" else pick_currency(rng.random())
        row = revenue_row(m["id"][master], src, name, cents, cur, (p0, p1), created)
        row.update(
            id=rid,
            external_reference=f"{src}-{len(rows):07d}",
            metadata={"lines": len(sel)} if sel is not None else None,
        )
        rows.append(row)
        if sel is not None:
            lines["revenue"][sel] = len(rows) - 1
        fate = revenue_fate(rng.random())
        verified = created + int(delay_days(verify_days(cur), rng.random()) * DAY)
        if verified >= ctx.end:
            continue
        row["amount_usd"] = usd(cents)
        if fate is not None:
            row.update(status=fate, updated_at=verified)
            continue
        row.update(status="verified", verified_at=verified, verified_by=admin, updated_at=verified)
        deposited = verified + int(delay_days(DEPOSIT_DAYS, rng.random()) * DAY)
        if deposited >= ctx.end:
            continue
        target = _target(ctx, master, deposited)
        chain = target["_chain"]
        share = (
            ipo_of_master[master]["revenue_share_nft_holders_bps"]
            if (target["distribution_model"] == "per_master")
            else HOLDERS_SHARE_POOLED
        )
        units = holders_units(cents, share, dividend_token(target["contract_address"]))
        tx = ctx.ids.tx_hashes(f"div{chain.chain_id}", 1)[0]
        row.update(
            status="deposited",
            deposited_to_contract_id=target["id"],
            deposit_tx_hash=tx,
            deposited_at=deposited,
            updated_at=deposited,
        )
        chain_events.add(target, master, "deposit", tx, deposited, units, len(rows) - 1)
        dist_t = deposited + int(delay_days(DISTRIBUTE_DAYS, rng.random()) * DAY)
        if dist_t >= ctx.end:
            continue
        per_token, holders, n_tokens = None, None, 0
        if target["distribution_model"] == "per_master":
            toks = tok_of_master.get(master, np.zeros(0, int))
            owners = owner_at(ctx, toks, np.full(len(toks), block_end(chain, dist_t)))
            held = owners >= 0
            n_tokens = int(held.sum())
            if n_tokens == 0:
                continue
            per_token = units // n_tokens
            total = per_token * n_tokens
            toks, owners = toks[held], owners[held]
            nfts["dividends"][toks] += per_token
            wallets, counts = np.unique(owners, return_counts=True)
            holders = len(wallets)
            acc_wallet.append(wallets)
            acc_amount.append(counts.astype(np.int64) * per_token)
            acc_master.append(master)
            acc_t.append(dist_t)
            last_dist[master] = (dist_t, toks, owners, 0)
        else:
            total = units
        tx2 = ctx.ids.tx_hashes(f"div{chain.chain_id}", 1)[0]
        chain_events.add(
            target,
            master,
            "distribution",
            tx2,
            dist_t,
            total,
            len(rows) - 1,
            holders=-1 if holders is None else holders,
            per_token=-1 if per_token is None else per_token,
        )
        row.update(status="distributed", updated_at=dist_t)
    ctx.rows["revenue_events"] = rows
    ctx.dims["dsp_revenue_ids"] = [r["id"] for r in rows]
    ctx.dims["div_events"] = chain_events
    sizes = [len(w) for w in acc_wallet]
    ctx.dims["accruals"] = {
        "wallet": np.concatenate(acc_wallet) if acc_wallet else np.zeros(0, np.int64),
        "amount": np.concatenate(acc_amount) if acc_amount else np.zeros(0, np.int64),
        "master": np.repeat(np.array(acc_master, np.int64), sizes),
        "t": np.repeat(np.array(acc_t, np.int64), sizes),
    }
    ctx.dims["last_dist"] = last_dist


# -- appended days


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
            cents = round(n * rng.uniform(*CENTS_PER_STREAM))
            eur = country in EUR_COUNTRIES
            rows.append(
                {
                    "id": w.ids.uuid("dsp_stream_reports"),
                    "master_id": master,
                    "platform": platform,
                    "country_code": country,
                    "report_date": iso(day * DAY)[:10],
                    "stream_count": n,
                    "listener_count": int(n * rng.uniform(*LISTENER_SHARE)),
                    "royalty_amount": fiat_amount(cents, "EUR" if eur else "USD"),
                    "currency": "EUR" if eur else "USD",
                    "royalty_amount_usd": usd(cents),
                    "statement_id": f"STMT-{platform}-{iso(day * DAY)[:7]}",
                    "ingested_at": (day + STATEMENT_DELAY_DAYS) * DAY,
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
            revenue_row(master, "distributor", name, cents, "USD", (m0, m1 - 1), created)
            | {
                "metadata": {"lines": n_lines},
                "_lines": (master, m0_day, m1 // DAY),
                "_cents": cents,
            }
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
    counts = rng.poisson(OTHER_PER_MASTER_MONTH / 30 * w.days, len(masters))
    out = []
    for (master, release, median), k in zip(masters, counts.tolist(), strict=True):
        for _ in range(k):
            src, name = OTHER_SOURCES[int(rng.integers(0, len(OTHER_SOURCES)))]
            created = int(rng.integers(w.start + 60, w.end - 120))
            p0 = (created - int(rng.uniform(8, 11) * DAY)) // DAY * DAY
            cents = int(rng.lognormal(np.log(float(median or typical) * 100), 1.0)) + 1
            cur = pick_currency(rng.random())
            if p0 >= release:
                row = revenue_row(master, src, name, cents, cur, (p0, p0 + 7 * DAY - 1), created)
                out.append(row | {"_cents": cents})
    return out


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
