"""Revenue: DSP statement lines, revenue events and their lifecycle, one keyed simulation for both
paths; ``dividends.Ledger`` books deposits and payouts, ``money`` has timing and currency rules."""

from __future__ import annotations

from collections.abc import Iterator
from operator import itemgetter

import numpy as np
import psycopg
from psycopg.rows import dict_row

from audifi.seed import dividends, keyed, money, tsv
from audifi.seed.context import COUNTRIES, COUNTRY_WEIGHTS, Run
from audifi.seed.copy_loader import Loader, Row
from audifi.seed.dividends import Ledger
from audifi.seed.identity import PLATFORM_ADMIN
from audifi.seed.ids import IdFactory
from audifi.seed.nfts import Holdings, Market
from audifi.seed.scales import Scale
from audifi.seed.timeline import DAY, NEVER, after

DSP_PLATFORMS = np.array(["spotify", "apple_music", "youtube_music", "amazon_music"])
EUR_COUNTRIES = ("DE", "FR")  # their DSP statements are in EUR
CENTS_PER_STREAM = (0.25, 0.5)  # a statement line's royalty: whole cents (STR-04)
LISTENER_SHARE = (0.5, 0.95)  # listeners per stream of a statement line
STREAMS_PER_POP = 40  # mean streams of a line per unit of master popularity, once established
STATEMENT_DELAY_DAYS = 2  # from a statement day to its ingestion
SETTLE_DAYS = (1.0, 3.0)  # from a month's end to its distributor settlement (lo, span)
OTHER_PER_MASTER_MONTH = 0.5  # non-distributor revenue events per released master
DISTRIBUTORS = ["DistroKid", "TuneCore", "CD Baby"]
OTHER_TYPES = ("pro", "sync", "merchandise", "live", "direct", "secondary")  # other sources, named:
OTHER_NAMES = ("ASCAP", "Netflix sync", "Merch store", "Live show", "Direct sale", "Royalties")
SETTLEMENT_SLOT = 255  # a revenue number's slot of the distributor settlement
LINE_COLUMNS = ("master", "platform", "country", "day", "number", "streams", "listeners", "cents")
BY_CREATION = itemgetter("created_at", "_number")  # the order revenue is advanced in


def statement_lines(seed: int, scale: Scale, m: dict, day0: int, day1: int) -> dict:
    """The statement lines of days [day0, day1) as numpy columns (``revenue`` -1: unsettled)."""
    every = 7 if scale.plays <= 500_000 else (14 if scale.plays <= 3_000_000 else 28)
    number, nc = np.arange(len(m["id"]), dtype=np.int64), len(COUNTRIES)
    # platforms (-1: none), and countries by weight without replacement (the largest u^(1/w))
    n_platforms = 2 + (keyed.uniform(seed, "dsp-platforms", number) * 3).astype(np.int64)
    slots = np.arange(4)
    platform = np.argsort(keyed.uniform(seed, "dsp-platform", number[:, None] * 4 + slots), 1)
    platform = np.where(slots < n_platforms[:, None], platform, -1)
    u = keyed.uniform(seed, "dsp-country", number[:, None] * nc + np.arange(nc))
    country = np.argsort(np.log(u) / COUNTRY_WEIGHTS, 1)[:, ::-1][:, : scale.dsp_countries]
    first = np.where(m["release"] >= 0, m["release"] // DAY + 1, NEVER)  # the next day
    parts = [(np.zeros(0, np.int64),) * len(LINE_COLUMNS)]  # (a window may have no day)
    for day in range(day0, day1):
        due = np.flatnonzero((first <= day) & (number % every == day % every))
        k, p, c = np.nonzero(np.repeat(platform[due, :, None] >= 0, country.shape[1], 2))
        master, n, rng = due[k], len(k), keyed.day_rng(seed, "dsp", day)
        age = np.minimum(1.0, (day - first[master]) / 365)  # years since release, up to one
        streams = rng.poisson(m["pop"][master] * STREAMS_PER_POP * (0.7 + 0.5 * age))
        listeners = (streams * rng.uniform(*LISTENER_SHARE, n)).astype(np.int64)
        cents = np.round(streams * rng.uniform(*CENTS_PER_STREAM, n)).astype(np.int64)
        where = (master, platform[master, p], country[master, c], np.full(n, day))
        parts.append((*where, day * (1 << 24) + np.arange(n), streams, listeners, cents))
    lines = dict(zip(LINE_COLUMNS, map(np.concatenate, zip(*parts, strict=True)), strict=True))
    return lines | {"revenue": np.full(len(lines["day"]), -1)}


def dsp_frames(
    seed: int, lines: dict, master_ids: list[str], revenue_ids: list[str]
) -> Iterator[dict[str, np.ndarray | bytes]]:
    """``dsp_stream_reports`` of ``lines`` (``revenue`` indexes ``revenue_ids``; -1: NULL)."""
    m_ids, rev_ids = (tsv.with_null(tsv.as_bytes(ids)) for ids in (master_ids, revenue_ids))
    platforms, countries = tsv.as_bytes(DSP_PLATFORMS), tsv.as_bytes(COUNTRIES)
    ids = IdFactory(seed).uuid_array_at("dsp_stream_reports", lines["number"])
    for s in tsv.chunks(len(ids)):
        cents, day, country = lines["cents"][s], lines["day"][s], lines["country"][s]
        eur, usd = np.isin(COUNTRIES, EUR_COUNTRIES)[country], tsv.cents(cents)
        euros = [money.fiat_amount(c, "EUR") for c in cents[eur].tolist()]  # at the fixed rate
        amount = usd.astype(f"S{max(usd.itemsize, 24)}")
        amount[eur] = tsv.as_bytes(euros) if euros else amount[eur]
        platform = platforms[lines["platform"][s]]
        yield {
            "id": ids[s],
            "master_id": m_ids[lines["master"][s]],
            "platform": platform,
            "country_code": countries[country],
            "report_date": tsv.dates(day),
            "stream_count": tsv.ints(lines["streams"][s]),
            "listener_count": tsv.ints(lines["listeners"][s]),
            "royalty_amount": amount,
            "currency": np.where(eur, b"EUR", b"USD"),
            "royalty_amount_usd": usd,
            "statement_id": tsv.concat(b"STMT-", platform, b"-", tsv.dates(day).astype("S7")),
            "revenue_event_id": rev_ids[lines["revenue"][s]],
            "ingested_at": tsv.timestamps((day + STATEMENT_DELAY_DAYS) * DAY),
        }


def month_of(day: np.ndarray, months: int = 0) -> np.ndarray:
    """The first day of the month ``months`` after each day's month."""
    month = np.asarray(day, np.int64).astype("datetime64[D]").astype("datetime64[M]") + months
    return month.astype("datetime64[D]").astype(np.int64)


def revenue_row(
    day: int,
    master: int,
    slot: int,
    m: dict,
    source: tuple[str, str],
    cents: int,
    currency: str,
    period: tuple[int, int],
    created: int,
) -> Row:
    """Event (day, master, slot) of ``cents`` (USD) in ``currency``, pending at ``created``."""
    number = (day << 32) | (master << 8) | slot  # a settlement's day: its month's first
    return {
        "master_id": m["id"][master],
        "source_type": source[0],
        "source_name": source[1],
        "amount": money.fiat_amount(cents, currency),
        "currency": currency,
        "amount_usd": money.usd(cents) if currency == "USD" else None,
        "period_start": period[0],
        "period_end": period[1],
        "status": "pending",
        "external_reference": f"{source[0]}-{number}",
        "created_at": created,
        "updated_at": created,
        "_number": number,
        "_cents": cents,
    }


def settlements(
    seed: int, m: dict, lines: dict, start: int, end: int
) -> tuple[list[Row], np.ndarray]:
    """The distributor events created in [start, end) (``_group``) and each line's group."""
    key, group = np.unique(lines["master"] << 20 | month_of(lines["day"]), return_inverse=True)
    master, month = np.divmod(key, 1 << 20)
    cents = np.bincount(group, lines["cents"], len(key)).astype(np.int64)
    count = np.bincount(group, minlength=len(key))
    m1 = month_of(month, 1) * DAY
    created = after(m1, SETTLE_DAYS, keyed.uniform(seed, "settle", key))
    rows = []
    for k in np.flatnonzero((created >= start) & (created < end) & (cents > 0)).tolist():
        i, day, t = int(master[k]), int(month[k]), int(created[k])
        source, period = ("distributor", DISTRIBUTORS[i % 3]), (day * DAY, int(m1[k]) - 1)
        row = revenue_row(day, i, SETTLEMENT_SLOT, m, source, int(cents[k]), "USD", period, t)
        rows.append(row | {"metadata": {"lines": int(count[k])}, "_group": k})
    return rows, group


def other_revenue(seed: int, m: dict, day0: int, day1: int) -> list[Row]:
    """Other sources' events of days [day0, day1); a period is the week ended 1-4 days before."""
    rows = []
    for day in range(day0, day1):
        released = np.flatnonzero((m["release"] >= 0) & (m["release"] < day * DAY))
        rng = keyed.day_rng(seed, "revenue", day)
        count = rng.poisson(OTHER_PER_MASTER_MONTH / 30, len(released))
        who, n = np.repeat(released, count), int(count.sum())
        slot = np.arange(n) - np.repeat(np.cumsum(count) - count, count)
        source = rng.integers(0, len(OTHER_TYPES), n)
        created = day * DAY + rng.integers(0, DAY, n)
        p0 = (created - (rng.uniform(8, 11, n) * DAY).astype(np.int64)) // DAY * DAY
        typical = np.log(np.maximum(m["pop"][who], 0.05) * 20_000)
        cents = np.exp(typical + rng.normal(0.0, 1.0, n)).astype(np.int64) + 1
        currency = [money.pick_currency(u) for u in rng.random(n).tolist()]
        for k in np.flatnonzero(p0 >= m["release"][who]).tolist():  # metadata: NULL
            i, j, s, p, t = int(who[k]), int(slot[k]), int(source[k]), int(p0[k]), int(created[k])
            src, period = (OTHER_TYPES[s], OTHER_NAMES[s]), (p, p + 7 * DAY - 1)
            rows.append(revenue_row(day, i, j, m, src, int(cents[k]), currency[k], period, t))
    return rows


def attach_steps(seed: int, rows: list[Row]) -> None:
    """Each revenue event's id, lifecycle instants and fate: functions of its number."""
    number = np.array([r["_number"] for r in rows], np.uint64)
    t = np.array([r["created_at"] for r in rows], np.int64)
    verify_in = np.array([money.verify_days(r["currency"]) for r in rows]).reshape(-1, 2).T
    u = [keyed.uniform(seed, "revenue-life", number, d) for d in range(4)]  # draw 1: the fate
    verify = after(t, verify_in, u[0])  # each step after the one before
    deposit = after(verify, money.DEPOSIT_DAYS, u[2])
    distribute = after(deposit, money.DISTRIBUTE_DAYS, u[3])
    steps = {"_verify": verify, "_deposit": deposit, "_distribute": distribute}
    fate = [money.revenue_fate(x) for x in u[1].tolist()]
    ids = IdFactory(seed).uuid_array_at("revenue_events", number).astype(str).tolist()
    for k, r in enumerate(rows):
        r.update({s: int(v[k]) for s, v in steps.items()}, id=ids[k], _fate=fate[k])


def advance(rev: Row, admin: str, ledger: Ledger) -> bool:
    """Move an event through its steps in the ledger's window (booking payouts); True if moved."""
    before, end = rev["status"], ledger.end
    if rev["status"] == "pending" and rev["_verify"] < end:
        t = rev["_verify"]
        rev["amount_usd"] = money.usd(rev["_cents"])  # the FX rate is known from here on
        if rev["_fate"] is not None:  # failed / disputed revenue is never deposited (INV-15)
            rev.update(status=rev["_fate"], updated_at=t)
            return True
        rev.update(status="verified", verified_at=t, verified_by=admin, updated_at=t)
    if rev["status"] == "verified" and rev["_deposit"] < end:
        contract, tx, bts = ledger.deposit(rev, rev["_deposit"])
        rev.update(status="deposited", deposited_to_contract_id=contract, deposit_tx_hash=tx)
        rev.update(deposited_at=bts, updated_at=bts)
    if rev["status"] == "deposited" and ledger.start <= rev["_distribute"] < end:
        bts = ledger.distribute(rev, rev["_distribute"])
        if bts is not None:  # else nothing was held: the deposit stays undistributed
            rev.update(status="distributed", updated_at=bts)
    return rev["status"] != before


def simulate(m: dict, lines: dict, admin: str, ledger: Ledger, stored: list[Row]) -> list[Row]:
    """The revenue events created in the ledger's window, oldest first; they and the ``stored``
    open ones advanced over it (``_changed``).  Sets ``lines["revenue"]`` (-1: unsettled)."""
    seed, start, end = ledger.seed, ledger.start, ledger.end
    rows, group = settlements(seed, m, lines, start, end)
    rows = sorted(rows + other_revenue(seed, m, start // DAY, end // DAY), key=BY_CREATION)
    attach_steps(seed, rows)
    for rev in sorted(stored + rows, key=BY_CREATION):
        rev["_changed"] = advance(rev, admin, ledger)
    settled = np.full(len(group), -1)  # per group (there are no more groups than lines)
    for k, r in enumerate(rows):
        if "_group" in r:
            settled[r["_group"]] = k
    lines["revenue"] = settled[group]
    return rows


def generate_revenue(ctx: Run) -> None:
    a, m = ctx.catalogue["artists"], ctx.catalogue["masters"]
    market, holdings = ctx.dims["market"], ctx.dims["holdings"]
    new = dividends.new_contracts(ctx.seed, market, a, (ctx.start, ctx.end), True)
    ledger = Ledger(ctx.seed, ctx.start, ctx.end, market, holdings, new, m)
    lines = statement_lines(ctx.seed, ctx.scale, m, ctx.start // DAY, ctx.end // DAY)
    rows = simulate(m, lines, ctx.users[1][PLATFORM_ADMIN], ledger, [])
    ledger.settle()
    ctx.dims.update(dsp=lines, revenue_ids=[r["id"] for r in rows], ledger=ledger)
    ctx.rows.update(revenue_events=rows, dividend_contracts=ledger.contract_rows())


UNSETTLED_SQL = """
SELECT id::text, master_id::text, report_date - date '1970-01-01', (royalty_amount_usd * 100)::int8
FROM oltp.dsp_stream_reports WHERE revenue_event_id IS NULL"""
OPEN_SQL = """
SELECT r.id::text, r.master_id::text, r.status::text, r.amount, r.currency, r.amount_usd,
       extract(epoch FROM r.created_at)::bigint AS created_at, r.verified_by::text,
       extract(epoch FROM r.verified_at)::bigint AS verified_at, r.deposit_tx_hash,
       extract(epoch FROM r.deposited_at)::bigint AS deposited_at, e.total_amount,
       r.deposited_to_contract_id::text,
       substring(r.external_reference FROM '[0-9]+$')::bigint AS _number  -- revenue_row's number
FROM oltp.revenue_events r LEFT JOIN oltp.dividend_events e ON e.tx_hash = r.deposit_tx_hash
    AND e.event_type = 'deposit' WHERE r.status IN ('pending', 'verified', 'deposited')"""
MOVED = ["status", "amount_usd", "verified_at", "verified_by"]  # what ``advance`` moves on
MOVED += ["deposited_to_contract_id", "deposit_tx_hash", "deposited_at", "updated_at"]


def append_revenue(
    conn: psycopg.Connection, writer: Loader, w: Run, market: Market, holdings: Holdings
) -> None:
    """The window's statement lines, revenue and dividends; stored open events moved on."""
    m, a = w.catalogue["masters"], w.catalogue["artists"]
    new = dividends.new_contracts(w.seed, market, a, (w.start, w.end), False)
    ledger = dividends.stored_ledger(conn, w, market, holdings, new)
    writer.copy_rows("dividend_contracts", ledger.contract_rows())
    lines = statement_lines(w.seed, w.scale, m, w.start // DAY, w.end // DAY)
    writer.copy_frames("dsp_stream_reports", dsp_frames(w.seed, lines, m["id"], []))
    # the stored unsettled lines (the window's too) settle as in the full seed
    unsettled = conn.execute(UNSETTLED_SQL).fetchall()
    cols = np.array([(ledger.master_number[r[1]], r[2], r[3]) for r in unsettled], np.int64)
    lines = dict(zip(("master", "day", "cents"), cols.reshape(-1, 3).T, strict=True))
    stored = conn.cursor(row_factory=dict_row).execute(OPEN_SQL).fetchall()
    contract = {c.id: c for c in ledger.contracts}
    for rev in stored:
        c, units = contract.get(rev["deposited_to_contract_id"] or ""), rev.pop("total_amount")
        rev["_cents"] = money.usd_cents(rev.pop("amount"), rev["currency"])  # exact from 8 places
        rev["_contract"] = c
        rev["_units"] = int(units) // c.step if c and units is not None else None
    attach_steps(w.seed, stored)
    fresh = simulate(m, lines, w.users[1][PLATFORM_ADMIN], ledger, stored)
    ledger.settle(dividends.stored_balances(conn, ledger))
    # FK order: revenue rows before the dividend events and statement lines that cite them
    writer.copy_rows("revenue_events", fresh)
    links = zip((r[0] for r in unsettled), lines["revenue"].tolist(), strict=True)
    settled = [{"id": i, "revenue_event_id": fresh[k]["id"]} for i, k in links if k >= 0]
    writer.update("dsp_stream_reports", settled)
    writer.update("revenue_events", [r for r in stored if r["_changed"]], MOVED)
    dividends.write_window(conn, writer, ledger)
