"""Dividends (docs/seed.md), one simulation for both paths: contracts, the payouts that
``revenue.advance`` books, claims, balances, snapshots; int64 coarse units of each token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import psycopg

from audifi.errors import AudifiError
from audifi.seed import keyed, timeline, tsv
from audifi.seed.context import NOT_OURS, Run
from audifi.seed.copy_loader import Frame, Loader, TableWriter
from audifi.seed.ids import IdFactory
from audifi.seed.money import HOLDERS_SHARE_POOLED, LOG_INDEX, Token, dividend_token, holders_units
from audifi.seed.nfts import SPLITS, Holdings, Market
from audifi.seed.timeline import CHAINS, DAY, Chain, block_at, block_end, chain_by_id, checkpoint

CLAIM_SHARE = 0.6  # of (wallet, master) pairs: many holders leave dividends unclaimed
CLAIM_GAP_DAYS = 75.0  # mean days between a claimer's claims
KINDS = ("deposit", "distribution", "claim")
POOL_SHARE = 0.2  # of artists, who get a per-artist dividend pool a day after arriving
POOL_NUMBER = 1 << 40  # pools' numbers (a per-master contract's: its master's)
PAIR_BITS = 24  # a pair's number: user << PAIR_BITS | master
MASTER = (1 << PAIR_BITS) - 1  # a pair's number & MASTER: its master
Cols = dict[str, np.ndarray]
# a (wallet, master) balance, as ``stored_balances`` reads it (the coarse amounts last)
BALANCE_COLS = ("key", "created", "updated", "last_t", "last_tx", "tokens", "earned", "claimed")
BALANCE = np.dtype([(k, "S66" if k == "last_tx" else np.int64) for k in BALANCE_COLS])
CONTRACT_COLS = ("master_id", "dividend_contract_id", "chain_id", "currency")


@dataclass
class Contract:
    id: str
    master_id: str | None  # per_master
    artist: str | None  # per_artist: the artist's id (neither: the platform's)
    chain: Chain
    address: str
    deployed: int
    updated: int
    deposited: int = 0  # base units
    distributed: int = 0
    row: dict[str, Any] | None = None  # deployed in this window: its row
    index: int = -1  # position in the ledger's contracts

    def __post_init__(self) -> None:
        self.token: Token = dividend_token(self.address)
        self.step = 10**self.token.exp  # base units per coarse unit

    @property
    def totals(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "total_revenue_deposited": self.deposited,
            "total_dividends_distributed": self.distributed,
            "updated_at": self.updated,
        }


def _new_contract(
    seed: int, number: int, chain: Chain, t: int, master_id: str | None, artist: str | None
) -> Contract:
    ids = IdFactory(seed)
    row = {
        "master_id": master_id,
        "artist_id": artist,
        "distribution_model": "per_master" if master_id else "per_artist" if artist else "platform",
        "chain_id": chain.chain_id,
        "contract_address": ids.addresses_at("dividend_contract", [number])[0],
        "deployment_tx_hash": ids.tx_hashes_at(f"deploy{chain.chain_id}", [number])[0],
        "deployed_at_block": int(block_at(chain, t)[0]),
        "deployed_at": t,
        "linked_master_contract": master_id and ids.addresses_at("master_contract", [number])[0],
        "created_at": t,
    }
    cid = ids.uuids_at("dividend_contracts", [number])[0]
    return Contract(cid, master_id, artist, chain, row["contract_address"], t, t, row=row)


def new_contracts(
    seed: int, market: Market, artists: dict, window: tuple[int, int], full_seed: bool
) -> list[Contract]:
    """The contracts deployed in ``window``: per master 10 minutes after its Master Contract, per
    artist (Polygon pools) a day after the artist arrives; a full seed's also those of masters
    deployed before its start, and the platform's (Ethereum) at its start."""
    (start, end), p = window, market.ipos
    deployed, since = p.deployed + 600, 0 if full_seed else start
    chain, t, aids = p.chain.tolist(), deployed.tolist(), artists["id"]
    out = [
        _new_contract(seed, int(p.master[i]), CHAINS[chain[i]], t[i], market.master_ids[i], None)
        for i in np.flatnonzero((deployed >= since) & (deployed < end)).tolist()
    ]
    deployed = np.asarray(artists["created"], np.int64) + DAY
    keep = keyed.uniform(seed, "artist-pool", np.arange(len(aids))) < POOL_SHARE
    keep &= (deployed >= start) & (deployed < end)
    out += [
        _new_contract(seed, POOL_NUMBER + k + 1, chain_by_id("137"), t, None, aids[k])
        for k, t in zip(np.flatnonzero(keep).tolist(), deployed[keep].tolist(), strict=True)
    ]
    if full_seed:
        out.append(_new_contract(seed, POOL_NUMBER, chain_by_id("1"), start, None, None))
    return out


class Event(NamedTuple):
    """A deposit or a distribution (the claims are columns: ``Ledger.claims``)."""

    tx: str
    revenue_id: str
    contract: int  # its index in the ledger
    kind: int  # in KINDS
    block: int
    bts: int
    amount: int  # coarse units
    number: int  # of its id: its revenue event's number, times 4, plus its kind
    holders: int = -1  # distinct wallets paid (-1: NULL)
    per_token: int = -1  # coarse units (-1: NULL)


EVENT = np.dtype([(k, "S66" if k in ("tx", "revenue_id") else np.int64) for k in Event._fields])


@dataclass
class Ledger:
    """The dividends of [start, end): ``revenue.advance`` books payouts, ``settle`` the claims."""

    seed: int
    start: int
    end: int
    market: Market
    holdings: Holdings
    contracts: list[Contract]
    masters: dict[str, Any]  # ``artists.Catalogue.run``: id, artist_id per master number

    def __post_init__(self) -> None:
        self.events: list[Event] = []
        # per master: its latest distribution in the window, the tokens it paid and their owners
        self.snapshots: dict[int, tuple[Event, np.ndarray, np.ndarray]] = {}
        self.acc = {k: [np.zeros(0, np.int64)] for k in ("key", "t", "amount")}  # accruals
        self.master_number = {mid: k for k, mid in enumerate(self.masters["id"])}
        self.contract_of = np.full(len(self.masters["id"]), -1, np.int64)  # per master number
        for k, c in enumerate(self.contracts):
            c.index = k
            if c.master_id:
                self.contract_of[self.master_number[c.master_id]] = k
        self.by_owner = {c.master_id or c.artist: c for c in self.contracts}  # the platform's: None
        if None not in self.by_owner:
            raise AudifiError(NOT_OURS.format(what="no platform dividend contract"))
        p = self.market.ipos  # the holders' bps per master, by its IPO's split
        split = zip(p.master.tolist(), p.split.tolist(), strict=True)
        self.share = {m: SPLITS[k][0] for m, k in split}
        self.paid = np.zeros(len(self.market.tok["ipo"]), np.int64)  # coarse, this window

    def _event(self, c: Contract, kind: str, t: int, amount: int, rev: dict, **more: int) -> Event:
        blk, bts = (int(x) for x in block_at(c.chain, t))
        tx = self.market.ids.tx_hashes_at(f"{kind}{c.chain.chain_id}", [rev["_number"]])[0]
        k = KINDS.index(kind)
        ev = Event(tx, rev["id"], c.index, k, blk, bts, amount, rev["_number"] * 4 + k, **more)
        self.events.append(ev)
        c.updated = max(c.updated, bts)
        if kind == "deposit":
            c.deposited += amount * c.step
        else:
            c.distributed += amount * c.step
        return ev

    def deposit(self, rev: dict[str, Any], t: int) -> tuple[str, str, int]:
        """Deposit the holders' share at ``t``: (contract id, tx hash, block timestamp)."""
        m = self.master_number[rev["master_id"]]
        # INV-16: the master's contract, else its artist's, else the platform's
        owners = (self.by_owner.get(self.masters[k][m]) for k in ("id", "artist_id"))
        c = next((d for d in owners if d and d.deployed < t), self.by_owner[None])
        share = self.share[m] if c.master_id else HOLDERS_SHARE_POOLED
        rev.update(_contract=c, _units=holders_units(rev["_cents"], share, c.token))
        ev = self._event(c, "deposit", t, rev["_units"], rev)
        return c.id, ev.tx, ev.bts

    def distribute(self, rev: dict[str, Any], t: int) -> int | None:
        """Distribute the deposit at ``t``: its block timestamp (None: no holder to pay)."""
        c: Contract = rev["_contract"]
        if not c.master_id:  # a pool: its holders are unknown, so no balances
            return self._event(c, "distribution", t, rev["_units"], rev).bts
        master = self.master_number[rev["master_id"]]
        toks = self.market.tokens_of(master)
        owners = self.holdings.at(toks, int(block_end(c.chain, t)))
        if not (held := owners >= 0).any():  # nothing minted or held: stays undistributed
            return None
        toks, owners = toks[held], owners[held]
        per_token = rev["_units"] // len(toks)
        self.paid[toks] += per_token
        users, count = np.unique(owners, return_counts=True)
        for k, v in zip(self.acc, (users << PAIR_BITS | master, t, count * per_token), strict=True):
            self.acc[k].append(np.broadcast_to(v, len(users)))
        total = per_token * len(toks)
        ev = self._event(c, "distribution", t, total, rev, holders=len(users), per_token=per_token)
        # revenue is advanced in creation order, not payout order: keep the latest payout
        latest = self.snapshots.get(master)
        if latest is None or (ev.bts, ev.number) > (latest[0].bts, latest[0].number):
            self.snapshots[master] = (ev, toks, owners)
        return ev.bts

    def settle(self, stored: np.ndarray | None = None) -> None:
        """The window's claims, and the balances it moves on (``stored``: the ones read back)."""
        stored = np.zeros(0, BALANCE) if stored is None else stored
        acc = {k: np.concatenate(v) for k, v in self.acc.items()}
        ev, master = self.holdings.ev, self.market.tok_master[self.holdings.ev["tok"]]
        got, gave = ev["to"] >= 0, ev["frm"] >= 0
        got_key = ev["to"][got] << PAIR_BITS | master[got]
        moved_key = np.r_[got_key, ev["frm"][gave] << PAIR_BITS | master[gave]]
        moved_t = np.r_[ev["t"][got], ev["t"][gave]]
        key = np.union1d(stored["key"], got_key)
        new = ~np.isin(key, stored["key"])
        b = np.zeros(len(key), BALANCE)
        b[~new], b["key"] = stored, key  # the stored keys are sorted and unique
        first = np.full(len(key), np.iinfo(np.int64).max)
        np.minimum.at(first, np.searchsorted(key, got_key), ev["t"][got])
        b["created"][new] = b["updated"][new] = first[new]  # a wallet's first token of the master
        b["last_t"][new] = -1
        self.claims = c = self._claims(key, b, acc)
        at, moved = np.searchsorted(key, acc["key"]), np.searchsorted(key, moved_key)
        np.add.at(b["earned"], at, acc["amount"])
        np.add.at(b["claimed"], c["pair"], c["amount"])
        b["last_t"][c["pair"]], b["last_tx"][c["pair"]] = c["bts"], c["tx"]  # in time order
        touched = np.r_[at, c["pair"], moved]  # every new pair is among the moved
        np.maximum.at(b["updated"], touched, np.r_[acc["t"], c["bts"], moved_t])
        owner = self.market.tok["owner"]
        end_keys = np.sort(owner[owner >= 0] << PAIR_BITS | self.market.tok_master[owner >= 0])
        lo, hi = (np.searchsorted(end_keys, key[moved], side) for side in ("left", "right"))
        b["tokens"][moved] = hi - lo
        touched = np.bincount(touched, minlength=len(key)) > 0
        self.balances, self.new_balances = b[touched], new[touched]

    def _claims(self, key: np.ndarray, b: np.ndarray, acc: Cols) -> Cols:
        """The window's claims (docs/seed.md: attempts at keyed gaps, each claiming all it can)."""
        who = np.flatnonzero(keyed.uniform(self.seed, "claimer", key) < CLAIM_SHARE)
        t, k = b["created"][who], 0
        out = [np.zeros((3, 0), np.int64)]  # the window's attempts: pair, attempt, instant
        while len(who):
            gap = keyed.exponential(self.seed, "claim-gap", key[who], k) * CLAIM_GAP_DAYS * DAY
            t = t + gap.astype(np.int64) + 3600
            who, t = who[t < self.end], t[t < self.end]
            out.append(np.stack([who, np.full_like(who, k), t])[:, t >= self.start])
            k += 1
        if k > 256:
            raise AssertionError("a claim's number holds 8 bits of attempts")
        att = np.concatenate(out, axis=1)
        pair, k, t = att[:, np.lexsort((att[2], att[0]))]  # in (pair, instant) order
        ao = np.lexsort((acc["t"], acc["key"]))
        a_pair, a_t = np.searchsorted(key, acc["key"][ao]), acc["t"][ao]
        cum = np.r_[0, np.cumsum(acc["amount"][ao])]  # cum[j]: the first j accruals
        base = self.start - 1  # window instants as offsets, so (pair, instant) is one int64
        upto_t = np.searchsorted(a_pair << 32 | (a_t - base), pair << 32 | (t - base), "right")
        # earned by each attempt, less what the previous one (or the stored balance) claimed
        upto = b["earned"][pair] + cum[upto_t] - cum[np.searchsorted(a_pair, pair)]
        prev = np.r_[0, upto[:-1]]
        opens = np.r_[True, pair[1:] != pair[:-1]][: len(pair)]
        prev[opens] = b["claimed"][pair[opens]]
        pair, k, t, amount = (x[upto > prev] for x in (pair, k, t, upto - prev))
        number = (key[pair].astype(np.uint64) << np.uint64(8)) | k.astype(np.uint64)
        contract = self.contract_of[key[pair] & MASTER]
        (blk, bts), tx = np.zeros((2, len(pair)), np.int64), np.zeros(len(pair), "S66")
        for chain in CHAINS:
            sel = self._look["chain_id"][contract] == chain.chain_id.encode()
            blk[sel], bts[sel] = block_at(chain, t[sel])
            tx[sel] = self.market.ids.tx_hash_array_at(f"claim{chain.chain_id}", number[sel])
        claims = dict(pair=pair, user=key[pair] >> PAIR_BITS, contract=contract, amount=amount)
        return claims | dict(block=blk, bts=bts, tx=tx, number=number)

    @cached_property
    def _look(self) -> dict[str, np.ndarray]:
        """Per contract (index -1: NULL) its columns and base-unit suffix; per user: the wallet."""
        cs = self.contracts
        text = [(c.master_id, c.id, c.chain.chain_id, c.token.symbol, c.address) for c in cs]
        return {
            k: tsv.with_null(np.array([r[j].encode() if r[j] else tsv.NULL for r in text]))
            for j, k in enumerate((*CONTRACT_COLS, "contract_address"))
        } | {
            "suffix": np.array([c.token.suffix for c in cs] + [b""], "S18"),
            "wallet": tsv.with_null(tsv.as_bytes(self.market.wallets)),  # per user number
        }

    def _base(self, con: np.ndarray, coarse: np.ndarray) -> np.ndarray:
        """Coarse amounts as base-unit text of each row's contract token."""
        return tsv.concat(tsv.ints(coarse), self._look["suffix"][con])

    def _on_chain(self, c: Cols | np.ndarray, s: slice, ns: str, amount: str, *more: str) -> Frame:
        """The shared columns of rows ``s`` of deposits, distributions or claims (ids: ``ns``)."""
        con = c["contract"][s]
        return {
            "id": self.market.ids.uuid_array_at(ns, c["number"][s]),
            **{k: self._look[k][con] for k in (*CONTRACT_COLS, *more)},
            amount: self._base(con, c["amount"][s]),
            "tx_hash": c["tx"][s],
            "block_number": tsv.ints(c["block"][s]),
            "block_timestamp": tsv.timestamps(c["bts"][s]),
            "created_at": tsv.timestamps(c["bts"][s] + timeline.INDEXER_LAG),
        }

    def write_facts(self, out: TableWriter) -> None:
        """The window's dividend events, claims and new balances (after the revenue they cite)."""
        claims, new = len(self.claims["pair"]), int(np.count_nonzero(self.new_balances))
        out.copy_frames("dividend_events", self.event_frames(), total=len(self.events) + claims)
        out.copy_frames("dividend_claims", self.claim_frames(), total=claims)
        out.copy_frames("wallet_dividend_balances", self.balance_frames(), total=new)

    def event_frames(self) -> Iterator[Frame]:
        """The window's deposits and distributions, then its claims (``dividend_events``)."""
        e, c = np.array(self.events, EVENT), self.claims
        paid, each = e["holders"], e["per_token"]  # -1: NULL
        paid = tsv.null_unless(paid >= 0, tsv.ints(np.maximum(paid, 0)))
        each = tsv.null_unless(each >= 0, self._base(e["contract"], np.maximum(each, 0)))
        for s in tsv.chunks(len(e)):
            yield {
                **self._on_chain(e, s, "dividend_events", "total_amount", "contract_address"),
                "event_type": tsv.as_bytes(KINDS)[e["kind"][s]],
                "log_index": tsv.ints(np.array([LOG_INDEX[k] for k in KINDS])[e["kind"][s]]),
                "total_holders_at_distribution": paid[s],
                "per_token_amount": each[s],
                "revenue_event_id": e["revenue_id"][s],
            }
        for s in tsv.chunks(len(c["pair"])):
            yield {
                **self._on_chain(c, s, "dividend_events/claim", "total_amount", "contract_address"),
                "event_type": b"claim",
                "log_index": b"%d" % LOG_INDEX["claim"],
                "claimant_wallet": self._look["wallet"][c["user"][s]],
            }

    def claim_frames(self) -> Iterator[Frame]:
        c = self.claims
        for s in tsv.chunks(len(c["pair"])):
            gas, gwei = (keyed.uniform(self.seed, "claim-gas", c["number"][s], d) for d in (0, 1))
            yield {
                **self._on_chain(c, s, "dividend_claims", "amount_claimed"),
                "wallet_address": self._look["wallet"][c["user"][s]],
                "gas_used": tsv.ints(45_000 + (gas * 45_000).astype(np.int64)),
                "gas_price_wei": tsv.concat(tsv.ints(1 + (gwei * 59).astype(np.int64)), b"0" * 9),
            }

    def balance_frames(self, new: bool = True) -> Iterator[Frame]:
        """The window's new balances, or (``new`` False) the stored ones moved on (ids: by pair)."""
        b = self.balances[self.new_balances == new]
        for s in tsv.chunks(len(b)):
            con, last = self.contract_of[b["key"][s] & MASTER], b["last_t"][s]
            yield {
                "id": self.market.ids.uuid_array_at("wallet_dividend_balances", b["key"][s]),
                "wallet_address": self._look["wallet"][b["key"][s] >> PAIR_BITS],
                **{k: self._look[k][con] for k in CONTRACT_COLS},
                "total_earned": self._base(con, b["earned"][s]),
                "total_claimed": self._base(con, b["claimed"][s]),
                "claimable_amount": self._base(con, b["earned"][s] - b["claimed"][s]),
                "last_claimed_at": tsv.null_unless(last >= 0, tsv.timestamps(np.maximum(last, 0))),
                "last_claim_tx_hash": tsv.null_unless(last >= 0, b["last_tx"][s]),
                "tokens_held": tsv.ints(b["tokens"][s]),
                "created_at": tsv.timestamps(b["created"][s]),
                "updated_at": tsv.timestamps(b["updated"][s]),
            }

    def snapshot_frames(self) -> Iterator[Frame]:
        """Each master distributed in the window: the owners its latest distribution paid."""
        if not self.snapshots:
            return
        ev, toks, owners = zip(*(self.snapshots[m] for m in sorted(self.snapshots)), strict=True)
        per_event = [(e.number >> 2, e.block, e.bts) for e in ev]  # (revenue event, block, time)
        revenue, blk, bts = np.repeat(per_event, [len(x) for x in toks], axis=0).T
        toks, owners = np.concatenate(toks), np.concatenate(owners)
        token_id, ipo = (self.market.tok[k][toks] for k in ("token_id", "ipo"))
        if token_id.max() >= 1 << 16:
            raise AssertionError("a snapshot's number holds 16 bits of token id")
        ids = self.market.ids.uuid_array_at("nft_ownership_snapshots", revenue << 16 | token_id)
        look = self.market.lookups
        for s in tsv.chunks(len(ids)):
            yield {
                "id": ids[s],
                **self.market.token_columns(look, ipo[s], tsv.ints(token_id[s])),
                "owner_wallet": self._look["wallet"][owners[s]],
                "snapshot_timestamp": tsv.timestamps(bts[s]),
                "snapshot_block_number": tsv.ints(blk[s]),
                "snapshot_reason": b"dividend",
                "created_at": tsv.timestamps(bts[s] + 60),
            }

    def token_dividends(self, toks: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Tokens' dividends in the window (the full seed's: their total), as base-unit text."""
        return self._base(self.contract_of[self.market.tok_master[toks]], self.paid[toks])

    def contract_rows(self) -> list[dict[str, Any]]:
        """The window's new contracts, with their totals so far (appends update them at the end)."""
        return [c.row | c.totals | checkpoint(c.chain, self.end) for c in self.contracts if c.row]


CONTRACTS_SQL = """
SELECT id::text, master_id::text, artist_id::text, chain_id, contract_address,
       extract(epoch FROM deployed_at)::bigint, extract(epoch FROM updated_at)::bigint,
       total_revenue_deposited, total_dividends_distributed
FROM oltp.dividend_contracts ORDER BY id"""
BALANCES_SQL = """
SELECT wallet_address, master_id::text, extract(epoch FROM created_at)::bigint,
       extract(epoch FROM updated_at)::bigint, coalesce(extract(epoch FROM last_claimed_at)::bigint,
       -1), coalesce(last_claim_tx_hash, ''), tokens_held, total_earned, total_claimed
FROM oltp.wallet_dividend_balances WHERE claimable_amount > 0 OR master_id = ANY(%s::uuid[])"""
MOVED = ["total_earned", "total_claimed", "claimable_amount"]  # what a window moves on
MOVED += ["last_claimed_at", "last_claim_tx_hash", "tokens_held", "updated_at"]


def stored_ledger(
    conn: psycopg.Connection, w: Run, market: Market, holdings: Holdings, new: list[Contract]
) -> Ledger:
    """The ledger of window ``w`` over the stored contracts and the window's ``new`` ones."""
    stored = [
        Contract(cid, mid, aid, chain_by_id(chain), address, t, upd, int(dep), int(dist))
        for cid, mid, aid, chain, address, t, upd, dep, dist in conn.execute(CONTRACTS_SQL)
    ]
    return Ledger(w.seed, w.start, w.end, market, holdings, stored + new, w.catalogue["masters"])


def stored_balances(conn: psycopg.Connection, ledger: Ledger) -> np.ndarray:
    """The stored balances with something to claim or of masters that paid or changed hands."""
    moved = ledger.market.tok_master[ledger.holdings.ev["tok"]].tolist()
    masters = [ledger.masters["id"][m] for m in set(ledger.snapshots) | set(moved)]
    user, rows = ledger.market.user_of, []
    for wallet, mid, *cols, earned, claimed in conn.execute(BALANCES_SQL, (masters,)):
        if wallet not in user:
            raise AudifiError(NOT_OURS.format(what=f"a dividend balance of wallet {wallet}"))
        m, k = ledger.master_number[mid], ledger.contract_of[ledger.master_number[mid]]
        if k < 0:  # -1 would index the last contract
            raise AudifiError(NOT_OURS.format(what=f"a dividend balance of master {mid}"))
        key, step = user[wallet] << PAIR_BITS | m, ledger.contracts[k].step
        rows.append((key, *cols, int(earned) // step, int(claimed) // step))
    return np.array(sorted(rows), BALANCE)


def write_window(conn: psycopg.Connection, writer: Loader, ledger: Ledger) -> None:
    """The window's dividend rows (after the revenue they cite), and the stored ones it moves on."""
    ledger.write_facts(writer)
    writer.update_frames("wallet_dividend_balances", ledger.balance_frames(new=False), MOVED)
    conn.execute(
        "DELETE FROM oltp.nft_ownership_snapshots WHERE snapshot_reason = 'dividend' "
        "AND master_id = ANY(%s::uuid[])",
        ([ledger.masters["id"][m] for m in sorted(ledger.snapshots)],),
    )
    writer.copy_frames("nft_ownership_snapshots", ledger.snapshot_frames())
    paid = np.flatnonzero(ledger.paid)
    ids, units = ledger.market.tok["id"][paid], ledger.token_dividends(paid)
    conn.execute(
        "UPDATE oltp.master_nfts t SET total_dividends_received = t.total_dividends_received + "
        "p.units FROM unnest(%s::uuid[], %s::numeric[]) p(id, units) WHERE t.id = p.id",
        [ids.astype(str).tolist(), units.astype(str).tolist()],
    )
    touched = sorted({e.contract for e in ledger.events})
    writer.update("dividend_contracts", [ledger.contracts[k].totals for k in touched])
