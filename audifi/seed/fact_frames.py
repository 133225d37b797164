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
from audifi.seed.nfts import nft_frames as nfts_frames
from audifi.seed.timeline import block_at, chain_by_id

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
    """The full seed's tokens (``nfts.Market.nft_frames``) with the dividends they received."""
    nfts = ctx.dims["nfts"]
    paid = tsv.concat(tsv.ints(nfts["dividends"]), _Contracts(ctx).div_suffix[nfts["contract"]])
    return nfts_frames(ctx, paid)


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
