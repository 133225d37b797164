"""IPOs, Master Contracts, NFTs and transfers: one simulation (``Market``) for both paths."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cached_property, partial
from typing import Any

import numpy as np
import psycopg

from audifi.seed import keyed, timeline, tsv
from audifi.seed.artists import Masters
from audifi.seed.context import Run
from audifi.seed.copy_loader import Loader
from audifi.seed.identity import Lifecycle, traders
from audifi.seed.ids import ZERO_ADDRESS, IdFactory
from audifi.seed.observability import ipo_audit
from audifi.seed.scales import Scale
from audifi.seed.timeline import CHAIN_WEIGHTS, CHAINS, DAY, NEVER, after, block_at, checkpoint

MARKETS = ["AudiFi", "OpenSea", "Blur"]
TYPES = ["mint", "transfer", "sale", "burn"]
LISTING = ["not_listed", "listed", "in_escrow", "sold"]
MOVER_MINTERS = {"first": 300, "second": 200, "third": 100}  # INV-41: tokens 1-3, bonus bps
MOVER_BONUS = {f"{m}_minter_bonus_bps": bps for m, bps in MOVER_MINTERS.items()}
MOVER_WALLETS = [f"{m}_minter_wallet" for m in MOVER_MINTERS]  # minters of tokens 1-3 so far
MOVER_FLAGS = {f"is_{m}_minter": k for k, m in enumerate(MOVER_MINTERS, 1)}  # true on token k
N_MOVERS = len(MOVER_MINTERS)  # the first tokens minted (ids 1..N_MOVERS) flag their minters
PRICE_GWEI = {"1": (1e7, 3e8), "137": (5e9, 2e11), "42161": (5e6, 2e8)}  # mint price range
SPLITS = ((5000, 4000, 1000), (6000, 3000, 1000))  # holders / artist / platform bps
SPLIT_COLUMNS = ("revenue_share_nft_holders_bps", "retained_artist_bps", "retained_platform_bps")
ROYALTIES = (500, 750, 1000, 1000, 1000)
DRAFT_SHARE, CANCEL_SHARE = 0.06, 0.04
SALE_SHARE, BURN_SHARE = 0.65, 0.01  # of a token's moves
LISTED_SHARE, LISTED_DAYS, SOLD_SHARE = 0.1, 20, 0.3
POP_MEAN = 1.8  # mean of the masters' popularity clipped to [0.2, 5]
TX_PER_DAY = 10**6  # a day's NFT transactions (mints first) are numbered day * TX_PER_DAY + i
EDGE = 60  # no event in a day's first or last minute: a token's events stay in order
TOKENS_SQL = """SELECT master_id::text, token_id, extract(epoch FROM minted_at)::bigint,
       current_owner_wallet, original_minter_wallet, extract(epoch FROM last_indexed_at)::bigint,
       id::text FROM oltp.master_nfts"""
IPO_MOVES = ["status", "minted_supply", "actual_start_at", "actual_end_at", "updated_at"]
NFT_MOVES = ["current_owner_wallet", "listing_status", "listing_price_wei", "listing_currency"]
NFT_MOVES += ["listed_at", "updated_at", "last_indexed_block", "last_indexed_at"]


def wei(gwei: np.ndarray) -> np.ndarray:
    """Prices are whole gwei (exact wei strings): the gwei digits and nine zeros (0 stays 0)."""
    return np.where(gwei == 0, b"0", tsv.concat(tsv.ints(gwei), b"000000000"))


class Ipos:
    """The keyed IPOs of the masters (by number) created at ``created``: only released ones."""

    def __init__(self, seed: int, scale: Scale, created: np.ndarray) -> None:
        number = np.arange(len(created))
        release = Masters(seed, number, created).stages()["approved"]  # NEVER: not released
        has = (release < NEVER) & (keyed.uniform(seed, "ipo", number) < scale.ipo_share)
        self.master = np.flatnonzero(has)  # the master's number
        u = [keyed.uniform(seed, "ipo", self.master, draw) for draw in range(15)]
        self.created = after(release[has], (0.5, 9.5), u[1])
        self.start = after(self.created, (1, 29), u[2])
        self.end = after(self.start, (7, 23), u[3])
        self.draft, go = u[4] < DRAFT_SHARE, u[4] >= DRAFT_SHARE + CANCEL_SHARE
        self.a0 = np.where(go, self.start + (u[5] * 7200).astype(np.int64), NEVER)
        self.a1 = np.where(go, self.end, NEVER)
        self.deployed = np.where(go, self.a0 - 600, NEVER)
        cancel_at = self.created + (u[6] * (self.start - 600 - self.created)).astype(np.int64)
        self.cancel = np.where(~self.draft & ~go, cancel_at, NEVER)
        lo, hi = np.log(scale.supply_range)
        self.supply = np.exp(lo + u[7] * (hi - lo)).astype(np.int64)
        self.split, self.mover = (u[8] >= 0.7).astype(int), u[9] < 0.85
        self.chain = keyed.categorical(u[10], CHAIN_WEIGHTS)
        plo, phi = (np.log([PRICE_GWEI[c.chain_id][j] for c in CHAINS])[self.chain] for j in (0, 1))
        self.price = np.exp(plo + u[11] * (phi - plo)).astype(np.int64) // 1000 * 1000
        self.royalty = np.array(ROYALTIES)[(u[12] * len(ROYALTIES)).astype(int)]
        self.resale, self.fill = u[13] < 0.9, 0.3 + 0.7 * u[14]


class Market:
    """The IPOs of a catalogue's masters, their tokens and transfers so far; ``run`` adds days."""

    TOKEN = ("ipo", "token_id", "mint_t", "mint_n", "minter", "owner", "last_t", "last_type")
    EVENT = ("tok", "t", "frm", "to", "type", "price", "market", "n")

    def __init__(self, seed: int, scale: Scale, catalogue: dict, users: Lifecycle) -> None:
        m, a = catalogue["masters"], catalogue["artists"]
        self.seed, self.ids = seed, IdFactory(seed)
        # each user's EVM address (by number), then ZERO (so index -1 is ZERO)
        self.wallets = [*self.ids.addresses_at("user", range(len(users.number))), ZERO_ADDRESS]
        self.ipos = p = Ipos(seed, scale, m["created"])
        self.master_ids: list[str] = [m["id"][k] for k in p.master.tolist()]  # per IPO
        self.artist_user = a["user"][m["artist"][p.master]]  # per IPO: royalties go to its wallet
        self.minted = np.zeros(len(p.master), np.int64)  # per IPO
        self.tok = {k: np.zeros(0, np.int64) for k in self.TOKEN} | {"id": np.zeros(0, "S36")}
        pop = np.clip(m["pop"][p.master], 0.2, 5) / POP_MEAN  # the masters' popularity
        self.rate = 2 * scale.resales_per_nft / scale.days * pop  # moves a token-day
        self._traders = traders(users, keyed.uniform(seed, "collector", users.number))

    def run(self, start: int, end: int) -> dict[str, np.ndarray]:
        """Adds the days of [start, end); returns their events (``EVENT``), in order."""
        days = [dict.fromkeys(self.EVENT, np.zeros(0, np.int64))]
        for day in range(start // DAY, end // DAY):
            pools = list(self._traders(day).values())  # per chain: who trades on it that day
            mints = self._mint(day, pools)
            days += [mints, self._move(day, pools, day * TX_PER_DAY + len(mints["n"]))]
        return {k: np.concatenate([e[k] for e in days]).astype(np.int64) for k in self.EVENT}

    @staticmethod
    def _collectors(pools: list[np.ndarray], chain: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A collector (user number, -1: none) per draw ``u``, among who trades on its chain."""
        out = np.full(len(u), -1, np.int64)
        for c, pool in enumerate(pools):
            if len(pool):
                out[chain == c] = pool[(u[chain == c] ** 1.5 * len(pool)).astype(np.int64)]
        return out

    def _blocks(self, ipo: np.ndarray, t: np.ndarray) -> np.ndarray:
        """[block numbers, block timestamps] of events of IPOs ``ipo`` at ``t``."""
        out, chain = np.zeros((2, len(t)), np.int64), self.ipos.chain[ipo]
        for c, ch in enumerate(CHAINS):
            out[:, chain == c] = block_at(ch, t[chain == c])
        return out

    def _mint(self, day: int, pools: list[np.ndarray]) -> dict[str, np.ndarray]:
        p, d0 = self.ipos, day * DAY
        live = np.flatnonzero((p.a0 < d0 + DAY) & (p.a1 > d0) & (self.minted < p.supply))
        lo, hi = np.maximum(p.a0[live], d0), np.minimum(p.a1[live], d0 + DAY)
        x0, x1 = ((x - p.a0[live]) / (p.a1[live] - p.a0[live]) for x in (lo, hi))
        expected = p.supply[live] * p.fill[live] * ((1 - x0) ** 3 - (1 - x1) ** 3)
        rng, left = keyed.day_rng(self.seed, "nft-mints", day), p.supply[live] - self.minted[live]
        count = np.where(hi - lo > 3 * EDGE, np.minimum(rng.poisson(expected), left), 0)
        ipo = np.repeat(live, count)
        t = rng.integers(np.repeat(lo + EDGE, count), np.repeat(hi - EDGE, count))
        minter = self._collectors(pools, p.chain[ipo], rng.random(len(ipo)))
        order = np.lexsort((t, ipo))
        order = order[minter[order] >= 0]
        ipo, t, minter = ipo[order], self._blocks(ipo[order], t[order])[1], minter[order]
        tid = self.minted[ipo] + 1 + np.arange(len(ipo)) - np.searchsorted(ipo, ipo)  # ipo sorted
        n, zero = day * TX_PER_DAY + np.arange(len(ipo)), np.zeros(len(ipo), np.int64)
        ev = dict(tok=len(self.tok["ipo"]) + np.arange(len(ipo)), t=t, frm=zero - 1, to=minter, n=n)
        new = dict(ipo=ipo, token_id=tid, mint_t=t, mint_n=n, minter=minter, owner=minter, last_t=t)
        new |= dict(last_type=zero, id=self.ids.uuid_array_at("master_nfts", n))
        self.tok = {k: np.concatenate([v, new[k]]) for k, v in self.tok.items()}
        np.add.at(self.minted, ipo, 1)
        return ev | dict.fromkeys(("type", "price", "market"), zero)

    def _move(self, day: int, pools: list[np.ndarray], seq: int) -> dict[str, np.ndarray]:
        rng, tok = keyed.day_rng(self.seed, "nft-moves", day), self.tok
        alive = (tok["owner"] >= 0) & (tok["mint_t"] < day * DAY)
        moving = np.flatnonzero(alive & (rng.random(len(tok["ipo"])) < self.rate[tok["ipo"]]))
        ipo, frm = tok["ipo"][moving], tok["owner"][moving]
        t = self._blocks(ipo, day * DAY + EDGE + rng.integers(0, DAY - 2 * EDGE, len(moving)))[1]
        v, factor = rng.random((len(moving), 4)), rng.lognormal(0.2, 0.5, len(moving))
        burn = v[:, 2] < BURN_SHARE
        sale = ~burn & self.ipos.resale[ipo] & (v[:, 1] < SALE_SHARE)
        to = np.where(burn, -1, self._collectors(pools, self.ipos.chain[ipo], v[:, 0]))
        ok = burn | ((to >= 0) & (to != frm))
        price = np.where(sale, (self.ipos.price[ipo] * factor).astype(np.int64) // 1000 * 1000, 0)
        kind = np.where(burn, 3, np.where(sale, 2, 1))
        market = (v[:, 3] * len(MARKETS)).astype(np.int64)
        ev = dict(tok=moving, t=t, frm=frm, to=to, type=kind, price=price, market=market)
        ev = {k: a[ok] for k, a in ev.items()} | {"n": seq + np.arange(np.count_nonzero(ok))}
        for k, col in (("owner", "to"), ("last_t", "t"), ("last_type", "type")):
            tok[k][ev["tok"]] = ev[col]
        return ev

    def status(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Each IPO's status at ``t`` and its ``updated_at`` (creation, status change or mint)."""
        p = self.ipos
        status, changed = np.where(p.draft, "draft", "scheduled").astype(object), p.created.copy()
        for name, at in (("cancelled", p.cancel), ("live", p.a0), ("closed", p.a1)):
            status[at <= t] = name
            changed = np.where(at <= t, at, changed)
        minted = self.tok["mint_t"] <= t
        np.maximum.at(changed, self.tok["ipo"][minted], self.tok["mint_t"][minted])
        return status, changed

    def ipo_rows(self, which: np.ndarray, t: int) -> list[dict[str, Any]]:
        """The rows of the IPOs ``which`` (a boolean mask over them) as of ``t``."""
        p, (status, changed) = self.ipos, self.status(t)
        ids, price = self.ids.uuids_at("master_ipos", p.master[which].tolist()), wei(p.price[which])
        return [
            {
                "id": ids[j],
                "master_id": self.master_ids[i],
                "total_supply": int(p.supply[i]),
                "minted_supply": int(self.minted[i]),
                "mint_price_wei": price[j].decode(),
                "mint_price_currency": CHAINS[int(p.chain[i])].native,
                **dict(zip(SPLIT_COLUMNS, SPLITS[int(p.split[i])], strict=True)),
                "status": status[i],
                "scheduled_start_at": None if p.draft[i] else int(p.start[i]),
                "scheduled_end_at": None if p.draft[i] else int(p.end[i]),
                "actual_start_at": int(p.a0[i]) if p.a0[i] <= t else None,
                "actual_end_at": int(p.a1[i]) if p.a1[i] <= t else None,
                "mover_advantage_enabled": bool(p.mover[i]),
                **(MOVER_BONUS if p.mover[i] else {}),  # NULL when Mover Advantage is disabled
                "secondary_royalty_bps": int(p.royalty[i]),
                "allow_secondary_resale": bool(p.resale[i]),
                "created_at": int(p.created[i]),
                "updated_at": int(changed[i]),
            }
            for j, i in enumerate(np.flatnonzero(which).tolist())
        ]

    def launch_audit(self, start: int, end: int) -> list[dict[str, Any]]:
        live = (self.ipos.a0 >= start) & (self.ipos.a0 < end)
        return [ipo_audit(r["id"], r["actual_start_at"]) for r in self.ipo_rows(live, end)]

    def contract_rows(self, which: np.ndarray, t: int) -> list[dict[str, Any]]:
        """The Master Contracts of the IPOs ``which`` (a boolean mask) as of ``t`` (after ``run``:
        the Mover Advantage minters are their first three tokens')."""
        p, look, rows = self.ipos, self.lookups, []
        for i in np.flatnonzero(which).tolist():
            n, chain, at = int(p.master[i]), CHAINS[int(p.chain[i])], int(p.deployed[i])
            movers = self.tok["minter"][self.tokens_of(n)[:N_MOVERS]] if p.mover[i] else []
            rows.append(
                {
                    "id": look["contract"][i].decode(),
                    "master_id": self.master_ids[i],
                    "chain_id": chain.chain_id,
                    "contract_address": look["address"][i].decode(),
                    "deployment_tx_hash": self.ids.tx_hashes_at("ipo-deploy", [n])[0],
                    "deployed_at_block": int(block_at(chain, at)[0]),
                    "contract_total_supply": int(p.supply[i]),
                    "contract_royalty_bps": int(p.royalty[i]),
                    "abi_version": "1.0",
                    **checkpoint(chain, t),
                    **dict.fromkeys(("deployed_at", "created_at", "updated_at"), at),
                    **{c: self.wallets[u] for c, u in zip(MOVER_WALLETS, movers, strict=False)},
                }
            )
        return rows

    @cached_property
    def tok_master(self) -> np.ndarray:
        """Each token's master number (read once the run is over)."""
        return self.ipos.master[self.tok["ipo"]]

    @cached_property
    def _by_master(self) -> np.ndarray:
        return np.argsort(self.tok_master, kind="stable")  # mint order within a master

    def tokens_of(self, master: int) -> np.ndarray:
        a, b = np.searchsorted(self.tok_master, [master, master + 1], sorter=self._by_master)
        return self._by_master[a:b]

    @cached_property
    def user_of(self) -> dict[str, int]:
        return {a: u for u, a in enumerate(self.wallets[:-1])}  # the last is ZERO

    def listing(self, toks: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Tokens' listing status (``LISTING``) and instant at ``t``, keyed by their last move."""
        tok, last, kind = self.tok, self.tok["last_t"][toks], self.tok["last_type"][toks]
        key = self.ipos.master[tok["ipo"][toks]] * (1 << 20) + tok["token_id"][toks]
        wait = keyed.exponential(self.seed, "nft-listed", key, last) * LISTED_DAYS * DAY
        listed_at = last + wait.astype(np.int64)
        listed = (tok["owner"][toks] >= 0) & self.ipos.resale[tok["ipo"][toks]] & (listed_at < t)
        listed &= keyed.uniform(self.seed, "nft-listing", key, last) < LISTED_SHARE
        sold = (kind == 2) & (keyed.uniform(self.seed, "nft-sold", key, last) < SOLD_SHARE)
        return np.where(listed, 1, np.where(sold, 3, 0)), listed_at

    @cached_property
    def lookups(self) -> dict[str, np.ndarray]:
        """Per IPO byte-string columns (index -1: NULL), and the users' addresses (-1: ZERO)."""
        p, n, wallet = self.ipos, self.ipos.master.tolist(), tsv.as_bytes(self.wallets)
        return {
            "master": tsv.with_null(tsv.as_bytes(self.master_ids)),
            "contract": tsv.with_null(tsv.as_bytes(self.ids.uuids_at("master_contracts", n))),
            "address": tsv.with_null(tsv.as_bytes(self.ids.addresses_at("master_contract", n))),
            "chain": tsv.with_null(tsv.as_bytes([c.chain_id for c in CHAINS])[p.chain]),
            "native": tsv.with_null(tsv.as_bytes([c.native for c in CHAINS])[p.chain]),
            "price": tsv.with_null(wei(p.price)),
            "royalty_to": tsv.with_null(wallet[self.artist_user]),
            "wallet": wallet,
        }

    @staticmethod
    def token_columns(look: dict[str, np.ndarray], ipo: np.ndarray, tids: np.ndarray) -> dict:
        names = {"master_id": "master", "chain_id": "chain", "contract_address": "address"}
        return {c: look[k][ipo] for c, k in names.items()} | {"token_id": tids}

    def nft_frames(
        self, toks: np.ndarray, t: int, dividends: np.ndarray | None = None
    ) -> Iterator[dict]:
        """Tokens ``toks`` as of ``t`` (``dividends``: their ``total_dividends_received``)."""
        tok, look, (status, listed_at) = self.tok, self.lookups, self.listing(toks, t)
        for s in tsv.chunks(len(toks)):
            i, listed = toks[s], status[s] == 1
            ipo, tid = tok["ipo"][i], tok["token_id"][i]
            on_sale, tids = np.where(listed, ipo, -1), tsv.ints(tid)
            mover = np.where(self.ipos.mover[ipo], tid, 0)  # with Mover Advantage: the token id
            yield {
                "id": tok["id"][i],
                **self.token_columns(look, ipo, tids),
                "master_contract_id": look["contract"][ipo],
                "current_owner_wallet": look["wallet"][tok["owner"][i]],
                **{c: np.where(mover == k, b"t", b"f") for c, k in MOVER_FLAGS.items()},
                "original_minter_wallet": look["wallet"][tok["minter"][i]],
                "mint_tx_hash": self.ids.tx_hash_array_at("nft", tok["mint_n"][i]),
                "minted_at_block": tsv.ints(self._blocks(ipo, tok["mint_t"][i])[0]),
                **dict.fromkeys(("minted_at", "created_at"), tsv.timestamps(tok["mint_t"][i])),
                "mint_price_wei": look["price"][ipo],
                "listing_status": tsv.as_bytes(LISTING)[status[s]],
                "listing_price_wei": look["price"][on_sale],
                "listing_currency": look["native"][on_sale],
                "listed_at": tsv.null_unless(listed, tsv.timestamps(listed_at[s])),
                "token_uri": tsv.concat(b"ipfs://meta/", tids),
                "total_dividends_received": b"0" if dividends is None else dividends[s],
                "last_indexed_block": tsv.ints(self._blocks(ipo, tok["last_t"][i])[0]),
                "last_indexed_at": tsv.timestamps(tok["last_t"][i]),
                "updated_at": tsv.timestamps(np.where(listed, listed_at[s], tok["last_t"][i])),
            }

    def transfer_frames(self, ev: dict[str, np.ndarray]) -> Iterator[dict]:
        tok, look, markets = self.tok, self.lookups, tsv.with_null(tsv.as_bytes(MARKETS))
        for s in tsv.chunks(len(ev["tok"])):
            i, sale, price, bts = ev["tok"][s], ev["type"][s] == 2, ev["price"][s], ev["t"][s]
            ipo = tok["ipo"][i]  # ``bts``: events are at their block's timestamp
            on_sale, royalty = np.where(sale, ipo, -1), price * self.ipos.royalty[ipo] // 10_000
            yield {
                "id": self.ids.uuid_array_at("nft_transfers", ev["n"][s]),
                "master_nft_id": tok["id"][i],
                **self.token_columns(look, ipo, tsv.ints(tok["token_id"][i])),
                "from_wallet": look["wallet"][ev["frm"][s]],
                "to_wallet": look["wallet"][ev["to"][s]],
                "tx_hash": self.ids.tx_hash_array_at("nft", ev["n"][s]),
                "block_number": tsv.ints(self._blocks(ipo, bts)[0]),
                "log_index": np.where(sale, b"2", b"0"),
                "block_timestamp": tsv.timestamps(bts),
                "transfer_type": tsv.as_bytes(TYPES)[ev["type"][s]],
                "sale_price_wei": tsv.null_unless(sale, wei(price)),
                "sale_currency": look["native"][on_sale],
                "marketplace": markets[np.where(sale, ev["market"][s], -1)],
                "royalty_paid_wei": tsv.null_unless(sale, wei(royalty)),
                "royalty_recipient": look["royalty_to"][on_sale],
                "created_at": tsv.timestamps(bts + timeline.INDEXER_LAG),
            }


def generate_ipos(ctx: Run) -> None:
    """``Market.run`` over the history; IPOs and contracts as of its end, ``Holdings`` over it."""
    market = Market(ctx.seed, ctx.scale, ctx.catalogue, ctx.users[0])
    ctx.dims["nft_events"] = ev = market.run(ctx.start, ctx.end)  # the pipeline writes them
    ctx.rows["master_ipos"] = market.ipo_rows(market.ipos.created < ctx.end, ctx.end)
    ctx.rows["master_contracts"] = market.contract_rows(market.ipos.deployed < ctx.end, ctx.end)
    ctx.dims.update(market=market, holdings=Holdings(np.full(len(market.tok["ipo"]), -1), ev))


def _event_key(tok: np.ndarray, t: np.ndarray | int) -> np.ndarray:
    """Sort key of a token's event at ``t``: token first, then time."""
    return tok.astype(np.int64) * (1 << 32) + (np.asarray(t) - (1 << 30))


class Holdings:
    """Who holds each ``Market`` token over a window: ``before`` it (-1: nobody), then by events."""

    def __init__(self, before: np.ndarray, ev: dict[str, np.ndarray]) -> None:
        order = np.lexsort((ev["t"], ev["tok"]))
        self.before, self.ev = before, {k: v[order] for k, v in ev.items()}  # (token, time) order
        self.ev["key"] = _event_key(self.ev["tok"], self.ev["t"])

    def at(self, tok: np.ndarray, t: int) -> np.ndarray:
        """The user owning each token at ``t`` (-1: nobody); an event at ``t`` already counts."""
        pos = np.searchsorted(self.ev["key"], _event_key(tok, t), side="right") - 1
        ok = (pos >= 0) & (self.ev["tok"][np.maximum(pos, 0)] == tok)
        return np.where(ok, self.ev["to"][np.maximum(pos, 0)], self.before[tok])

    def owners(self, market: Market) -> Callable[[int], tuple[int, Callable[[int], set[str]]]]:
        """Per master number: its first mint (NEVER: none) and its owners' wallets at an instant."""
        return partial(self._owners, market)

    def _owners(self, market: Market, master: int) -> tuple[int, Callable[[int], set[str]]]:
        toks = market.tokens_of(master)
        first = int(market.tok["mint_t"][toks].min(initial=NEVER))
        return first, lambda t: {market.wallets[u] for u in self.at(toks, t).tolist() if u >= 0}


def append_nfts(conn: psycopg.Connection, writer: Loader, w: Run) -> tuple[Market, Holdings]:
    """The market read back from its tokens and run over the window, its rows written."""
    market = Market(w.seed, w.scale, w.catalogue, w.users[0])
    index = {mid: i for i, mid in enumerate(market.master_ids)}
    wallet = market.user_of | {ZERO_ADDRESS: -1}
    # in mint order (day, IPO, token id), as ``Market._mint`` adds them
    rows = sorted(
        (t // DAY, index[mid], tid, t, wallet[minter], wallet[owner], last, nid)
        for mid, tid, t, owner, minter, last, nid in conn.execute(TOKENS_SQL)
    )
    names = ("ipo", "token_id", "mint_t", "minter", "owner", "last_t")
    cols = np.array([r[1:-1] for r in rows], np.int64).reshape(-1, len(names)).T
    market.tok.update(zip(names, cols.copy(), strict=True), id=tsv.as_bytes([r[-1] for r in rows]))
    # stored tokens' rows are never written again, and only moves set these (before reading them)
    market.tok.update(mint_n=np.zeros(len(rows), np.int64), last_type=np.full(len(rows), -1))
    np.add.at(market.minted, market.tok["ipo"], 1)
    p, before, mints0 = market.ipos, market.tok["owner"].copy(), market.minted.copy()
    ev = market.run(w.start, w.end)
    new_toks = np.arange(len(before), len(market.tok["ipo"]))
    new, deployed = ((w.start <= a) & (a < w.end) for a in (p.created, p.deployed))
    writer.copy_rows("master_ipos", market.ipo_rows(new, w.end))
    # stored IPOs scheduled or live at the start: only they can mint or change status
    old = (p.created < w.start) & np.isin(market.status(w.start)[0], ["scheduled", "live"])
    writer.update("master_ipos", market.ipo_rows(old, w.end), IPO_MOVES)
    writer.copy_rows("master_contracts", market.contract_rows(deployed, w.end))
    # stored contracts that got some of tokens 1-3 in the window: their minter columns
    got = (p.deployed < w.start) & p.mover & (np.minimum(market.minted, N_MOVERS) > mints0)
    writer.update("master_contracts", market.contract_rows(got, w.end), MOVER_WALLETS)
    writer.copy_frames("master_nfts", market.nft_frames(new_toks, w.end), total=len(new_toks))
    writer.copy_frames("nft_transfers", market.transfer_frames(ev), total=len(ev["tok"]))
    # stored tokens that moved, or got listed, in the window (only the moving columns are set)
    status, listed_at = market.listing(np.arange(len(before)), w.end)
    listed = np.flatnonzero((status == 1) & (listed_at >= w.start))
    which = np.union1d(ev["tok"][ev["tok"] < len(before)], listed)
    writer.update_frames("master_nfts", market.nft_frames(which, w.end), NFT_MOVES)
    return market, Holdings(np.r_[before, np.full(len(new_toks), -1)], ev)
