"""NFT transfers and resales of the appended days, and the owner/listing state they change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import psycopg

from audifi.seed.append_state import Window
from audifi.seed.copy_loader import Loader
from audifi.seed.ids import ZERO_ADDRESS
from audifi.seed.nfts import MARKETS
from audifi.seed.timeline import CHAINS, block_at, chain_by_id


@dataclass(frozen=True)
class Move:
    """A token's one transfer inside the window: before ``t`` it still belongs to ``old``."""

    t: int
    old: str
    new: str


def owner_at(current: str, move: Move | None, t: int) -> str:
    return move.old if move is not None and t < move.t else current


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
        moves[nid] = Move(bts, owner, to)
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
