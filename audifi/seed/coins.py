"""Artist Coins (ERC-20) and their constant-product AMM pools: one simulation (``Coins``) for the
full seed and appended days, in exact integers (read back by appends, so both agree to the unit)."""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field
from math import isqrt
from statistics import NormalDist
from typing import Any

import numpy as np
import psycopg

from audifi.seed import keyed
from audifi.seed.artists import number_in
from audifi.seed.context import Run
from audifi.seed.copy_loader import Row, RowBuffer, TableWriter
from audifi.seed.identity import Lifecycle, traders
from audifi.seed.ids import IdFactory
from audifi.seed.keyed import POP_SIGMA
from audifi.seed.scales import Scale
from audifi.seed.timeline import DAY, INDEXER_LAG, Chain, block_at, chain_by_id, checkpoint

UNIT = 10**18  # base units per coin
TOKEN = {"decimals": "18", "description": "Artist Coin", "is_tradable": True}  # every coin's
USDC = 10**6  # base units per USDC (the quote token, reserve1)
POOL_TYPE = {"1": "uniswap_v2", "137": "sushiswap", "42161": "uniswap_v3"}
ETHEREUM_Z = NormalDist().inv_cdf(1 - 0.12)  # the most popular 12 % of artists: Ethereum
L2_MIX = 5 / 7  # the other coins: Polygon 5 : Arbitrum 2
LIQUIDITY_EVERY_DAYS = 30  # mean days between the treasury's liquidity changes per pool
TX_PER_DAY = 10**6  # a day's coin transactions are numbered day * TX_PER_DAY + i
MAX_AIRDROP = 40
STATE = ("artist_tokens", "liquidity_pools", "pool_positions")  # rows numbered by the artist
Move = tuple[str, int, int, str | None, str]  # a pool event: kind, coins, USDC, from, to


def swap_output(reserve_in: int, reserve_out: int, amount_in: int) -> int:
    """Constant-product output for ``amount_in`` with the 0.3 % fee."""
    return reserve_out * amount_in * 997 // (reserve_in * 1000 + amount_in * 997)


def usdc_text(units: int) -> str:
    return f"{units / USDC:.8f}"


def reserve_columns(r0: int, r1: int, lp: int, circulating: int, holders: int) -> dict[str, Row]:
    """The token's, pool's and position's columns a pool's state decides (also after a reorg)."""
    price, tvl = (r1 / USDC) / (r0 / UNIT), usdc_text(2 * r1)  # the pool's ratio; both sides
    token = dict(
        last_price_usd=f"{price:.18f}",
        market_cap_usd=f"{price * circulating / UNIT:.8f}",
        circulating_supply=circulating,
        holders_count=holders,
    )
    pool = dict(reserve0=r0, reserve1=r1, total_value_locked_usd=tvl)
    position = dict(lp_token_balance=lp, token0_amount=r0, token1_amount=r1, position_value_usd=tvl)
    return dict(artist_tokens=token, liquidity_pools=pool, pool_positions=position)


@dataclass
class Holding:
    id: str
    balance: int
    first: Row | None = None  # when and how a holder new in this run first acquired coins
    since: int = 0  # its first acquisition
    changed_at: int = 0  # the last balance change in this run (0: none)


@dataclass
class Pool:
    ids: IdFactory
    k: int  # the artist: their coin, its pool, the treasury's LP position and the holders so far
    chain: Chain
    supply: int
    address: str
    treasury: str  # the artist's wallet, the only liquidity provider
    reserve0: int
    reserve1: int
    lp: int
    holders: dict[str, Holding]
    opened: int = 0  # the pool trades from the day after
    rows: dict[str, Row] | None = None  # the static columns if launched in this run
    volume: int = 0  # USDC swapped on the latest simulated day

    def __post_init__(self) -> None:
        self.token, self.pool, self.position = (self.ids.uuids_at(t, [self.k])[0] for t in STATE)
        self.coin = {"artist_token_id": self.token, "chain_id": self.chain.chain_id}
        self.sellers = sorted(a for a, h in self.holders.items() if self._fan(a) and h.balance)

    def _fan(self, address: str) -> bool:
        return address not in (self.treasury, self.address)

    def move(self, src: str | None, dst: str, amount: int, t: int, n: int) -> None:
        """Transaction ``n`` moves ``amount`` at ``t``; a first-time holder gets a row."""
        if dst not in self.holders:
            tx = self.ids.tx_hashes_at("coin", [n])[0]
            first = {"first_acquired_at": t, "first_acquired_tx_hash": tx, "created_at": t}
            hid = self.ids.uuids_at("token_holders", [n])[0]
            self.holders[dst] = Holding(hid, 0, first, since=t)
            if self._fan(dst):
                insort(self.sellers, dst)
        for wallet, delta in ((src, -amount), (dst, amount)):
            if wallet is not None:
                self.holders[wallet].balance += delta
                self.holders[wallet].changed_at = t


@dataclass
class Coins:
    seed: int
    scale: Scale
    ids: IdFactory
    users: Lifecycle
    artists: dict[str, Any]  # the catalogue's artists: "id", "user" number, "created" instant
    pools: dict[int, Pool] = field(default_factory=dict)  # by artist number
    events: RowBuffer = field(default_factory=lambda: RowBuffer("pool_events"))
    # filled by ``run``: per artist, each holder's address -> since when (V Studio's coin_holders)
    holders_since: dict[int, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        sc, pop = self.scale, keyed.artist_popularity(self.seed, self.artists["id"])
        self.z = np.log(pop) / POP_SIGMA  # popularity on its standard normal scale
        z0 = NormalDist().inv_cdf(1 - sc.coin_share)  # the coin_share most popular: a coin
        mean = np.exp(POP_SIGMA**2 / 2) * NormalDist().cdf(POP_SIGMA - z0) / sc.coin_share
        self.swap_rate = sc.swaps_per_pool / sc.days * pop / mean  # mean: over the coins' artists
        self.launches: dict[int, list[int]] = {}  # artists by the day they launch their coin
        for k in np.flatnonzero(self.z > z0).tolist():
            self.launches.setdefault(self._keys(k)[0] // DAY, []).append(k)
        self._traders = traders(self.users)

    def _keys(self, k: int) -> tuple[int, str, int, int, int]:
        """Artist ``k``'s coin: (deployed at, chain, supply, opening price in USDC base units,
        airdrop draws); deployed in the day's first 18 hours, so launch and airdrop share it."""
        u = keyed.uniform(self.seed, "coin", np.full(6, k), np.arange(6)).tolist()
        day = int(self.artists["created"][k]) // DAY + 10 + int(u[0] * 50)
        chain = "1" if self.z[k] > ETHEREUM_Z else ("137" if u[1] < L2_MIX else "42161")
        at, supply = day * DAY + int(u[2] * 18 * 3600), 10 ** (6 + int(u[3] * 4)) * UNIT
        return at, chain, supply, 5_000 + int(u[4] * 495_000), 5 + int(u[5] * 35)

    def _address(self, user: int) -> str:
        return self.ids.addresses_at("user", [int(user)])[0]

    def run(self, start: int, end: int) -> tuple[dict[str, RowBuffer], dict[str, list[Row]]]:
        """Simulates [start, end); returns the new rows, and the stored rows' moved columns."""
        for day in range(start // DAY, end // DAY):
            seq = day * TX_PER_DAY
            for k in self.launches.get(day, []):
                seq = self._launch(k, day, seq)
            self._trade(day, seq)
        new = {t: RowBuffer(t) for t in (*STATE, "token_holders")} | {"pool_events": self.events}
        moved: dict[str, list[Row]] = {t: [] for t in new}
        for k, p in sorted(self.pools.items()):
            self.holders_since[k] = held = {a: h.since for a, h in p.holders.items() if h.balance}
            circulating = p.supply - p.holders[p.treasury].balance
            cols = reserve_columns(p.reserve0, p.reserve1, p.lp, circulating, len(held))
            market = {"volume_24h_usd": usdc_text(p.volume), **checkpoint(p.chain, end)}
            cols["artist_tokens"] |= {**market, "last_market_data_update": end - 1}
            cols["liquidity_pools"] |= market
            for table, rid in zip(STATE, (p.token, p.pool, p.position), strict=True):
                row = {"id": rid, **cols[table], "updated_at": end - 1}
                if p.rows is None:
                    moved[table].append(row)
                else:
                    new[table].append({**p.rows[table], **row, "chain_id": p.chain.chain_id})
            for a, h in p.holders.items():
                row = {"id": h.id, "balance": h.balance, "updated_at": h.changed_at}
                if h.first is not None:
                    new["token_holders"].append({**p.coin, "wallet_address": a, **h.first, **row})
                elif h.changed_at:
                    moved["token_holders"].append(row)
        return new, moved

    def _event(self, p: Pool, n: int, blk: int, ts: int, move: Move) -> None:
        kind, a0, a1, src, dst = move
        into = 1 if dst == p.address else -1  # coins into the pool, or out of it
        p.reserve0 += into * a0
        p.reserve1 += (-into if kind == "swap" else into) * a1  # a swap's USDC goes the other way
        who = (src if dst == p.address else dst) or p.treasury  # the trader, or the treasury
        self.events.append(
            {
                "id": self.ids.uuids_at("pool_events", [n])[0],
                "liquidity_pool_id": p.pool,
                **p.coin,
                "pool_address": p.address,
                "tx_hash": self.ids.tx_hashes_at("coin", [n])[0],
                "event_type": kind,
                "block_number": blk,
                "block_timestamp": ts,
                "amount0": a0,
                "amount1": a1,
                "amount_usd": usdc_text(a1),
                "sender": who,
                "recipient": who,
                "created_at": ts + INDEXER_LAG,
            }
        )
        p.move(src, dst, a0, ts, n)
        p.volume += a1 if kind == "swap" else 0

    def _launch(self, k: int, day: int, seq: int) -> int:
        """Deploy artist ``k``'s coin (transactions ``seq``, ...); returns the next free number."""
        ids, (at, cid, supply, price, n_air) = self.ids, self._keys(k)
        treasury, address = self._address(self.artists["user"][k]), ids.addresses_at("pool", [k])[0]
        r0, r1 = supply // 5, supply // 5 // UNIT * price
        p = Pool(ids, k, chain_by_id(cid), supply, address, treasury, 0, 0, isqrt(r0 * r1), {})
        self.pools[k] = p
        deploy_blk, deployed = (int(v) for v in block_at(p.chain, at))
        p.move(None, treasury, supply - r0, deployed, seq)
        blk, p.opened = (int(v) for v in block_at(p.chain, at + 3600))
        self._event(p, seq + 1, blk, p.opened, ("add_liquidity", r0, r1, None, address))
        cand = self._traders(day)[cid]
        draws = keyed.uniform(self.seed, "coin-airdrop", k * MAX_AIRDROP + np.arange(n_air))
        picks = cand[(draws**2 * len(cand)).astype(int)] if len(cand) else cand
        fans = [a for a in map(self._address, np.unique(picks)) if a != treasury]
        airdrop = supply - supply // 2 - r0  # equal shares, the remainder to the last
        stamps = block_at(p.chain, at + 7200 + 60 * np.arange(len(fans)))[1].tolist()
        for j, a in enumerate(fans):
            amount = airdrop // len(fans) + (airdrop % len(fans) if j == len(fans) - 1 else 0)
            p.move(treasury, a, amount, stamps[j], seq + 2 + j)
        contract, symbol = ids.addresses_at("artist_token", [k])[0], f"ART{k}"
        deploy_tx, pool_tx = ids.tx_hashes_at("coin", [seq, seq + 1])
        token = {
            "artist_id": self.artists["id"][k],
            "contract_address": contract,
            "symbol": symbol,
            "name": f"Artist {k} Coin",
            **TOKEN,
            "total_supply": supply,
            "deployment_tx_hash": deploy_tx,
            "deployed_at_block": deploy_blk,
            "deployed_at": deployed,
            "trading_enabled_at": p.opened,
            "price_change_24h": "0.0000",
            "created_at": deployed,
        }
        pool = {
            "artist_token_id": p.token,
            "pool_address": address,
            "pool_type": POOL_TYPE[cid],
            "token0_address": contract,
            "token1_address": ids.addresses_at("usdc", [0])[0],
            "token0_symbol": symbol,
            "token1_symbol": "USDC",
            "fee": "0.300000",
            "created_at_block": blk,
            "created_at_tx_hash": pool_tx,
            "created_at": p.opened,
        }
        position = {
            "liquidity_pool_id": p.pool,
            "wallet_address": treasury,
            "entry_tx_hash": pool_tx,
            "entered_at": p.opened,
            "created_at": p.opened,
        }
        p.rows = dict(artist_tokens=token, liquidity_pools=pool, pool_positions=position)
        return seq + 2 + len(fans)

    def _trade(self, day: int, seq: int) -> None:
        """The day's swaps and liquidity changes of pools opened before it (event i: seq + i)."""
        ps = [p for _, p in sorted(self.pools.items()) if p.opened < day * DAY]
        rng = keyed.day_rng(self.seed, "coins", day)
        n_swap = rng.poisson(self.swap_rate[[p.k for p in ps]])
        n_liq = rng.poisson(1 / LIQUIDITY_EVERY_DAYS, len(ps))
        t = day * DAY + 60 + rng.integers(0, DAY - 180, int(n_swap.sum() + n_liq.sum()))
        u = rng.random((len(t), 3)).tolist()
        traders, i = self._traders(day), 0
        for p, ns, nl in zip(ps, n_swap.tolist(), n_liq.tolist(), strict=True):
            p.volume, last, cand = 0, -1, traders[p.chain.chain_id]
            blocks, stamps = (v.tolist() for v in block_at(p.chain, t[i : i + ns + nl]))
            for j in np.argsort(t[i : i + ns + nl], kind="stable").tolist():
                if blocks[j] <= last:  # one event per pool and block: undoing needs an order
                    continue
                move = self._swap(p, u[i + j], cand) if j < ns else self._liquidity(p, u[i + j])
                if move is not None:
                    self._event(p, seq + i + j, blocks[j], stamps[j], move)
                    last = blocks[j]
            i += ns + nl

    def _swap(self, p: Pool, u: list[float], traders: np.ndarray) -> Move | None:
        """A fan buys coins (55 %) or sells 1-49 % of theirs, so nobody's balance drops to 0."""
        if u[0] < 0.55:  # spends 0.1-2 % of the USDC reserve
            if not len(traders):
                return None
            trader = self._address(int(traders[int(u[1] ** 2 * len(traders))]))
            a1 = p.reserve1 * (10 + int(u[2] * 190)) // 10_000 + 1
            a0 = swap_output(p.reserve1, p.reserve0, a1)
            return ("swap", a0, a1, p.address, trader) if a0 > 0 and trader != p.treasury else None
        if not p.sellers:
            return None
        trader = p.sellers[int(u[1] * len(p.sellers))]
        a0 = p.holders[trader].balance * (1 + int(u[2] * 49)) // 100
        a1 = swap_output(p.reserve0, p.reserve1, a0)
        return ("swap", a0, a1, trader, p.address) if a0 > 0 else None

    def _liquidity(self, p: Pool, u: list[float]) -> Move | None:
        """The treasury (the only liquidity provider) adds coins and USDC or burns LP tokens."""
        pct = 1 + int(u[2] * 19)
        r0, r1, kept = p.reserve0, p.reserve1, p.holders[p.treasury].balance
        if u[0] < 0.6 and kept > 0:  # its coins with USDC at the pool's ratio
            a0 = kept * pct // 100
            p.lp += p.lp * a0 // r0
            return "add_liquidity", a0, r1 * a0 // r0, p.treasury, p.address
        if p.lp <= 0:
            return None
        burn = p.lp * pct // 100
        a0, a1 = r0 * burn // p.lp, r1 * burn // p.lp
        p.lp -= burn
        return "remove_liquidity", a0, a1, p.address, p.treasury


# read back by appends and the reorg: a pool's ids (pool, token, position), coin, treasury, reserves
POOLS_SQL = """SELECT p.id::text, t.id::text, pos.id::text, t.symbol, t.chain_id, t.total_supply,
       p.pool_address, pos.wallet_address, p.reserve0, p.reserve1, pos.lp_token_balance
FROM oltp.liquidity_pools p
JOIN oltp.artist_tokens t ON t.id = p.artist_token_id
JOIN oltp.pool_positions pos ON pos.liquidity_pool_id = p.id"""
HOLDERS_SQL = """SELECT artist_token_id::text, wallet_address, id::text, balance,
first_acquired_tx_hash, extract(epoch FROM first_acquired_at)::bigint FROM oltp.token_holders"""


def stored_pools(conn: psycopg.Connection, ids: IdFactory) -> dict[int, Pool]:
    """The stored pools, with their holders, by artist number."""
    holders: dict[str, dict[str, Holding]] = {}  # by token id
    for tid, wallet, hid, balance, _, since in conn.execute(HOLDERS_SQL):
        holders.setdefault(tid, {})[wallet] = Holding(hid, int(balance), since=since)
    pools: dict[int, Pool] = {}
    for _, tid, _, symbol, chain, supply, address, treasury, r0, r1, lp in conn.execute(POOLS_SQL):
        k, state = number_in(symbol, "ART"), (address, treasury, int(r0), int(r1), int(lp))
        pools[k] = Pool(ids, k, chain_by_id(chain), int(supply), *state, holders[tid])
    return pools


def write_coins(out: TableWriter, w: Run, pools: dict[int, Pool]) -> dict[int, dict[str, int]]:
    """The run's launches, swaps and liquidity changes after the ``pools`` so far (a full seed:
    none); returns ``Coins.holders_since``."""
    coins = Coins(w.seed, w.scale, w.ids, w.users[0], w.catalogue["artists"], pools)
    new, moved = coins.run(w.start, w.end)
    for table, rows in new.items():  # the new rows, then the stored ones moved on
        out.copy_rows(table, rows)
        out.update(table, moved[table])
    return coins.holders_since
