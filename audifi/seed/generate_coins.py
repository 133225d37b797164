"""Artist Coins (ERC-20): initial allocation, one AMM pool each, swaps moving balances.

Token amounts are Python ints in base units (18 decimals); balances move only between wallets
(the pool is a holder too), so the holders' balances always sum to the total supply (INV-21).
"""

from __future__ import annotations

from math import isqrt

import numpy as np

from audifi.seed.context import Ctx
from audifi.seed.copy_loader import RowBuffer
from audifi.seed.timeline import CHAINS, DAY, block_at, chain_by_id

UNIT = 10**18
USDC = 10**6
POOL_TYPE = {"1": "uniswap_v2", "137": "sushiswap", "42161": "uniswap_v3"}


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
        events.append(
            _pool_event(
                ctx,
                chain,
                pool_id,
                tok_id,
                pool_addr,
                "add_liquidity",
                pool_t,
                reserve0,
                reserve1,
                addr[treasury],
                addr[treasury],
                pool_tx,
            )
        )
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
                a0 = reserve0 * a1 * 997 // (reserve1 * 1000 + a1 * 997)
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
                a1 = reserve1 * a0 * 997 // (reserve0 * 1000 + a0 * 997)
                reserve0 += a0
                reserve1 -= a1
                bal[trader] -= a0
                bal[pool_w] += a0
                tx = ctx.ids.tx_hashes(f"coin{chain.chain_id}", 1)[0]
            if t >= ctx.end - DAY:
                vol24 += a1
            events.append(
                _pool_event(
                    ctx,
                    chain,
                    pool_id,
                    tok_id,
                    pool_addr,
                    "swap",
                    t,
                    a0,
                    a1,
                    addr[trader],
                    addr[trader],
                    tx,
                )
            )
        head = int(block_at(chain, ctx.end - 1)[0])
        price_now = (reserve1 / USDC) / (reserve0 / UNIT)
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
                "last_price_usd": f"{price_now:.18f}",
                "market_cap_usd": f"{price_now * circulating / UNIT:.8f}",
                "volume_24h_usd": f"{vol24 / USDC:.8f}",
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
                "total_value_locked_usd": f"{2 * reserve1 / USDC:.8f}",
                "volume_24h_usd": f"{vol24 / USDC:.8f}",
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
                "position_value_usd": f"{2 * reserve1 / USDC:.8f}",
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


def _pool_event(
    ctx: Ctx,
    chain,
    pool_id: str,
    tok_id: str,
    pool_addr: str,
    kind: str,
    t: int,
    a0: int,
    a1: int,
    sender: str,
    recipient: str,
    tx: str,
) -> dict:
    blk, bts = block_at(chain, t)
    return {
        "id": ctx.ids.uuid("pool_events"),
        "liquidity_pool_id": pool_id,
        "artist_token_id": tok_id,
        "event_type": kind,
        "chain_id": chain.chain_id,
        "pool_address": pool_addr,
        "tx_hash": tx,
        "block_number": int(blk),
        "block_timestamp": int(bts),
        "amount0": a0,
        "amount1": a1,
        "amount_usd": f"{a1 / USDC:.8f}",
        "sender": sender,
        "recipient": recipient,
        "created_at": int(bts) + 30,
    }
