"""Column frames of the large tables kept as numpy arrays: formatted by ``tsv``, chunk by chunk.

Each frame maps column names to byte-string arrays (or a constant); missing columns are NULL.
Lookups (ids, addresses) are turned into byte-string arrays once per table, then picked by index.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from audifi.seed import tsv
from audifi.seed.context import Ctx
from audifi.seed.ids import ZERO_ADDRESS
from audifi.seed.money import dividend_token
from audifi.seed.nfts import MARKETS, MOVER_MINTERS
from audifi.seed.timeline import block_at, chain_by_id
from audifi.seed.vstudio import EVENT_TYPES, REACTIONS

TYPES = ["mint", "transfer", "sale", "burn"]
LISTING = ["not_listed", "listed", "in_escrow", "sold"]

Frame = dict[str, np.ndarray | bytes]


def _wallets_or_zero(ctx: Ctx) -> np.ndarray:
    """Wallet addresses by index; -1 is the ZERO address (mint sender, burn receiver)."""
    return tsv.as_bytes([*ctx.dims["wallets"]["address"], ZERO_ADDRESS])


def _lookup(values: list) -> np.ndarray:
    return tsv.with_null(tsv.as_bytes([str(v) for v in values]))


def _wei(gwei: np.ndarray) -> np.ndarray:
    """Prices are whole gwei, so wei is the gwei digits and nine zeros (0 stays 0)."""
    return np.where(gwei == 0, b"0", tsv.concat(tsv.ints(gwei), b"000000000"))


def _blocks(chain_ids: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    blk = np.zeros(len(t), np.int64)
    ts = np.zeros(len(t), np.int64)
    for cid in np.unique(chain_ids).tolist():
        sel = chain_ids == cid
        blk[sel], ts[sel] = block_at(chain_by_id(cid), t[sel])
    return blk, ts


class _Contracts:
    """Per master contract: byte-string lookups by contract index (-1: NULL)."""

    def __init__(self, ctx: Ctx) -> None:
        cs = ctx.rows["master_contracts"]
        self.id = _lookup([c["id"] for c in cs])
        self.master = _lookup([c["master_id"] for c in cs])
        self.address = _lookup([c["contract_address"] for c in cs])
        self.chain = np.array([c["chain_id"] for c in cs])
        self.chain_s = _lookup(list(self.chain))
        self.price_gwei = np.array([c["_ipo"]["_price_gwei"] for c in cs], np.int64)
        self.price = tsv.with_null(_wei(self.price_gwei))
        self.native = _lookup([c["_ipo"]["mint_price_currency"] for c in cs])
        self.mover = np.array([c["_ipo"]["mover_advantage_enabled"] for c in cs], bool)
        self.resale = np.array([c["_ipo"]["allow_secondary_resale"] for c in cs], bool)
        # base-unit suffix of the token each master contract's dividend contract pays in
        paid = {
            d["linked_master_contract"]: dividend_token(d["contract_address"]).suffix
            for d in ctx.rows["dividend_contracts"]
            if d["distribution_model"] == "per_master"
        }
        self.div_suffix = np.array([paid.get(c["contract_address"], b"") for c in cs], "S9")

    def token(self, c: np.ndarray, token_id: np.ndarray) -> Frame:
        """The columns that name a token of contracts ``c``: master, token id, chain, contract."""
        return {
            "master_id": self.master[c],
            "token_id": tsv.ints(token_id),
            "chain_id": self.chain_s[c],
            "contract_address": self.address[c],
        }


def nft_frames(ctx: Ctx) -> Iterator[Frame]:
    nfts = ctx.dims["nfts"]
    cs = _Contracts(ctx)
    addr = _wallets_or_zero(ctx)
    rng = ctx.child_rng(7)
    n = len(nfts["contract"])
    # platform listings: only for live tokens of resellable masters (INV-35)
    alive = nfts["owner"] >= 0
    listed = alive & cs.resale[nfts["contract"]] & (rng.random(n) < 0.06)
    sold = alive & ~listed & (nfts["last_type"] == 2) & (rng.random(n) < 0.3)
    listed_at = nfts["last_t"] + (rng.random(n) * (ctx.end - 1 - nfts["last_t"])).astype(np.int64)
    updated = np.where(listed, listed_at, nfts["last_t"])
    listing = tsv.as_bytes(LISTING)
    for s in tsv.chunks(n):
        c = nfts["contract"][s]
        tid = nfts["token_id"][s]
        chains = cs.chain[c]
        mblk, _ = _blocks(chains, nfts["mint_t"][s])
        lblk, _ = _blocks(chains, nfts["last_t"][s])
        flags = {
            f"is_{name}_minter": np.where(cs.mover[c] & (tid == k + 1), b"t", b"f")
            for k, name in enumerate(MOVER_MINTERS)
        }
        on_sale = np.where(listed[s], c, -1)
        token = cs.token(c, tid)
        yield {
            "id": nfts["ids"][s],
            **token,
            "master_contract_id": cs.id[c],
            "current_owner_wallet": addr[nfts["owner"][s]],
            **flags,
            "original_minter_wallet": addr[nfts["minter"][s]],
            "mint_tx_hash": nfts["mint_tx"][s],
            "minted_at_block": tsv.ints(mblk),
            "minted_at": tsv.timestamps(nfts["mint_t"][s]),
            "mint_price_wei": cs.price[c],
            "listing_status": listing[np.where(listed[s], 1, np.where(sold[s], 3, 0))],
            "listing_price_wei": cs.price[on_sale],
            "listing_currency": cs.native[on_sale],
            "listed_at": tsv.null_unless(listed[s], tsv.timestamps(listed_at[s])),
            "token_uri": tsv.concat(b"ipfs://meta/", token["token_id"]),
            "total_dividends_received": tsv.concat(
                tsv.ints(nfts["dividends"][s]), cs.div_suffix[nfts["contract"][s]]
            ),
            "last_indexed_block": tsv.ints(lblk),
            "last_indexed_at": tsv.timestamps(nfts["last_t"][s]),
            "created_at": tsv.timestamps(nfts["mint_t"][s]),
            "updated_at": tsv.timestamps(updated[s]),
        }


def transfer_frames(ctx: Ctx) -> Iterator[Frame]:
    tr = ctx.dims["transfers"]
    nfts = ctx.dims["nfts"]
    cs = _Contracts(ctx)
    royalty_to = tsv.with_null(tsv.as_bytes(ctx.dims["artist_royalty_wallet"]))
    markets = tsv.with_null(tsv.as_bytes(MARKETS))
    types = tsv.as_bytes(TYPES)
    nft_ids = tsv.with_null(nfts["ids"])
    addr = _wallets_or_zero(ctx)
    n = len(tr["tok"])
    ids = ctx.ids.uuid_array("nft_transfers", n)
    for s in tsv.chunks(n):
        tok = tr["tok"][s]
        c = nfts["contract"][tok]
        blk, bts = _blocks(cs.chain[c], tr["t"][s])
        sale = tr["type"][s] == 2
        on_sale = np.where(sale, c, -1)
        yield {
            "id": ids[s],
            "master_nft_id": nft_ids[tok],
            **cs.token(c, nfts["token_id"][tok]),
            "from_wallet": addr[tr["frm"][s]],
            "to_wallet": addr[tr["to"][s]],
            "tx_hash": tr["tx"][s],
            "block_number": tsv.ints(blk),
            "log_index": np.where(sale, b"2", b"0"),
            "block_timestamp": tsv.timestamps(bts),
            "transfer_type": types[tr["type"][s]],
            "sale_price_wei": tsv.null_unless(sale, _wei(tr["price"][s])),
            "sale_currency": cs.native[on_sale],
            "marketplace": markets[np.where(sale, tr["market"][s], -1)],
            "royalty_paid_wei": tsv.null_unless(sale, _wei(tr["royalty"][s])),
            "royalty_recipient": royalty_to[on_sale],
            "created_at": tsv.timestamps(bts + 30),
        }


def snapshot_frames(ctx: Ctx) -> Iterator[Frame]:
    """Ownership at each master's latest dividend snapshot (reason ``dividend``)."""
    nfts = ctx.dims["nfts"]
    cs = _Contracts(ctx)
    addr = _wallets_or_zero(ctx)
    last = ctx.dims["last_dist"]
    masters = sorted(last)
    if not masters:
        return
    toks = np.concatenate([last[m][1] for m in masters])
    owners = np.concatenate([last[m][2] for m in masters])
    t = np.repeat([last[m][0] for m in masters], [len(last[m][1]) for m in masters])
    n = len(toks)
    ids = ctx.ids.uuid_array("nft_ownership_snapshots", n)
    for s in tsv.chunks(n):
        c = nfts["contract"][toks[s]]
        blk, bts = _blocks(cs.chain[c], t[s])
        yield {
            "id": ids[s],
            **cs.token(c, nfts["token_id"][toks[s]]),
            "owner_wallet": addr[owners[s]],
            "snapshot_timestamp": tsv.timestamps(bts),
            "snapshot_block_number": tsv.ints(blk),
            "snapshot_reason": b"dividend",
            "created_at": tsv.timestamps(bts + 60),
        }


def engagement_frames(ctx: Ctx) -> Iterator[Frame]:
    e = ctx.dims["engagement"]
    order = np.lexsort((e["t"], e["session"]))
    uw = ctx.dims["wallets"]["user_wallet"]
    addr = ctx.dims["wallets"]["address"]
    user_ids = _lookup(ctx.dims["users"]["id"])
    wallet_of_user = tsv.with_null(
        tsv.as_bytes([addr[w] if w >= 0 else "\\N" for w in uw.tolist()])
    )
    data = tsv.with_null(
        tsv.as_bytes([f'{{"emoji":"{r}"}}' for r in REACTIONS] + ['{"channel":"x"}'])
    )
    sessions = _lookup(ctx.dims["session_ids"])
    points = _lookup(ctx.dims["dp_ids"])
    types = tsv.as_bytes(EVENT_TYPES)
    n = len(order)
    ids = ctx.ids.uuid_array("vstudio_engagement_events", n)
    for s in tsv.chunks(n):
        o = order[s]
        u = e["user"][o]
        yield {
            "id": ids[s],
            "vstudio_session_id": sessions[e["session"][o]],
            "user_id": user_ids[u],
            "wallet_address": wallet_of_user[u],
            "event_type": types[e["type"][o]],
            "event_data": data[e["data"][o]],
            "decision_point_id": points[e["dp"][o]],
            "created_at": tsv.timestamps(e["t"][o]),
        }
