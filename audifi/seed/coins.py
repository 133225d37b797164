"""Artist Coins (ERC-20): initial allocation, one constant-product AMM pool each, swaps and
liquidity changes moving balances, for the full seed and for appended days.

Token amounts are Python ints in base units (18 decimals; the pool's quote token is USDC, 6);
balances move only between wallets and the pool (a holder whose balance is ``reserve0``), so the
holders' balances always sum to the total supply (INV-21).  In appended days sellers sell 1–49 %
of their balance, so nobody drops to zero and ``first_acquired_at`` stays meaningful for
coin-holder votes, and the artist treasury (the pool's only liquidity provider) adds or removes
a slice of liquidity about once a month per pool.  ``chain_reorg`` undoes swaps with the same
``swap_output`` rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import isqrt
from typing import Any

import numpy as np
import psycopg

from audifi.seed.append_state import Window, chain_wallets
from audifi.seed.context import Ctx
from audifi.seed.copy_loader import Loader, RowBuffer
from audifi.seed.ids import IdFactory
from audifi.seed.timeline import CHAINS, DAY, block_at, chain_by_id

UNIT = 10**18  # base units per coin
USDC = 10**6  # base units per USDC (the quote token, reserve1)
POOL_TYPE = {"1": "uniswap_v2", "137": "sushiswap", "42161": "uniswap_v3"}
LIQUIDITY_EVERY_DAYS = 30  # mean days between the treasury's liquidity changes per pool


def swap_output(reserve_in: int, reserve_out: int, amount_in: int) -> int:
    """Constant-product output for ``amount_in`` with the 0.3 % fee."""
    return reserve_out * amount_in * 997 // (reserve_in * 1000 + amount_in * 997)


def usdc_text(units: int) -> str:
    """USDC base units as a USD amount with 8 places."""
    return f"{units / USDC:.8f}"


def market_values(reserve0: int, reserve1: int, circulating: int) -> dict[str, str]:
    """A coin's price (the pool's ratio) and market cap (circulating supply at that price)."""
    price = (reserve1 / USDC) / (reserve0 / UNIT)
    return {
        "last_price_usd": f"{price:.18f}",
        "market_cap_usd": f"{price * circulating / UNIT:.8f}",
    }


def pool_event_row(
    ids: IdFactory,
    pool: tuple[str, str, str, str],
    kind: str,
    block: int,
    t: int,
    a0: int,
    a1: int,
    wallet: str,
    tx: str,
) -> dict[str, Any]:
    """A ``pool_events`` row; ``pool`` is (pool id, token id, chain id, pool address)."""
    pool_id, token_id, chain_id, pool_address = pool
    return {
        "id": ids.uuid("pool_events"),
        "liquidity_pool_id": pool_id,
        "artist_token_id": token_id,
        "event_type": kind,
        "chain_id": chain_id,
        "pool_address": pool_address,
        "tx_hash": tx,
        "block_number": block,
        "block_timestamp": t,
        "amount0": a0,
        "amount1": a1,
        "amount_usd": usdc_text(a1),
        "sender": wallet,
        "recipient": wallet,
        "created_at": t + 30,
    }


# -- the full seed


def generate_coins(ctx: Ctx) -> None:
    rng, sc = ctx.rng, ctx.scale
    artists = ctx.dims["artists"]
    wallets = ctx.dims["wallets"]
    addr = wallets["address"]
    uw = wallets["user_wallet"]
    tokens, pools, positions = [], [], []
    holders_rows, events = RowBuffer("token_holders"), RowBuffer("pool_events")
    coin_holders: dict[int, dict[int, tuple[int, int]]] = {}  # artist -> wallet -> (bal, t)
    quote = {c.chain_id: ctx.ids.addresses("usdc", 1)[0] for c in CHAINS}
    for k in range(len(artists["id"])):
        if rng.random() >= sc.coin_share:
            continue
        deployed = int(artists["created"][k] + rng.uniform(10, 60) * DAY)
        if deployed >= ctx.end - 5 * DAY:
            continue
        chain = chain_by_id(str(rng.choice(["1", "137", "42161"], p=[0.3, 0.5, 0.2])))
        supply = int(rng.choice([10**6, 10**7, 10**8, 10**9])) * UNIT
        token_addr = ctx.ids.addresses("artist_token", 1)[0]
        pool_addr = ctx.ids.addresses("pool", 1)[0]
        treasury = int(uw[artists["user"][k]])
        pool_w = -1 - len(pools)  # pools are holders too, keyed by a negative index
        bal: dict[int, int] = {}
        first: dict[int, tuple[int, str]] = {}

        def credit(w: int, amount: int, t: int, tx: str, bal=bal, first=first) -> None:
            bal[w] = bal.get(w, 0) + amount
            if w not in first:
                first[w] = (t, tx)

        deploy_tx = ctx.ids.tx_hashes(f"coin{chain.chain_id}", 1)[0]
        reserve0 = supply // 5
        price = float(rng.uniform(0.005, 0.5))  # USD per token
        reserve1 = int(reserve0 / UNIT * price * USDC)
        credit(treasury, supply // 2, deployed, deploy_tx)
        pool_t = deployed + 3600
        pool_tx = ctx.ids.tx_hashes(f"coin{chain.chain_id}", 1)[0]
        credit(pool_w, reserve0, pool_t, pool_tx)
        fans = wallets["pool"][chain.chain_id]
        n_air = int(rng.integers(5, 40))
        recipients = np.unique(fans[(rng.random(n_air) ** 2 * len(fans)).astype(int)])
        recipients = recipients[recipients != treasury]
        airdrop = supply - supply // 2 - reserve0
        share = airdrop // max(1, len(recipients))
        for j, w in enumerate(recipients.tolist()):
            amount = share if j < len(recipients) - 1 else airdrop - share * (len(recipients) - 1)
            credit(
                w,
                amount,
                deployed + 7200 + j * 60,
                ctx.ids.tx_hashes(f"coin{chain.chain_id}", 1)[0],
            )
        if len(recipients) == 0:
            credit(treasury, airdrop, deployed, deploy_tx)
        pool_id = ctx.ids.uuid("liquidity_pools")
        tok_id = ctx.ids.uuid("artist_tokens")
        p_blk = int(block_at(chain, pool_t)[0])
        ref = (pool_id, tok_id, chain.chain_id, pool_addr)

        def event(
            kind: str, t: int, a0: int, a1: int, wallet: str, tx: str, ref=ref, chain=chain
        ) -> None:
            blk, bts = block_at(chain, t)
            row = pool_event_row(ctx.ids, ref, kind, int(blk), int(bts), a0, a1, wallet, tx)
            events.append(row)

        event("add_liquidity", pool_t, reserve0, reserve1, addr[treasury], pool_tx)
        lp = isqrt(reserve0 * reserve1)
        n_swaps = int(rng.poisson(sc.swaps_per_pool * artists["pop"][k] / artists["pop"].mean()))
        times = np.sort(rng.integers(pool_t + 600, ctx.end - 600, max(n_swaps, 0)))
        vol24 = 0
        last_t = pool_t
        for t in times.tolist():
            if t <= last_t:  # pool events are one per transaction; keep them strictly ordered
                continue
            last_t = t
            buy = rng.random() < 0.55
            if buy:
                trader = int(fans[int(rng.random() ** 2 * len(fans))])
                a1 = int(reserve1 * rng.uniform(0.001, 0.02)) + 1
                a0 = swap_output(reserve1, reserve0, a1)
                if a0 <= 0 or trader == treasury:
                    continue
                reserve0 -= a0
                reserve1 += a1
                bal[pool_w] -= a0
                tx = ctx.ids.tx_hashes(f"coin{chain.chain_id}", 1)[0]
                credit(trader, a0, t, tx)
            else:
                sellers = [w for w, b in bal.items() if w >= 0 and w != treasury and b > 0]
                if not sellers:
                    continue
                trader = sellers[int(rng.integers(0, len(sellers)))]
                a0 = bal[trader] * int(rng.integers(1, 50)) // 100
                if a0 <= 0:
                    continue
                a1 = swap_output(reserve0, reserve1, a0)
                reserve0 += a0
                reserve1 -= a1
                bal[trader] -= a0
                bal[pool_w] += a0
                tx = ctx.ids.tx_hashes(f"coin{chain.chain_id}", 1)[0]
            if t >= ctx.end - DAY:
                vol24 += a1
            event("swap", t, a0, a1, addr[trader], tx)
        head = int(block_at(chain, ctx.end - 1)[0])
        circulating = supply - bal.get(treasury, 0)
        holders = {w: b for w, b in bal.items() if b > 0}
        tokens.append(
            {
                "id": tok_id,
                "artist_id": artists["id"][k],
                "chain_id": chain.chain_id,
                "contract_address": token_addr,
                "name": f"Artist {k} Coin",
                "symbol": f"ART{k}",
                "decimals": "18",
                "total_supply": supply,
                "circulating_supply": circulating,
                "deployment_tx_hash": deploy_tx,
                "deployed_at_block": int(block_at(chain, deployed)[0]),
                "deployed_at": deployed,
                "logo_url": None,
                "description": "Artist Coin",
                "is_tradable": True,
                "trading_enabled_at": pool_t,
                **market_values(reserve0, reserve1, circulating),
                "volume_24h_usd": usdc_text(vol24),
                "price_change_24h": "0.0000",
                "holders_count": len(holders),
                "last_market_data_update": ctx.end - 1,
                "last_indexed_block": head,
                "last_indexed_at": ctx.end - 1,
                "created_at": deployed,
                "updated_at": ctx.end - 1,
            }
        )
        for w, b in bal.items():
            t, tx = first[w]
            holders_rows.append(
                {
                    "id": ctx.ids.uuid("token_holders"),
                    "artist_token_id": tok_id,
                    "wallet_address": pool_addr if w < 0 else addr[w],
                    "chain_id": chain.chain_id,
                    "balance": b,
                    "first_acquired_at": t,
                    "first_acquired_tx_hash": tx,
                    "created_at": t,
                    "updated_at": max(t, last_t),
                }
            )
        coin_holders[k] = {w: (b, first[w][0]) for w, b in bal.items() if w >= 0}
        pools.append(
            {
                "id": pool_id,
                "artist_token_id": tok_id,
                "chain_id": chain.chain_id,
                "pool_address": pool_addr,
                "pool_type": POOL_TYPE[chain.chain_id],
                "token0_address": token_addr,
                "token1_address": quote[chain.chain_id],
                "token0_symbol": f"ART{k}",
                "token1_symbol": "USDC",
                "reserve0": reserve0,
                "reserve1": reserve1,
                "fee": "0.300000",
                "total_value_locked_usd": usdc_text(2 * reserve1),
                "volume_24h_usd": usdc_text(vol24),
                "created_at_block": p_blk,
                "created_at_tx_hash": pool_tx,
                "last_indexed_block": head,
                "last_indexed_at": ctx.end - 1,
                "created_at": pool_t,
                "updated_at": max(pool_t, last_t),
            }
        )
        positions.append(
            {
                "id": ctx.ids.uuid("pool_positions"),
                "liquidity_pool_id": pool_id,
                "wallet_address": addr[treasury],
                "chain_id": chain.chain_id,
                "lp_token_balance": lp,
                "token0_amount": reserve0,
                "token1_amount": reserve1,
                "position_value_usd": usdc_text(2 * reserve1),
                "entered_at": pool_t,
                "entry_tx_hash": pool_tx,
                "created_at": pool_t,
                "updated_at": pool_t,
            }
        )
    ctx.rows.update(
        artist_tokens=tokens,
        token_holders=holders_rows,
        liquidity_pools=pools,
        pool_positions=positions,
        pool_events=events,
    )
    ctx.dims["coin_holders"] = coin_holders


# -- appended days


POOLS_SQL = """
SELECT p.id::text, p.artist_token_id::text, p.chain_id, p.pool_address, p.reserve0, p.reserve1,
       extract(epoch FROM p.created_at)::bigint, pos.id::text, pos.wallet_address,
       (SELECT count(*) FROM oltp.pool_events e
        WHERE e.liquidity_pool_id = p.id AND e.event_type = 'swap'),
       t.total_supply, pos.lp_token_balance
FROM oltp.liquidity_pools p
JOIN oltp.artist_tokens t ON t.id = p.artist_token_id
JOIN oltp.pool_positions pos ON pos.liquidity_pool_id = p.id
ORDER BY p.id"""


def append_swaps(conn: psycopg.Connection, writer: Loader, w: Window) -> None:
    rng = w.rng("coins")
    fans = chain_wallets(conn)  # buyers: the wallets linked on the pool's chain
    events: list[dict[str, Any]] = []
    new_holders: list[dict[str, Any]] = []
    holder_upd: list[dict[str, Any]] = []
    pool_upd, pos_upd, token_upd = [], [], []
    for row in conn.execute(POOLS_SQL).fetchall():
        pid, tid, cid, paddr, r0, r1, created, pos_id, treasury, swaps, supply, lp0 = row
        reserve0, reserve1, lp = int(r0), int(r1), int(lp0)
        holders = {
            r[1]: Holding(r[0], int(r[2]))
            for r in conn.execute(
                "SELECT id::text, wallet_address, balance FROM oltp.token_holders "
                "WHERE artist_token_id = %s ORDER BY wallet_address",
                (tid,),
            )
        }
        rate = swaps / max(1.0, (w.start - created) / DAY)
        times = set(rng.integers(w.start + 60, w.end - 120, rng.poisson(rate * w.days)).tolist())
        n_liq = rng.poisson(w.days / LIQUIDITY_EVERY_DAYS)
        liquidity = set(rng.integers(w.start + 60, w.end - 120, n_liq).tolist()) - times
        vol24 = 0
        for t_raw in sorted(times | liquidity):
            # balances are booked at the block's instant (= first_acquired_at of new holders)
            blk, t = (int(x) for x in block_at(chain_by_id(cid), t_raw))
            tx = w.ids.tx_hashes(f"coin{cid}", 1)[0]
            kind = "swap"
            if t_raw in liquidity:
                kept = holders[treasury].balance if treasury in holders else 0
                pct = int(rng.integers(1, 20))
                if rng.random() < 0.6 and kept > 0:  # add: coins and USDC at the pool's ratio
                    kind, a0 = "add_liquidity", kept * pct // 100
                    a1 = reserve1 * a0 // reserve0
                    lp += lp * a0 // reserve0
                    reserve0, reserve1 = reserve0 + a0, reserve1 + a1
                    _move(holders, w, tid, cid, treasury, -a0, t, tx)
                    _move(holders, w, tid, cid, paddr, a0, t, tx)
                elif lp > 0:  # remove: burn a slice of the LP tokens for both reserves
                    kind, burn = "remove_liquidity", lp * pct // 100
                    a0, a1 = reserve0 * burn // lp, reserve1 * burn // lp
                    lp -= burn
                    reserve0, reserve1 = reserve0 - a0, reserve1 - a1
                    _move(holders, w, tid, cid, paddr, -a0, t, tx)
                    _move(holders, w, tid, cid, treasury, a0, t, tx)
                else:
                    continue
                trader = treasury
            elif rng.random() < 0.55:  # buy: USDC in, coins out of the pool
                pool = fans[cid]
                trader = pool[int(rng.random() ** 2 * len(pool))] if pool else treasury
                a1 = int(reserve1 * rng.uniform(0.001, 0.02)) + 1
                a0 = swap_output(reserve1, reserve0, a1)
                if a0 <= 0 or trader in (treasury, paddr):
                    continue
                reserve0, reserve1 = reserve0 - a0, reserve1 + a1
                _move(holders, w, tid, cid, paddr, -a0, t, tx)
                _move(holders, w, tid, cid, trader, a0, t, tx)
            else:  # sell a part of a fan's balance back into the pool
                sellers = [
                    a for a, h in holders.items() if h.balance > 0 and a not in (treasury, paddr)
                ]
                if not sellers:
                    continue
                trader = sellers[int(rng.integers(0, len(sellers)))]
                a0 = holders[trader].balance * int(rng.integers(1, 50)) // 100
                if a0 <= 0:
                    continue
                a1 = swap_output(reserve0, reserve1, a0)
                reserve0, reserve1 = reserve0 + a0, reserve1 - a1
                _move(holders, w, tid, cid, trader, -a0, t, tx)
                _move(holders, w, tid, cid, paddr, a0, t, tx)
            vol24 += a1 if kind == "swap" and t >= w.end - DAY else 0
            events.append(
                pool_event_row(w.ids, (pid, tid, cid, paddr), kind, blk, t, a0, a1, trader, tx)
            )
        for h in holders.values():
            if h.new_row is not None:
                new_holders.append(h.new_row | {"balance": h.balance, "updated_at": h.changed_at})
            elif h.changed_at:
                holder_upd.append({"id": h.id, "balance": h.balance, "updated_at": h.changed_at})
        tvl = usdc_text(2 * reserve1)
        circulating = int(supply) - (holders[treasury].balance if treasury in holders else 0)
        pool_upd.append(
            {
                "id": pid,
                "reserve0": reserve0,
                "reserve1": reserve1,
                "total_value_locked_usd": tvl,
                "volume_24h_usd": usdc_text(vol24),
                "updated_at": w.end - 1,
            }
        )
        pos_upd.append(
            {
                "id": pos_id,
                "lp_token_balance": lp,
                "token0_amount": reserve0,
                "token1_amount": reserve1,
                "position_value_usd": tvl,
                "updated_at": w.end - 1,
            }
        )
        token_upd.append(
            {
                "id": tid,
                "circulating_supply": circulating,
                **market_values(reserve0, reserve1, circulating),
                "volume_24h_usd": usdc_text(vol24),
                "last_market_data_update": w.end - 1,
                "updated_at": w.end - 1,
            }
        )
    writer.copy_rows("pool_events", events)
    writer.copy_rows("token_holders", new_holders)
    writer.update("token_holders", holder_upd)
    writer.update("liquidity_pools", pool_upd)
    writer.update("pool_positions", pos_upd)
    writer.update("artist_tokens", token_upd)


@dataclass
class Holding:
    id: str
    balance: int
    new_row: dict[str, Any] | None = None  # set for wallets that first buy in the window
    changed_at: int = 0


def _move(
    holders: dict[str, Holding],
    w: Window,
    token: str,
    chain: str,
    wallet: str,
    delta: int,
    t: int,
    tx: str,
) -> None:
    """Change one balance; a first-time buyer becomes a new ``token_holders`` row."""
    h = holders.get(wallet)
    if h is None:
        row = {
            "id": w.ids.uuid("token_holders"),
            "artist_token_id": token,
            "wallet_address": wallet,
            "chain_id": chain,
            "first_acquired_at": t,
            "first_acquired_tx_hash": tx,
            "created_at": t,
        }
        h = holders[wallet] = Holding(row["id"], 0, row)
    h.balance += delta
    h.changed_at = t
