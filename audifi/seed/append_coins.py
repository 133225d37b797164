"""Artist Coin swaps and liquidity changes in the window: constant-product AMM trades moving
balances, and the artist treasury (the pool's only liquidity provider) adding or removing a
slice of liquidity about once a month per pool.

Tokens move only between wallets and the pool (a holder whose balance is ``reserve0``), so
holder balances keep summing to the supply (INV-21); sellers sell 1–49 % of their balance, so
nobody drops to zero and ``first_acquired_at`` stays meaningful for coin-holder votes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from audifi.seed.append_state import Window
from audifi.seed.copy_loader import Loader
from audifi.seed.timeline import DAY, block_at, chain_by_id

UNIT = 10**18
USDC = 10**6
LIQUIDITY_EVERY_DAYS = 30  # mean days between the treasury's liquidity changes per pool

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
    fans = {
        cid: [r[0] for r in conn.execute(q, (cid,))]
        for cid, q in (
            (
                c,
                "SELECT DISTINCT wallet_address FROM oltp.user_wallets WHERE chain_id = %s "
                "ORDER BY 1",
            )
            for c in ("1", "137", "42161")
        )
    }
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
                a0 = reserve0 * a1 * 997 // (reserve1 * 1000 + a1 * 997)
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
                a1 = reserve1 * a0 * 997 // (reserve0 * 1000 + a0 * 997)
                reserve0, reserve1 = reserve0 + a0, reserve1 - a1
                _move(holders, w, tid, cid, trader, -a0, t, tx)
                _move(holders, w, tid, cid, paddr, a0, t, tx)
            vol24 += a1 if kind == "swap" and t >= w.end - DAY else 0
            events.append(
                {
                    "id": w.ids.uuid("pool_events"),
                    "liquidity_pool_id": pid,
                    "artist_token_id": tid,
                    "event_type": kind,
                    "chain_id": cid,
                    "pool_address": paddr,
                    "tx_hash": tx,
                    "block_number": blk,
                    "block_timestamp": t,
                    "amount0": a0,
                    "amount1": a1,
                    "amount_usd": f"{a1 / USDC:.8f}",
                    "sender": trader,
                    "recipient": trader,
                    "created_at": t + 30,
                }
            )
        for h in holders.values():
            if h.new_row is not None:
                new_holders.append(h.new_row | {"balance": h.balance, "updated_at": h.changed_at})
            elif h.changed_at:
                holder_upd.append({"id": h.id, "balance": h.balance, "updated_at": h.changed_at})
        tvl = f"{2 * reserve1 / USDC:.8f}"
        price = (reserve1 / USDC) / (reserve0 / UNIT)
        circulating = int(supply) - (holders[treasury].balance if treasury in holders else 0)
        pool_upd.append(
            {
                "id": pid,
                "reserve0": reserve0,
                "reserve1": reserve1,
                "total_value_locked_usd": tvl,
                "volume_24h_usd": f"{vol24 / USDC:.8f}",
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
                "last_price_usd": f"{price:.18f}",
                "market_cap_usd": f"{price * circulating / UNIT:.8f}",
                "volume_24h_usd": f"{vol24 / USDC:.8f}",
                "last_market_data_update": w.end - 1,
                "updated_at": w.end - 1,
            }
        )
    writer.copy_rows("pool_events", events)
    writer.copy_rows("token_holders", new_holders)
    writer.update("token_holders", holder_upd, ["balance", "updated_at"])
    writer.update("liquidity_pools", pool_upd, list(pool_upd[0])[1:] if pool_upd else [])
    writer.update("pool_positions", pos_upd, list(pos_upd[0])[1:] if pos_upd else [])
    writer.update("artist_tokens", token_upd, list(token_upd[0])[1:] if token_upd else [])


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
