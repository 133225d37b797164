"""Pre-formatted column frames for the large tables kept as numpy arrays in memory."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from audifi.seed.context import COUNTRIES, Ctx
from audifi.seed.copy_loader import NULL, col_const, col_int, col_pick, col_ts
from audifi.seed.generate_nfts import MARKETS, wei
from audifi.seed.generate_revenue import DSP_PLATFORMS, USD_PER_EUR
from audifi.seed.generate_vstudio import EVENT_TYPES, REACTIONS
from audifi.seed.ids import ZERO_ADDRESS
from audifi.seed.timeline import block_at, chain_by_id

CHUNK = 200_000
TYPES = ["mint", "transfer", "sale", "burn"]


def _wallet_lookup(ctx: Ctx) -> list[str]:
    return [*ctx.dims["wallets"]["address"], ZERO_ADDRESS]  # index -1 -> ZERO


def col_wallet(lookup: list[str], idx: np.ndarray) -> list[str]:
    """Wallet addresses by index; -1 is the ZERO address (mint sender, burn receiver)."""
    return [lookup[i] for i in np.asarray(idx).tolist()]


def _blocks(chain_ids: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    blk = np.zeros(len(t), np.int64)
    ts = np.zeros(len(t), np.int64)
    for cid in np.unique(chain_ids).tolist():
        sel = chain_ids == cid
        blk[sel], ts[sel] = block_at(chain_by_id(cid), t[sel])
    return blk, ts


def nft_frames(ctx: Ctx) -> Iterator[dict[str, list[str]]]:
    nfts = ctx.dims["nfts"]
    contracts = ctx.rows["master_contracts"]
    c_ids = [c["id"] for c in contracts]
    c_master = [c["master_id"] for c in contracts]
    c_addr = [c["contract_address"] for c in contracts]
    c_chain = np.array([c["chain_id"] for c in contracts])
    c_price = [wei(c["_ipo"]["_price_gwei"]) for c in contracts]
    c_native = [c["_ipo"]["mint_price_currency"] for c in contracts]
    c_mover = np.array([c["_ipo"]["mover_advantage_enabled"] for c in contracts])
    c_resale = np.array([c["_ipo"]["allow_secondary_resale"] for c in contracts])
    mint_tx = ctx.dims["mint_tx"]
    addr = _wallet_lookup(ctx)
    rng = ctx.child_rng(7)
    n = len(nfts["contract"])
    # platform listings: only for live tokens of resellable masters (INV-35)
    alive = nfts["owner"] >= 0
    listed = alive & c_resale[nfts["contract"]] & (rng.random(n) < 0.06)
    sold = alive & ~listed & (nfts["last_type"] == 2) & (rng.random(n) < 0.3)
    listed_at = nfts["last_t"] + (rng.random(n) * (ctx.end - 1 - nfts["last_t"])).astype(np.int64)
    updated = np.where(listed, listed_at, nfts["last_t"])
    for a in range(0, n, CHUNK):
        s = slice(a, min(n, a + CHUNK))
        c = nfts["contract"][s]
        tid = nfts["token_id"][s]
        chains = c_chain[c]
        mblk, _ = _blocks(chains, nfts["mint_t"][s])
        lblk, _ = _blocks(chains, nfts["last_t"][s])
        flags = {
            f"is_{name}_minter": np.where(c_mover[c] & (tid == k + 1), "t", "f").tolist()
            for k, name in enumerate(("first", "second", "third"))
        }
        lst = np.where(listed[s], 1, np.where(sold[s], 3, 0))
        yield {
            "id": nfts["ids"][s],
            "master_id": col_pick(c_master, c),
            "master_contract_id": col_pick(c_ids, c),
            "token_id": col_int(tid),
            "chain_id": chains.tolist(),
            "contract_address": col_pick(c_addr, c),
            "current_owner_wallet": col_wallet(addr, nfts["owner"][s]),
            **flags,
            "original_minter_wallet": col_wallet(addr, nfts["minter"][s]),
            "mint_tx_hash": mint_tx[s],
            "minted_at_block": col_int(mblk),
            "minted_at": col_ts(nfts["mint_t"][s]),
            "mint_price_wei": col_pick(c_price, c),
            "listing_status": col_pick(["not_listed", "listed", "in_escrow", "sold"], lst),
            "listing_price_wei": col_pick(c_price, np.where(listed[s], c, -1)),
            "listing_currency": col_pick(c_native, np.where(listed[s], c, -1)),
            "listed_at": [
                x if ok else NULL
                for x, ok in zip(col_ts(listed_at[s]), listed[s].tolist(), strict=True)
            ],
            "token_uri": [f"ipfs://meta/{x}" for x in col_int(tid)],
            "total_dividends_received": col_int(nfts["dividends"][s]),
            "last_indexed_block": col_int(lblk),
            "last_indexed_at": col_ts(nfts["last_t"][s]),
            "created_at": col_ts(nfts["mint_t"][s]),
            "updated_at": col_ts(updated[s]),
        }


def transfer_frames(ctx: Ctx) -> Iterator[dict[str, list[str]]]:
    tr = ctx.dims["transfers"]
    nfts = ctx.dims["nfts"]
    contracts = ctx.rows["master_contracts"]
    c_master = [c["master_id"] for c in contracts]
    c_addr = [c["contract_address"] for c in contracts]
    c_chain = np.array([c["chain_id"] for c in contracts])
    c_native = [c["_ipo"]["mint_price_currency"] for c in contracts]
    artist_wallet = ctx.dims["artist_royalty_wallet"]
    addr = _wallet_lookup(ctx)
    n = len(tr["tok"])
    tx = ctx.dims["transfer_tx"]
    ids = ctx.ids.uuids("nft_transfers", n)
    for a in range(0, n, CHUNK):
        s = slice(a, min(n, a + CHUNK))
        tok = tr["tok"][s]
        c = nfts["contract"][tok]
        chains = c_chain[c]
        blk, bts = _blocks(chains, tr["t"][s])
        ttype = tr["type"][s]
        sale = ttype == 2
        yield {
            "id": ids[s],
            "master_nft_id": col_pick(nfts["ids"], tok),
            "master_id": col_pick(c_master, c),
            "token_id": col_int(nfts["token_id"][tok]),
            "chain_id": chains.tolist(),
            "contract_address": col_pick(c_addr, c),
            "from_wallet": col_wallet(addr, tr["frm"][s]),
            "to_wallet": col_wallet(addr, tr["to"][s]),
            "tx_hash": tx[s],
            "block_number": col_int(blk),
            "log_index": col_int(np.where(sale, 2, 0)),
            "block_timestamp": col_ts(bts),
            "transfer_type": col_pick(TYPES, ttype),
            "sale_price_wei": [
                wei(p) if ok else NULL
                for p, ok in zip(tr["price"][s].tolist(), sale.tolist(), strict=True)
            ],
            "sale_currency": col_pick(c_native, np.where(sale, c, -1)),
            "marketplace": col_pick(MARKETS.tolist(), np.where(sale, tr["market"][s], -1)),
            "royalty_paid_wei": [
                wei(p) if ok else NULL
                for p, ok in zip(tr["royalty"][s].tolist(), sale.tolist(), strict=True)
            ],
            "royalty_recipient": col_pick(artist_wallet, np.where(sale, c, -1)),
            "created_at": col_ts(bts + 30),
        }


def snapshot_frames(ctx: Ctx) -> Iterator[dict[str, list[str]]]:
    """Ownership at each master's latest dividend snapshot (reason ``dividend``)."""
    nfts = ctx.dims["nfts"]
    contracts = ctx.rows["master_contracts"]
    addr = _wallet_lookup(ctx)
    m_ids = ctx.dims["masters"]["id"]
    for master in sorted(ctx.dims["last_dist"]):
        t, toks, owners, _ = ctx.dims["last_dist"][master]
        c = nfts["contract"][toks]
        chain = contracts[int(c[0])]["chain_id"]
        blk, bts = block_at(chain_by_id(chain), np.full(len(toks), t))
        yield {
            "id": ctx.ids.uuids("nft_ownership_snapshots", len(toks)),
            "master_id": col_const(m_ids[master], len(toks)),
            "token_id": col_int(nfts["token_id"][toks]),
            "chain_id": col_const(chain, len(toks)),
            "contract_address": col_const(contracts[int(c[0])]["contract_address"], len(toks)),
            "owner_wallet": col_wallet(addr, owners),
            "snapshot_timestamp": col_ts(bts),
            "snapshot_block_number": col_int(blk),
            "snapshot_reason": col_const("dividend", len(toks)),
            "created_at": col_ts(bts + 60),
        }


def dsp_frames(ctx: Ctx) -> Iterator[dict[str, list[str]]]:
    d = ctx.dims["dsp"]
    m_ids = ctx.dims["masters"]["id"]
    rev_ids = ctx.dims["dsp_revenue_ids"]
    n = len(d["day"])
    ids = ctx.ids.uuids("dsp_stream_reports", n)
    for a in range(0, n, CHUNK):
        s = slice(a, min(n, a + CHUNK))
        cents = d["cents"][s]
        eur = d["eur"][s]
        usd = [f"{c // 100}.{c % 100:02d}" for c in cents.tolist()]
        amount = [
            f"{c / 100 / USD_PER_EUR:.8f}" if e else u
            for c, e, u in zip(cents.tolist(), eur.tolist(), usd, strict=True)
        ]
        day = d["day"][s]
        month = np.datetime_as_string(np.asarray(day * 86400, "datetime64[s]"), unit="M")
        yield {
            "id": ids[s],
            "master_id": col_pick(m_ids, d["master"][s]),
            "platform": col_pick(DSP_PLATFORMS.tolist(), d["platform"][s]),
            "country_code": col_pick(COUNTRIES.tolist(), d["country"][s]),
            "report_date": np.datetime_as_string(
                np.asarray(day, "datetime64[D]"), unit="D"
            ).tolist(),
            "stream_count": col_int(d["streams"][s]),
            "listener_count": col_int(d["listeners"][s]),
            "royalty_amount": amount,
            "currency": ["EUR" if e else "USD" for e in eur.tolist()],
            "royalty_amount_usd": usd,
            "statement_id": [
                f"STMT-{p}-{mo}"
                for p, mo in zip(
                    col_pick(DSP_PLATFORMS.tolist(), d["platform"][s]), month.tolist(), strict=True
                )
            ],
            "revenue_event_id": col_pick(rev_ids, d["revenue"][s]),
            "ingested_at": col_ts((day + 2) * 86400),
        }


def engagement_frames(ctx: Ctx) -> Iterator[dict[str, list[str]]]:
    e = ctx.dims["engagement"]
    order = np.lexsort((e["t"], e["session"]))
    users = ctx.dims["users"]
    uw = ctx.dims["wallets"]["user_wallet"]
    addr = ctx.dims["wallets"]["address"]
    wallet_of_user = [addr[w] if w >= 0 else NULL for w in uw.tolist()]
    data = [f'{{"emoji":"{r}"}}' for r in REACTIONS] + ['{"channel":"x"}']
    n = len(order)
    ids = ctx.ids.uuids("vstudio_engagement_events", n)
    for a in range(0, n, CHUNK):
        o = order[a : a + CHUNK]
        u = e["user"][o]
        yield {
            "id": ids[a : a + CHUNK],
            "vstudio_session_id": col_pick(ctx.dims["session_ids"], e["session"][o]),
            "user_id": col_pick(users["id"], u),
            "wallet_address": col_pick(wallet_of_user, u),
            "event_type": col_pick(EVENT_TYPES, e["type"][o]),
            "event_data": col_pick(data, e["data"][o]),
            "decision_point_id": col_pick(ctx.dims["dp_ids"], e["dp"][o]),
            "created_at": col_ts(e["t"][o]),
        }
