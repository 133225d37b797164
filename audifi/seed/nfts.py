"""Master IPOs, Master Contracts, minted NFTs and their on-chain transfer history.

Mints happen inside the IPO's actual window; token ids 1, 2, 3 carry the Mover Advantage flags
(the OLTP model's three minters, INV-09/INV-41).  Every token's events are at least a minute
apart, so its history has a strict (block, log_index) order on every chain.  Prices,
marketplaces and the Mover Advantage minters are also the rules of ``append_ipos``.
``append_nft_transfers`` moves tokens in appended days (at most one transfer or sale each).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import psycopg

from audifi.seed.append_state import Window
from audifi.seed.context import Ctx
from audifi.seed.copy_loader import Loader
from audifi.seed.ids import ZERO_ADDRESS, IdFactory
from audifi.seed.timeline import (
    CHAIN_REFERENCE,
    CHAIN_WEIGHTS,
    CHAINS,
    DAY,
    Chain,
    block_at,
    chain_by_id,
)

GAP = 60  # seconds between two events of the same token
MARKETS = ["AudiFi", "OpenSea", "Blur"]
# with Mover Advantage, tokens 1-3 flag their minter (INV-41: 300/200/100 bps)
MOVER_MINTERS = ("first", "second", "third")
MOVER_BONUS_BPS = (300, 200, 100)


def mover_bonus(mover: bool) -> dict[str, int | None]:
    """The IPO's Mover Advantage bonus columns (NULL when it is disabled)."""
    return {
        f"{name}_minter_bonus_bps": bps if mover else None
        for name, bps in zip(MOVER_MINTERS, MOVER_BONUS_BPS, strict=True)
    }


# mint price per chain in gwei (1e9 wei), so every wei amount is an exact integer string
PRICE_GWEI = {
    "1": (10_000_000, 300_000_000),
    "137": (5_000_000_000, 200_000_000_000),
    "42161": (5_000_000, 200_000_000),
}


def wei(gwei: int) -> str:
    return "0" if gwei == 0 else f"{gwei}000000000"


def generate_ipos(ctx: Ctx) -> None:
    rng, sc = ctx.rng, ctx.scale
    m = ctx.dims["masters"]
    n = len(m["id"])
    ipos, contracts = [], []
    for i in range(n):
        st, rel = str(m["status"][i]), int(m["release"][i])
        if st in ("live", "archived") and ctx.end - rel > 5 * DAY and rng.random() < sc.ipo_share:
            start = rel + int(rng.uniform(1, 30) * DAY)
            dur = int(rng.uniform(7, 30) * DAY)
            if start >= ctx.end - DAY:
                status = "scheduled"
            elif rng.random() < 0.04:
                status = "cancelled"
            else:
                status = "closed" if start + dur < ctx.end - 3600 else "live"
        elif st == "approved" and rng.random() < sc.ipo_share / 2:
            start = max(ctx.end, rel) + int(rng.uniform(2, 40) * DAY)
            dur = int(rng.uniform(7, 30) * DAY)
            status = "scheduled" if rng.random() < 0.6 else "draft"
        else:
            continue
        lo, hi = sc.supply_range
        supply = int(np.exp(rng.uniform(np.log(lo), np.log(hi))))
        split = (5000, 4000, 1000) if rng.random() < 0.7 else (6000, 3000, 1000)
        mover = bool(rng.random() < 0.85)
        chain = CHAINS[int(rng.choice(3, p=CHAIN_WEIGHTS))]
        plo, phi = PRICE_GWEI[chain.chain_id]
        price = int(np.exp(rng.uniform(np.log(plo), np.log(phi)))) // 1000 * 1000
        actual_start = start + int(rng.integers(0, 7200)) if status in ("live", "closed") else None
        actual_end = start + dur if status == "closed" else None
        created = int(m["created"][i]) + DAY
        ipo = {
            "id": ctx.ids.uuid("master_ipos"),
            "master_id": m["id"][i],
            "total_supply": supply,
            "minted_supply": 0,
            "mint_price_wei": wei(price),
            "mint_price_currency": chain.native,
            "revenue_share_nft_holders_bps": split[0],
            "retained_artist_bps": split[1],
            "retained_platform_bps": split[2],
            "status": status,
            "scheduled_start_at": None if status == "draft" else start,
            "scheduled_end_at": None if status == "draft" else start + dur,
            "actual_start_at": actual_start,
            "actual_end_at": actual_end,
            "mover_advantage_enabled": mover,
            **mover_bonus(mover),
            "secondary_royalty_bps": int(rng.choice([500, 750, 1000, 1000, 1000])),
            "allow_secondary_resale": bool(rng.random() < 0.9),
            "created_at": created,
            "updated_at": max(created, actual_end or actual_start or 0),
            "_master": i,
            "_chain": chain,
            "_price_gwei": price,
        }
        ipos.append(ipo)
        if status in ("live", "closed"):
            deployed = actual_start - int(rng.uniform(0.2, 2) * DAY)
            royalty = ipo["secondary_royalty_bps"]
            row = master_contract_row(ctx.ids, m["id"][i], chain, deployed, supply, royalty)
            contracts.append({**row, "_ipo": ipo})
    ctx.rows["master_ipos"] = ipos
    ctx.rows["master_contracts"] = contracts
    _mint_and_trade(ctx)


def master_contract_row(
    ids: IdFactory, master: str, chain: Chain, deployed: int, supply: int, royalty_bps: int
) -> dict[str, Any]:
    """A Master Contract deployed at ``deployed`` (full seed and appended IPOs)."""
    return {
        "id": ids.uuid("master_contracts"),
        "master_id": master,
        "chain_id": chain.chain_id,
        "contract_address": ids.addresses("master_contract", 1)[0],
        "deployment_tx_hash": ids.tx_hashes(f"deploy{chain.chain_id}", 1)[0],
        "deployed_at_block": int(block_at(chain, deployed)[0]),
        "deployed_at": deployed,
        "contract_total_supply": supply,
        "contract_royalty_bps": royalty_bps,
        "abi_version": "1.0",
        "created_at": deployed,
        "updated_at": deployed,
    }


def _mint_and_trade(ctx: Ctx) -> None:
    rng, sc = ctx.rng, ctx.scale
    contracts = ctx.rows["master_contracts"]
    wallets = ctx.dims["wallets"]
    # collectors: per chain a shuffled pool; u**2.5 concentrates tokens on the first wallets
    pools = {cid: rng.permutation(p) for cid, p in wallets["pool"].items()}

    tok_contract, tok_t, tok_minter = [], [], []
    for ci, c in enumerate(contracts):
        ipo = c["_ipo"]
        a0 = ipo["actual_start_at"]
        a1 = min(ipo["actual_end_at"] or ctx.end, ctx.end - 2 * 3600)
        if ipo["status"] == "closed":
            n = int(ipo["total_supply"] * rng.uniform(0.3, 1.0))
        else:
            frac = (a1 - a0) / max(1, ipo["scheduled_end_at"] - a0)
            n = int(ipo["total_supply"] * rng.uniform(0.05, 0.6) * frac)
        n = max(1, min(n, ipo["total_supply"]))
        t = np.sort(a0 + (rng.beta(0.6, 2.5, n) * (a1 - a0)).astype(np.int64))
        pool = pools[c["chain_id"]]
        minter = pool[(rng.random(n) ** 2.5 * len(pool)).astype(int)]
        tok_contract.append(np.full(n, ci))
        tok_t.append(t)
        tok_minter.append(minter)
        ipo["minted_supply"] = n
    tok_contract = np.concatenate(tok_contract)
    mint_t = np.concatenate(tok_t)
    minter = np.concatenate(tok_minter)
    n_tok = len(tok_contract)
    # token ids 1..n per contract in mint order (tokens are generated contract by contract)
    first = np.r_[0, np.flatnonzero(np.diff(tok_contract)) + 1]
    token_id = np.arange(n_tok) - np.repeat(first, np.diff(np.r_[first, n_tok])) + 1

    # secondary events per token: Poisson, more for tokens of popular masters
    m_pop = ctx.dims["masters"]["pop"]
    c_master = np.array([c["_ipo"]["_master"] for c in contracts])
    w = m_pop[c_master[tok_contract]]
    w = np.clip(w / np.median(w), 0.2, 5)
    k = rng.poisson(sc.resales_per_nft * w / w.mean())
    burn = rng.random(n_tok) < 0.015
    ev_tok = np.repeat(np.arange(n_tok), k + 1)  # + the mint
    rank = np.arange(len(ev_tok)) - np.repeat(np.r_[0, np.cumsum(k + 1)[:-1]], k + 1)
    room = (ctx.end - 2 * 3600 - mint_t)[ev_tok]
    t = mint_t[ev_tok] + (rng.random(len(ev_tok)) * room).astype(np.int64)
    t[rank == 0] = mint_t[ev_tok[rank == 0]]
    order = np.lexsort((t, rank > 0, ev_tok))  # mint first, then by time
    ev_tok, t = ev_tok[order], t[order]
    # enforce GAP seconds between consecutive events of a token: running max of t - GAP*rank
    s = t - GAP * rank + ev_tok.astype(np.int64) * (1 << 40)
    t = np.maximum.accumulate(s) - ev_tok.astype(np.int64) * (1 << 40) + GAP * rank
    keep = t < ctx.end - 3600
    keep |= rank == 0
    ev_tok, t, rank = ev_tok[keep], t[keep], rank[keep]
    n_ev = len(ev_tok)
    last = np.r_[ev_tok[1:] != ev_tok[:-1], True]

    # receivers: collectors of the token's chain; never the current owner
    chain_of_tok = np.array([c["chain_id"] for c in contracts])[tok_contract]
    to = np.empty(n_ev, dtype=np.int64)
    for cid, pool in pools.items():
        sel = chain_of_tok[ev_tok] == cid
        to[sel] = pool[(rng.random(sel.sum()) ** 2.0 * len(pool)).astype(int)]
    to[rank == 0] = minter[ev_tok[rank == 0]]
    for _ in range(20):  # re-draw receivers equal to the sender until none is left
        clash = np.r_[False, (to[1:] == to[:-1]) & (rank[1:] > 0)]
        if not clash.any():
            break
        to[clash] = (to[clash] * 7 + 13) % len(wallets["address"])
    frm = np.r_[-1, to[:-1]]
    frm[rank == 0] = -1
    is_burn = last & burn[ev_tok] & (rank > 0)
    to[is_burn] = -1

    resale_ok = np.array([c["_ipo"]["allow_secondary_resale"] for c in contracts])[tok_contract]
    sale = (rank > 0) & ~is_burn & resale_ok[ev_tok] & (rng.random(n_ev) < 0.65)
    ttype = np.where(rank == 0, 0, np.where(is_burn, 3, np.where(sale, 2, 1)))
    price_gwei = np.array([c["_ipo"]["_price_gwei"] for c in contracts])[tok_contract]
    sale_price = np.where(
        sale,
        (price_gwei[ev_tok] * rng.lognormal(0.2, 0.5, n_ev)).astype(np.int64) // 1000 * 1000,
        0,
    )
    royalty_bps = np.array([c["contract_royalty_bps"] for c in contracts])[tok_contract]
    royalty = sale_price * royalty_bps[ev_tok] // 10_000

    ctx.dims["nfts"] = {
        "contract": tok_contract,
        "token_id": token_id,
        "mint_t": mint_t,
        "minter": minter,
        "ids": ctx.ids.uuid_array("master_nfts", n_tok),
        "dividends": np.zeros(n_tok, np.int64),
        "owner": to[last],
        "last_t": t[last],
        "last_type": ttype[last],
        "c_master": c_master,
    }
    ctx.dims["transfers"] = {
        "tok": ev_tok,
        "t": t,
        "frm": frm,
        "to": to,
        "type": ttype,
        "price": sale_price,
        "royalty": royalty,
        "market": rng.integers(0, len(MARKETS), n_ev),
        "key": _event_key(ev_tok, t),
    }
    _minter_flags(ctx)
    _sales_per_artist(ctx)


def _event_key(tok: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Sort key of a token's event at ``t``: token first, then time."""
    return tok.astype(np.int64) * (1 << 32) + (np.asarray(t) - CHAIN_REFERENCE)


def receiver_at(
    ev_tok: np.ndarray, ev_key: np.ndarray, ev_to: np.ndarray, tok: np.ndarray, t: Any, before: Any
) -> np.ndarray:
    """The ownership rule of the full seed and appended days: a token belongs to the receiver of
    its last transfer at or before ``t`` (one at ``t`` already counts), before its first to
    ``before``.  The events are sorted by ``_event_key``."""
    pos = np.searchsorted(ev_key, _event_key(tok, t), side="right") - 1
    ok = (pos >= 0) & (ev_tok[np.maximum(pos, 0)] == tok)
    return np.where(ok, ev_to[np.maximum(pos, 0)], before)


def owner_at(ctx: Ctx, tok: np.ndarray, t: np.ndarray | int) -> np.ndarray:
    """Wallet index owning each token at time ``t`` (-1: not minted yet or burned)."""
    tr = ctx.dims["transfers"]
    return receiver_at(tr["tok"], tr["key"], tr["to"], tok, t, -1)


def _minter_flags(ctx: Ctx) -> None:
    nfts = ctx.dims["nfts"]
    addr = ctx.dims["wallets"]["address"]
    # contracts are contiguous blocks of tokens with ids 1..n
    first_tok = np.flatnonzero(nfts["token_id"] == 1)
    for ci, c in enumerate(ctx.rows["master_contracts"]):
        base = int(first_tok[ci])
        if not c["_ipo"]["mover_advantage_enabled"]:
            continue
        n = c["_ipo"]["minted_supply"]
        for j, col in enumerate(MOVER_MINTERS):
            if j < n:
                c[f"{col}_minter_wallet"] = addr[nfts["minter"][base + j]]


def _sales_per_artist(ctx: Ctx) -> None:
    tr, nfts = ctx.dims["transfers"], ctx.dims["nfts"]
    artist_of_master = ctx.dims["masters"]["artist"]
    sales_tok = tr["tok"][tr["type"] == 2]
    artist = artist_of_master[nfts["c_master"][nfts["contract"][sales_tok]]]
    counts = np.bincount(artist, minlength=len(ctx.rows["artists"]))
    for k, row in enumerate(ctx.rows["artists"]):
        row["total_sales"] = int(counts[k])


@dataclass(frozen=True)
class Move:
    """A token's one transfer inside the window: before ``t`` it still belongs to ``old``."""

    t: int
    old: str


def owners_in_window(toks: list[tuple[str, str]], moves: dict[str, Move], t: int) -> list[str]:
    """The owners at ``t`` of tokens (id, owner after the window): ``receiver_at`` over the
    window's moves, before which each token has the owner it entered the window with."""
    before = [moves[nid].old if nid in moves else cur for nid, cur in toks]
    moved = [i for i, (nid, _) in enumerate(toks) if nid in moves]
    if not moved:
        return before
    ev_tok = np.array(moved, np.int64)
    ev_key = _event_key(ev_tok, np.array([moves[toks[i][0]].t for i in moved]))
    ev_to = np.array([toks[i][1] for i in moved], object)  # a moved token's owner is its new one
    tok = np.arange(len(toks))
    return receiver_at(ev_tok, ev_key, ev_to, tok, t, np.array(before, object)).tolist()


def append_nft_transfers(conn: psycopg.Connection, writer: Loader, w: Window) -> dict[str, Move]:
    """At most one transfer or sale per live token (so each token's history stays ordered);
    returns the moves by ``master_nfts.id`` for the later stages' point-in-time ownership."""
    toks = conn.execute(
        """SELECT n.id::text, n.master_id::text, n.token_id, n.chain_id, n.contract_address,
                  n.current_owner_wallet, i.allow_secondary_resale, i.secondary_royalty_bps,
                  coalesce(n.mint_price_wei, 0), coalesce(i.mint_price_currency, 'ETH'),
                  (SELECT uw.wallet_address FROM oltp.user_wallets uw
                   WHERE uw.user_id = a.user_id AND uw.chain_id = '1' LIMIT 1)
           FROM oltp.master_nfts n
           JOIN oltp.master_ipos i ON i.master_id = n.master_id
           JOIN oltp.masters m ON m.id = n.master_id
           JOIN oltp.artists a ON a.id = m.artist_id
           WHERE n.current_owner_wallet <> %s
           ORDER BY n.chain_id, n.contract_address, n.token_id""",
        (ZERO_ADDRESS,),
    ).fetchall()
    if not toks:
        return {}
    rng = w.rng("nfts")
    moved = conn.execute(
        "SELECT count(*) FROM oltp.nft_transfers WHERE transfer_type <> 'mint'"
    ).fetchone()[0]  # type: ignore[index]
    k = min(len(toks), int(rng.poisson(max(1.0, moved / w.history_days * w.days))))
    chosen = np.sort(rng.choice(len(toks), k, replace=False))
    receivers = {
        c.chain_id: [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT to_wallet FROM oltp.nft_transfers WHERE chain_id = %s "
                "AND to_wallet <> %s ORDER BY 1",
                (c.chain_id, ZERO_ADDRESS),
            )
        ]
        for c in CHAINS
    }
    times = np.sort(rng.integers(w.start + 60, w.end - 60, k))
    hashes = w.ids.tx_hashes("nft", k)
    rows, owners, moves = [], [], {}
    for j, (ti, t) in enumerate(zip(chosen.tolist(), times.tolist(), strict=True)):
        nid, mid, token, cid, caddr, owner, resale, bps, mint_price, cur, artist_w = toks[ti]
        pool = receivers[cid]
        to = pool[int(rng.random() ** 2 * len(pool))]
        if to == owner:
            continue
        sale = bool(resale) and rng.random() < 0.65
        price = int(Decimal(mint_price) * Decimal(str(round(rng.lognormal(0.2, 0.5), 3))))
        price = price // 10**9 * 10**9
        blk, bts = (int(x) for x in block_at(chain_by_id(cid), t))
        rows.append(
            {
                "id": w.ids.uuid("nft_transfers"),
                "master_nft_id": nid,
                "master_id": mid,
                "token_id": token,
                "chain_id": cid,
                "contract_address": caddr,
                "from_wallet": owner,
                "to_wallet": to,
                "tx_hash": hashes[j],
                "block_number": blk,
                "log_index": 2 if sale else 0,
                "block_timestamp": bts,
                "transfer_type": "sale" if sale else "transfer",
                "sale_price_wei": price if sale else None,
                "sale_currency": cur if sale else None,
                "marketplace": MARKETS[j % len(MARKETS)] if sale else None,
                "royalty_paid_wei": price * bps // 10_000 if sale else None,
                "royalty_recipient": artist_w if sale else None,
                "created_at": bts + 30,
            }
        )
        # a token that changes hands is delisted; "sold" marks a sale as its last move
        owners.append(
            {
                "id": nid,
                "current_owner_wallet": to,
                "listing_status": "sold" if sale else "not_listed",
                "updated_at": bts,
                "last_indexed_block": blk,
                "last_indexed_at": bts,
            }
        )
        moves[nid] = Move(bts, owner)
    writer.copy_rows("nft_transfers", rows)
    writer.update(
        "master_nfts",
        owners,
        [
            "current_owner_wallet",
            "listing_status",
            "listing_price_wei",
            "listing_currency",
            "listed_at",
            "updated_at",
            "last_indexed_block",
            "last_indexed_at",
        ],
    )
    return moves
