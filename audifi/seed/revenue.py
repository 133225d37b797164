"""Revenue: DSP statement lines, revenue intake and its lifecycle, one simulation for the full
seed and for appended days.

Verified revenue is deposited into a dividend contract and distributed to the NFT holders;
where the money goes, and the holders' claims, are ``dividends``' job (``Ledger``).

Keyed, so that a history comes out the same however it is cut into appended windows:

- statement lines: on day ``d`` a released master reports (every ``cadence`` days, on the days
  congruent to its number) on its platforms and countries (keyed by the master); the streams of
  the day's lines come from the day's stream; a line is numbered by (day, position);
- distributor settlement: a closed month's lines of one master settle into one revenue event at
  an instant keyed by (master, month) (STR-04: royalties are whole cents, so Σ lines =
  ``amount_usd`` exactly); other income (PRO, sync, merch…) arrives per released master from
  each day's stream;
- a revenue event is numbered by (day, master, slot); its lifecycle (verify, fate, deposit,
  distribute) is a set of instants keyed by that number (``attach_steps``), so its row at any
  "as of" instant is a function of the event: ``advance`` applies the steps that fall in a
  window, the full seed's whole history or an appended window (which moves stored open events
  on).
The timing and currency rules are in ``money``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg
from psycopg.rows import dict_row

from audifi.seed import keyed, money, tsv
from audifi.seed.artists import numbered
from audifi.seed.context import COUNTRIES, COUNTRY_WEIGHTS, Ctx, Window
from audifi.seed.copy_loader import Loader
from audifi.seed.dividends import (
    Ledger,
    master_contracts,
    pool_contracts,
    stored_balances,
    stored_ledger,
    write_window,
)
from audifi.seed.identity import PLATFORM_ADMIN
from audifi.seed.ids import IdFactory
from audifi.seed.nfts import Holdings, Market
from audifi.seed.scales import Scale
from audifi.seed.timeline import DAY

DSP_PLATFORMS = np.array(["spotify", "apple_music", "youtube_music", "amazon_music"])
EUR_COUNTRIES = ("DE", "FR")  # their DSP statements are in EUR
CENTS_PER_STREAM = (0.25, 0.5)  # a statement line's royalty: whole cents (STR-04)
LISTENER_SHARE = (0.5, 0.95)  # listeners per stream of a statement line
STREAMS_PER_POP = 40  # mean streams of a line per unit of master popularity, once established
STATEMENT_DELAY_DAYS = 2  # from a statement day to its ingestion
SETTLE_DAYS = (1.0, 3.0)  # from a month's end to its distributor settlement (lo, span)
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
SETTLEMENT_SLOT = 255  # a revenue number's slot of the distributor settlement


def cadence(scale: Scale) -> int:
    """Days between a master's statement lines (coarser at larger scales)."""
    return 7 if scale.plays <= 500_000 else (14 if scale.plays <= 3_000_000 else 28)


def revenue_number(day: int, master: int, slot: int) -> int:
    """A revenue event's number: its day (a settlement: its month's first), master and slot."""
    return (day << 32) | (master << 8) | slot


@dataclass
class Released:
    """Every master by number: id, artist's id, release instant (-1: not released) and
    popularity."""

    ids: list[str]
    artists: list[str]
    release: np.ndarray
    pop: np.ndarray

    @classmethod
    def stored(cls, conn: psycopg.Connection, seed: int) -> Released:
        rows = conn.execute(
            """SELECT audio_file_name, id::text, artist_id::text,
                      coalesce(extract(epoch FROM release_date)::bigint, -1)
               FROM oltp.masters"""
        ).fetchall()
        rows = numbered(rows, "master_")
        ids = [r[1] for r in rows]
        release = np.array([r[3] for r in rows], np.int64)
        artists = [r[2] for r in rows]
        pop = keyed.master_popularity(seed, artists, ids)
        return cls(ids, artists, release, np.where(release >= 0, pop, 0.0))

    def first_day(self) -> np.ndarray:
        """The first day of each master's statements (the day after its release)."""
        return np.where(self.release >= 0, self.release // DAY + 1, np.iinfo(np.int64).max)


def _plan(seed: int, n: int, countries: int) -> tuple[np.ndarray, np.ndarray]:
    """Each master's statement (platform, country) pairs, keyed by its number: 2-4 platforms
    and ``countries`` countries by weight (without replacement).  (platform, country) of shape
    (masters, 4, countries); a platform of -1 is not reported on."""
    number = np.arange(n, dtype=np.int64)
    n_platforms = 2 + (keyed.uniform(seed, "dsp-platforms", number) * 3).astype(np.int64)
    slots = np.arange(4)
    platform = np.argsort(keyed.uniform(seed, "dsp-platform", number[:, None] * 4 + slots), 1)
    platform = np.where(slots < n_platforms[:, None], platform, -1)
    nc = len(COUNTRIES)
    u = keyed.uniform(seed, "dsp-country", number[:, None] * nc + np.arange(nc))
    country = np.argsort(np.log(u) / COUNTRY_WEIGHTS, 1)[:, ::-1][:, :countries]  # u^(1/w)
    shape = (n, 4, countries)
    return np.broadcast_to(platform[:, :, None], shape), np.broadcast_to(country[:, None], shape)


def statement_lines(seed: int, scale: Scale, m: Released, day0: int, day1: int) -> dict:
    """The statement lines of days [day0, day1) as numpy columns (``revenue`` -1: unsettled)."""
    every = cadence(scale)
    platform, country = _plan(seed, len(m.ids), scale.dsp_countries)
    first = m.first_day()
    number = np.arange(len(m.ids))
    cols: dict[str, list[np.ndarray]] = {k: [] for k in LINE_COLUMNS}
    for day in range(day0, day1):
        due = np.flatnonzero((first <= day) & (number % every == day % every))
        k, p_slot, c_slot = np.nonzero(platform[due] >= 0)
        if len(k) == 0:
            continue
        master = due[k]
        age = (day - first[master]) / 365
        lam = m.pop[master] * STREAMS_PER_POP * (0.7 + 0.5 * np.minimum(1.0, age))
        rng = keyed.day_rng(seed, "dsp", day)
        streams = rng.poisson(lam)
        cols["master"].append(master)
        cols["platform"].append(platform[due][k, p_slot, c_slot])
        cols["country"].append(country[due][k, p_slot, c_slot])
        cols["day"].append(np.full(len(k), day))
        cols["number"].append(day * (1 << 24) + np.arange(len(k)))
        cols["streams"].append(streams)
        share = rng.uniform(*LISTENER_SHARE, len(k))
        cols["listeners"].append((streams * share).astype(np.int64))
        # royalties in whole cents, so statement sums reconcile exactly (STR-04)
        rate = rng.uniform(*CENTS_PER_STREAM, len(k))
        cols["cents"].append(np.round(streams * rate).astype(np.int64))
    lines = {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in cols.items()}
    lines["revenue"] = np.full(len(lines["day"]), -1)
    return lines


LINE_COLUMNS = ("master", "platform", "country", "day", "number", "streams", "listeners", "cents")


def dsp_frames(
    seed: int, lines: dict, master_ids: list[str], revenue_ids: list[str]
) -> Iterator[dict[str, np.ndarray | bytes]]:
    """``dsp_stream_reports`` of ``lines`` (``revenue`` indexes ``revenue_ids``; -1: NULL)."""
    m_ids = tsv.with_null(tsv.as_bytes(master_ids))
    rev_ids = tsv.with_null(tsv.as_bytes(revenue_ids))
    platforms = tsv.as_bytes(DSP_PLATFORMS)
    countries = tsv.as_bytes(COUNTRIES)
    ids = IdFactory(seed).uuid_array_at("dsp_stream_reports", lines["number"])
    eur_countries = np.isin(COUNTRIES, EUR_COUNTRIES)
    for s in tsv.chunks(len(ids)):
        cents = lines["cents"][s]
        eur = eur_countries[lines["country"][s]]
        usd_text = tsv.cents(cents)
        # EUR lines: the USD royalty converted back at the fixed rate, 8 decimal places
        euros = [money.fiat_amount(c, "EUR") for c in cents[eur].tolist()]
        amount = usd_text.astype(f"S{max(usd_text.itemsize, 24)}")
        amount[eur] = tsv.as_bytes(euros) if euros else amount[eur]
        day = lines["day"][s]
        platform = platforms[lines["platform"][s]]
        yield {
            "id": ids[s],
            "master_id": m_ids[lines["master"][s]],
            "platform": platform,
            "country_code": countries[lines["country"][s]],
            "report_date": tsv.dates(day),
            "stream_count": tsv.ints(lines["streams"][s]),
            "listener_count": tsv.ints(lines["listeners"][s]),
            "royalty_amount": amount,
            "currency": np.where(eur, b"EUR", b"USD"),
            "royalty_amount_usd": usd_text,
            "statement_id": tsv.concat(b"STMT-", platform, b"-", tsv.dates(day).astype("S7")),
            "revenue_event_id": rev_ids[lines["revenue"][s]],
            "ingested_at": tsv.timestamps((day + STATEMENT_DELAY_DAYS) * DAY),
        }


def month_of(day: np.ndarray, months: int = 0) -> np.ndarray:
    """The first day of the month ``months`` after each day's month."""
    month = np.asarray(day, np.int64).astype("datetime64[D]").astype("datetime64[M]") + months
    return month.astype("datetime64[D]").astype(np.int64)


def revenue_row(
    number: int,
    master: int,
    m: Released,
    source: tuple[str, str],
    cents: int,
    currency: str,
    period: tuple[int, int],
    created: int,
) -> dict[str, Any]:
    """Revenue event ``number`` of ``cents`` (USD) in ``currency``, pending at ``created``: a
    foreign amount has no ``amount_usd`` until it is verified."""
    return {
        "master_id": m.ids[master],
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
        "_master": master,
        "_cents": cents,
    }


def settlements(
    seed: int, m: Released, lines: dict, start: int, end: int
) -> tuple[list[dict[str, Any]], np.ndarray]:
    """Distributor revenue: the unsettled ``lines`` of one master and month settle into one
    event at an instant keyed by (master, month).  The events that settle in [start, end) (with
    their group, ``_group``), and each line's group."""
    month = month_of(lines["day"])
    key = lines["master"] * (1 << 20) + month
    key, first, group = np.unique(key, return_index=True, return_inverse=True)
    master, month = lines["master"][first], month[first]
    cents = np.bincount(group, lines["cents"], len(key)).astype(np.int64)
    count = np.bincount(group, minlength=len(key))
    m1 = month_of(month, 1) * DAY
    u = keyed.uniform(seed, "settle", key)
    created = m1 + (money.delay_days(SETTLE_DAYS, u) * DAY).astype(np.int64)
    rows = []
    for k in np.flatnonzero((created >= start) & (created < end) & (cents > 0)):
        i = int(master[k])
        row = revenue_row(
            revenue_number(int(month[k]), i, SETTLEMENT_SLOT),
            i,
            m,
            ("distributor", DISTRIBUTORS[i % 3]),
            int(cents[k]),
            "USD",
            (int(month[k]) * DAY, int(m1[k]) - 1),
            int(created[k]),
        )
        rows.append(row | {"metadata": {"lines": int(count[k])}, "_group": int(k)})
    return rows, group


def other_revenue(seed: int, m: Released, day0: int, day1: int) -> list[dict[str, Any]]:
    """PRO, sync, merch, live… of days [day0, day1): per master released before the day, from
    the day's stream; the period is the week that ended 1-4 days before."""
    rows = []
    for day in range(day0, day1):
        released = np.flatnonzero((m.release >= 0) & (m.release < day * DAY))
        rng = keyed.day_rng(seed, "revenue", day)
        count = rng.poisson(OTHER_PER_MASTER_MONTH / 30, len(released))
        who = np.repeat(released, count)
        n = len(who)
        slot = np.arange(n) - np.repeat(np.cumsum(count) - count, count)
        source = rng.integers(0, len(OTHER_SOURCES), n)
        created = day * DAY + rng.integers(0, DAY, n)
        p0 = (created - (rng.uniform(8, 11, n) * DAY).astype(np.int64)) // DAY * DAY
        typical = np.log(np.maximum(m.pop[who], 0.05) * 20_000)
        cents = np.exp(typical + rng.normal(0.0, 1.0, n)).astype(np.int64) + 1
        currency = rng.random(n)
        for k in np.flatnonzero(p0 >= m.release[who]):
            i = int(who[k])
            row = revenue_row(
                revenue_number(day, i, int(slot[k])),
                i,
                m,
                OTHER_SOURCES[int(source[k])],
                int(cents[k]),
                money.pick_currency(float(currency[k])),
                (int(p0[k]), int(p0[k]) + 7 * DAY - 1),
                int(created[k]),
            )
            rows.append(row | {"metadata": None})
    return rows


def attach_steps(seed: int, rows: list[dict[str, Any]]) -> None:
    """Each revenue event's id, lifecycle instants and fate: functions of its number."""
    if not rows:
        return
    number = np.array([r["_number"] for r in rows], np.uint64)
    created = np.array([r["created_at"] for r in rows], np.int64)
    verify_in = np.array([money.verify_days(r["currency"]) for r in rows]).T  # (lo, span)

    def after(t: np.ndarray, days: tuple, draw: int) -> np.ndarray:
        u = keyed.uniform(seed, "revenue-life", number, draw)
        return t + (money.delay_days(days, u) * DAY).astype(np.int64)

    verify = after(created, verify_in, 0)
    deposit = after(verify, money.DEPOSIT_DAYS, 2)
    distribute = after(deposit, money.DISTRIBUTE_DAYS, 3)
    fate = keyed.uniform(seed, "revenue-life", number, 1).tolist()
    ids = IdFactory(seed).uuid_array_at("revenue_events", number).astype(str).tolist()
    for k, r in enumerate(rows):
        r.update(
            id=ids[k],
            _verify=int(verify[k]),
            _fate=money.revenue_fate(fate[k]),
            _deposit=int(deposit[k]),
            _distribute=int(distribute[k]),
        )


def advance(rev: dict[str, Any], start: int, end: int, admin: str, ledger: Ledger) -> bool:
    """Move a revenue event through the steps whose instants fall in [start, end) (the full
    seed's history or an appended window), booking deposits and distributions in ``ledger``;
    True if its row changed."""
    before = rev["status"]
    if rev["status"] == "pending" and rev["_verify"] < end:
        t = rev["_verify"]
        rev["amount_usd"] = money.usd(rev["_cents"])  # the FX rate is known from here on
        if rev["_fate"] is not None:  # failed / disputed revenue is never deposited (INV-15)
            rev.update(status=rev["_fate"], updated_at=t)
            return True
        rev.update(status="verified", verified_at=t, verified_by=admin, updated_at=t)
    if rev["status"] == "verified" and rev["_deposit"] < end:
        contract, tx, bts = ledger.deposit(rev, rev["_deposit"])
        rev.update(
            status="deposited",
            deposited_to_contract_id=contract,
            deposit_tx_hash=tx,
            deposited_at=bts,
            updated_at=bts,
        )
    if rev["status"] == "deposited" and start <= rev["_distribute"] < end:
        bts = ledger.distribute(rev, rev["_distribute"])
        if bts is not None:  # else nothing was held: the deposit stays undistributed
            rev.update(status="distributed", updated_at=bts)
    return rev["status"] != before


def _order(rev: dict[str, Any]) -> tuple[int, int]:
    return rev["created_at"], rev["_number"]


def simulate(
    seed: int,
    m: Released,
    lines: dict,
    start: int,
    end: int,
    admin: str,
    ledger: Ledger,
    stored: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The revenue events created in [start, end) (settlements of ``lines``, other income),
    oldest first; they and the ``stored`` open ones advanced over the window (``_changed``).
    ``lines["revenue"]`` is set to the index of each settled line's event (-1: unsettled)."""
    rows, group = settlements(seed, m, lines, start, end)
    rows = sorted(rows + other_revenue(seed, m, start // DAY, end // DAY), key=_order)
    attach_steps(seed, rows)
    for rev in sorted((stored or []) + rows, key=_order):
        rev["_changed"] = advance(rev, start, end, admin, ledger)
    settled = np.full(len(group), -1)  # per group (there are no more groups than lines)
    for k, r in enumerate(rows):
        if "_group" in r:
            settled[r["_group"]] = k
    lines["revenue"] = settled[group]
    return rows


# -- the full seed: every revenue event advanced over the history, one ledger


def generate_revenue(ctx: Ctx) -> None:
    d, a, market = ctx.dims["masters"], ctx.dims["artists"], ctx.dims["market"]
    m = Released(d["id"], [a["id"][k] for k in d["artist"]], d["release"], d["pop"])
    contracts = master_contracts(ctx.seed, market, 0, ctx.end)  # IPOs live at the start too
    contracts += pool_contracts(ctx.seed, a["id"], a["created"], ctx.start, ctx.end, True)
    holdings = ctx.dims["holdings"]
    ledger = Ledger(ctx.seed, ctx.start, ctx.end, market, holdings, contracts, m.ids, m.artists)
    lines = statement_lines(ctx.seed, ctx.scale, m, ctx.start // DAY, ctx.end // DAY)
    admin = ctx.dims["users"]["id"][PLATFORM_ADMIN]
    rows = simulate(ctx.seed, m, lines, ctx.start, ctx.end, admin, ledger)
    ledger.settle()
    ctx.dims["dsp"] = lines
    ctx.rows["revenue_events"] = rows
    ctx.dims["revenue_ids"] = [r["id"] for r in rows]
    ctx.rows["dividend_contracts"] = ledger.contract_rows()
    ctx.dims["ledger"] = ledger


# -- appended days: the window's lines and new revenue, and every open revenue event moved on
# with the same rule (``advance``) over the stored ledger

UNSETTLED_SQL = """
SELECT id::text, master_id::text, report_date - date '1970-01-01',
       round(royalty_amount_usd * 100)::bigint
FROM oltp.dsp_stream_reports WHERE revenue_event_id IS NULL"""
OPEN_SQL = """
SELECT r.id::text AS id, r.master_id::text AS master_id, r.status::text AS status, r.amount,
       r.currency, r.amount_usd, extract(epoch FROM r.created_at)::bigint AS created_at,
       extract(epoch FROM r.verified_at)::bigint AS verified_at, r.verified_by::text AS verified_by,
       extract(epoch FROM r.deposited_at)::bigint AS deposited_at, r.deposit_tx_hash,
       r.deposited_to_contract_id::text AS deposited_to_contract_id, e.total_amount,
       r.external_reference
FROM oltp.revenue_events r
LEFT JOIN oltp.dividend_events e ON e.tx_hash = r.deposit_tx_hash AND e.event_type = 'deposit'
WHERE r.status IN ('pending', 'verified', 'deposited')
ORDER BY r.created_at, r.id"""
MOVED = [
    "status",
    "amount_usd",
    "verified_at",
    "verified_by",
    "deposited_to_contract_id",
    "deposit_tx_hash",
    "deposited_at",
    "updated_at",
]


def append_revenue(
    conn: psycopg.Connection,
    writer: Loader,
    w: Window,
    admin: str,
    market: Market,
    holdings: Holdings,
) -> None:
    """The window's statement lines, revenue events and dividends; the stored open revenue
    events, balances and contracts moved on to the window's end."""
    m = Released.stored(conn, w.seed)
    artists = numbered(
        conn.execute(
            "SELECT slug, id::text, extract(epoch FROM created_at)::bigint FROM oltp.artists"
        ).fetchall(),
        "artist-",
    )
    created = np.array([r[2] for r in artists], np.int64)
    new = master_contracts(w.seed, market, w.start, w.end)
    new += pool_contracts(w.seed, [r[1] for r in artists], created, w.start, w.end, False)
    ledger = stored_ledger(conn, w, market, holdings, m.ids, m.artists, new)
    writer.copy_rows("dividend_contracts", ledger.contract_rows())
    lines = statement_lines(w.seed, w.scale, m, w.start // DAY, w.end // DAY)
    writer.copy_frames("dsp_stream_reports", dsp_frames(w.seed, lines, m.ids, []))
    # the stored unsettled lines (the window's too) settle as in the full seed
    unsettled = conn.execute(UNSETTLED_SQL).fetchall()
    lines = {
        "master": np.array([ledger.master_number[r[1]] for r in unsettled], np.int64),
        "day": np.array([r[2] for r in unsettled], np.int64),
        "cents": np.array([r[3] for r in unsettled], np.int64),
    }
    stored = _open_events(conn, w.seed, ledger)
    fresh = simulate(w.seed, m, lines, w.start, w.end, admin, ledger, stored)
    ledger.settle(stored_balances(conn, ledger))
    # FK order: revenue rows before the dividend events and statement lines that cite them
    writer.copy_rows("revenue_events", fresh)
    links = zip((r[0] for r in unsettled), lines["revenue"].tolist(), strict=True)
    writer.update(
        "dsp_stream_reports",
        [{"id": i, "revenue_event_id": fresh[k]["id"]} for i, k in links if k >= 0],
    )
    writer.update("revenue_events", [r for r in stored if r["_changed"]], MOVED)
    write_window(conn, writer, ledger)


def _open_events(conn: psycopg.Connection, seed: int, ledger: Ledger) -> list[dict[str, Any]]:
    """The stored events still pending, verified or deposited (with their deposit's contract
    and coarse units), their lifecycle re-derived from their number."""
    contract = {c.id: c for c in ledger.contracts}
    events = conn.cursor(row_factory=dict_row).execute(OPEN_SQL).fetchall()
    for rev in events:
        amount, currency, units = rev.pop("amount"), rev["currency"], rev.pop("total_amount")
        c = contract.get(rev["deposited_to_contract_id"] or "")
        if rev["amount_usd"] is not None:  # else the amount converts at the fixed rate
            amount, currency = rev["amount_usd"], "USD"
        rev.update(
            _cents=money.usd_cents(amount, currency),
            _contract=c,
            _units=int(units) // c.step if c and units is not None else None,
            _number=int(rev.pop("external_reference").rpartition("-")[2]),
            _master=ledger.master_number[rev["master_id"]],
        )
    attach_steps(seed, events)
    return events
