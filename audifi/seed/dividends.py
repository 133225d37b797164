"""Dividend claims, wallet balances and the on-chain dividend event log, as numpy columns.

At ``large`` a distribution fans out to ~5M (wallet, master) accruals, ~0.5M claims and ~0.9M
balances: Python dicts of them would take gigabytes, so every per-holder fact is an array and
the tables are formatted chunk by chunk with ``tsv``.

Claims: 60 % of the (wallet, master) pairs with accruals claim from time to time (exponential
gaps, mean 75 days, after the first accrual); each claim takes everything accrued by then, so
a claim's amount is the accruals between the previous attempt and this one (empty attempts are
dropped) and claimed <= earned always holds.

Appended days (``settle_claims``): a wallet earns its distributions' per-token amounts
(``Dividends.flow.accruals``); claims follow the same share and gap, and a claim takes
everything claimable at its instant (one transaction, ``dividend_claims`` + a ``claim``
event, INV-14).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import psycopg

from audifi.seed import tsv
from audifi.seed.context import Ctx
from audifi.seed.copy_loader import Loader
from audifi.seed.ids import keyed_uniform
from audifi.seed.money import LOG_INDEX, dividend_token, token_columns
from audifi.seed.timeline import DAY, block_at, chain_by_id

if TYPE_CHECKING:
    from audifi.seed.append_dividends import Dividends

CLAIM_SHARE = 0.6  # many holders leave dividends unclaimed for long
CLAIM_GAP_DAYS = 75.0  # mean days between a claimer's claims
KINDS = ["deposit", "distribution", "claim"]


@dataclass
class ChainEvents:
    """Deposit and distribution events of the revenue loop, one list per column."""

    contract: list[int] = field(default_factory=list)  # index into dividend_contracts rows
    master: list[int] = field(default_factory=list)  # -1: artist / platform pool
    kind: list[int] = field(default_factory=list)
    tx: list[str] = field(default_factory=list)
    block: list[int] = field(default_factory=list)
    log_index: list[int] = field(default_factory=list)
    t: list[int] = field(default_factory=list)  # block timestamp
    amount: list[int] = field(default_factory=list)
    revenue: list[int] = field(default_factory=list)  # index into revenue_events rows
    holders: list[int] = field(default_factory=list)  # -1: NULL
    per_token: list[int] = field(default_factory=list)  # -1: NULL

    def add(
        self,
        target: dict[str, Any],
        master: int,
        kind: str,
        tx: str,
        t: int,
        amount: int,
        revenue: int,
        holders: int = -1,
        per_token: int = -1,
    ) -> int:
        """An event of the dividend contract ``target`` (its row) mined at ``t``, for revenue of
        ``master`` (recorded only for per-master contracts); returns its block timestamp."""
        blk, bts = block_at(target["_chain"], t)
        self.contract.append(target["_idx"])
        self.master.append(master if target["distribution_model"] == "per_master" else -1)
        self.kind.append(KINDS.index(kind))
        self.tx.append(tx)
        self.block.append(int(blk))
        self.log_index.append(LOG_INDEX[kind])
        self.t.append(int(bts))
        self.amount.append(amount)
        self.revenue.append(revenue)
        self.holders.append(holders)
        self.per_token.append(per_token)
        return int(bts)


def claims_and_balances(ctx: Ctx) -> None:
    """Claims and balances per (wallet, master) of the per-master contracts; contract totals."""
    acc = ctx.dims.pop("accruals")
    nfts = ctx.dims["nfts"]
    n_masters = len(ctx.dims["masters"]["id"])
    contract_of_master = np.full(n_masters, -1, np.int64)
    for master, c in ctx.dims["div_targets"][0].items():
        contract_of_master[master] = c["_idx"]

    # accruals ordered by (pair, time); a pair is wallet * n_masters + master
    acc_pair = acc["wallet"] * n_masters + acc["master"]
    order = np.lexsort((acc["t"], acc_pair))
    acc_pair, acc_t, acc_amount = acc_pair[order], acc["t"][order], acc["amount"][order]
    del acc, order
    held = nfts["owner"] >= 0
    hold_pair = nfts["owner"][held] * n_masters + nfts["c_master"][nfts["contract"][held]]
    hold_keys, hold_counts = np.unique(hold_pair, return_counts=True)
    pairs = np.union1d(acc_pair, hold_keys)
    pairs = pairs[contract_of_master[pairs % n_masters] >= 0]
    acc_idx = np.searchsorted(pairs, acc_pair)  # every accrual pair has a per-master contract

    claim = _claims(ctx, pairs, acc_idx, acc_t, acc_amount)
    claim["master"] = pairs[claim["pair"]] % n_masters
    claim["wallet"] = pairs[claim["pair"]] // n_masters
    claim["contract"] = contract_of_master[claim["master"]]
    _claim_chain_facts(ctx, claim)

    n = len(pairs)
    earned = np.zeros(n, np.int64)
    np.add.at(earned, acc_idx, acc_amount)
    claimed = np.zeros(n, np.int64)
    np.add.at(claimed, claim["pair"], claim["amount"])
    tokens = np.zeros(n, np.int64)
    kept = np.isin(hold_keys, pairs)  # holdings of masters with a per-master contract
    tokens[np.searchsorted(pairs, hold_keys[kept])] = hold_counts[kept]
    has_acc = np.zeros(n, bool)
    has_acc[acc_idx] = True
    first_acc = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_acc, acc_idx, acc_t)
    last_acc = np.zeros(n, np.int64)
    np.maximum.at(last_acc, acc_idx, acc_t)
    # each pair's last claim: the end of its run when claims are ordered by (pair, time)
    last_claim = np.full(n, -1, np.int64)
    by_pair = np.lexsort((claim["t"], claim["pair"]))
    run = claim["pair"][by_pair]
    is_last = np.r_[run[1:] != run[:-1], True][: len(run)]
    last_claim[run[is_last]] = by_pair[is_last]
    contract = contract_of_master[pairs % n_masters]
    deployed = np.array([c["deployed_at"] for c in ctx.rows["dividend_contracts"]], np.int64)
    created = np.where(has_acc, first_acc, deployed[contract])
    last_claim_t = np.r_[claim["bts"], 0][last_claim]  # index -1: no claim
    updated = np.maximum.reduce([created, last_claim_t, np.where(has_acc, last_acc, 0)])
    rank = np.lexsort((pairs % n_masters, pairs // n_masters, created))
    ctx.dims["balances"] = {
        k: v[rank]
        for k, v in {
            "wallet": pairs // n_masters,
            "master": pairs % n_masters,
            "contract": contract,
            "earned": earned,
            "claimed": claimed,
            "last_claim": last_claim,
            "tokens": tokens,
            "created": created,
            "updated": updated,
        }.items()
    }
    ctx.dims["claims"] = claim
    _contract_totals(ctx)


def _claims(
    ctx: Ctx, pairs: np.ndarray, acc_idx: np.ndarray, acc_t: np.ndarray, acc_amount: np.ndarray
) -> dict[str, np.ndarray]:
    """Claim attempts per claiming pair, vectorised round by round; empty attempts dropped."""
    rng = ctx.child_rng(31)
    n = len(pairs)
    first = np.full(n, -1, np.int64)
    starts = np.r_[True, acc_idx[1:] != acc_idx[:-1]] if len(acc_idx) else np.zeros(0, bool)
    first[acc_idx[starts]] = acc_t[starts]
    claimers = np.flatnonzero((first >= 0) & (rng.random(n) < CLAIM_SHARE))
    att_pair, att_t = [], []
    cur, who = first[claimers], claimers
    while len(who):
        cur = cur + (rng.exponential(CLAIM_GAP_DAYS, len(who)) * DAY).astype(np.int64) + 3600
        keep = cur < ctx.end - 600
        cur, who = cur[keep], who[keep]
        att_pair.append(who)
        att_t.append(cur)
    pair = np.concatenate(att_pair) if att_pair else np.zeros(0, np.int64)
    t = np.concatenate(att_t) if att_t else np.zeros(0, np.int64)
    order = np.lexsort((t, pair))
    pair, t = pair[order], t[order]
    # accrued by each attempt: cumulative accruals of the pair up to t (composite search keys)
    base = ctx.start - 1
    acc_key = acc_idx * (1 << 32) + (acc_t - base)
    cum = np.cumsum(acc_amount)
    pos = np.searchsorted(acc_key, pair * (1 << 32) + (t - base), side="right") - 1
    accrued = np.where(pos >= 0, cum[np.maximum(pos, 0)], 0)
    pair_start = np.searchsorted(acc_idx, pair)  # first accrual of the pair
    before = np.where(pair_start > 0, cum[np.maximum(pair_start - 1, 0)], 0)
    accrued = accrued - before
    prev = np.r_[0, accrued[:-1]][: len(pair)]
    prev[np.r_[True, pair[1:] != pair[:-1]][: len(pair)]] = 0  # a pair's first attempt
    amount = accrued - prev
    ok = amount > 0
    return {"pair": pair[ok], "t": t[ok], "amount": amount[ok]}


def _claim_chain_facts(ctx: Ctx, claim: dict[str, np.ndarray]) -> None:
    """Blocks, transaction hashes, gas and ids of the claims, in time order per chain."""
    rng = ctx.child_rng(32)
    contracts = ctx.rows["dividend_contracts"]
    chain_of_contract = np.array([c["chain_id"] for c in contracts])
    chains = chain_of_contract[claim["contract"]]
    order = np.lexsort((claim["pair"], claim["t"]))
    for k in list(claim):
        claim[k] = claim[k][order]
    chains = chains[order]
    n = len(order)
    claim["block"] = np.zeros(n, np.int64)
    claim["bts"] = np.zeros(n, np.int64)
    claim["tx"] = np.zeros(n, "S66")
    for cid in sorted(set(chains.tolist())):
        sel = chains == cid
        claim["block"][sel], claim["bts"][sel] = block_at(chain_by_id(cid), claim["t"][sel])
        claim["tx"][sel] = ctx.ids.tx_hash_array(f"claim{cid}", int(sel.sum()))
    claim["gas_used"] = rng.integers(45_000, 90_000, n)
    claim["gas_gwei"] = rng.integers(1, 60, n)
    claim["id"] = ctx.ids.uuid_array("dividend_claims", n)


def _contract_totals(ctx: Ctx) -> None:
    ev: ChainEvents = ctx.dims["div_events"]
    contracts = ctx.rows["dividend_contracts"]
    deposited = np.zeros(len(contracts), np.int64)
    distributed = np.zeros(len(contracts), np.int64)
    kind = np.array(ev.kind, np.int64)
    contract = np.array(ev.contract, np.int64)
    amount = np.array(ev.amount, np.int64)
    np.add.at(deposited, contract[kind == 0], amount[kind == 0])
    np.add.at(distributed, contract[kind == 1], amount[kind == 1])
    for c in contracts:
        scale = 10 ** dividend_token(c["contract_address"]).exp  # coarse -> base units
        c["total_revenue_deposited"] = int(deposited[c["_idx"]]) * scale
        c["total_dividends_distributed"] = int(distributed[c["_idx"]]) * scale
        c["last_indexed_block"] = int(block_at(c["_chain"], ctx.end - 1)[0])
        c["last_indexed_at"] = ctx.end - 1


# -- column frames --------------------------------------------------------------------------


def _lookups(ctx: Ctx) -> dict[str, np.ndarray]:
    contracts = ctx.rows["dividend_contracts"]
    symbols, suffixes = token_columns([c["contract_address"] for c in contracts])
    return {
        "currency": symbols,
        "suffix": suffixes,
        "wallet": tsv.with_null(tsv.as_bytes(ctx.dims["wallets"]["address"])),
        "master": tsv.with_null(tsv.as_bytes(ctx.dims["masters"]["id"])),
        "contract": tsv.with_null(tsv.as_bytes([c["id"] for c in contracts])),
        "chain": tsv.with_null(tsv.as_bytes([c["chain_id"] for c in contracts])),
        "address": tsv.with_null(tsv.as_bytes([c["contract_address"] for c in contracts])),
    }


def _units(lk: dict[str, np.ndarray], contract: np.ndarray, coarse: np.ndarray) -> np.ndarray:
    """Coarse amounts as base units of each row's contract token."""
    return tsv.concat(tsv.ints(coarse), lk["suffix"][contract])


def claim_frames(ctx: Ctx) -> Iterator[dict[str, np.ndarray | bytes]]:
    c = ctx.dims["claims"]
    lk = _lookups(ctx)
    for s in tsv.chunks(len(c["id"])):
        yield {
            "id": c["id"][s],
            "wallet_address": lk["wallet"][c["wallet"][s]],
            "master_id": lk["master"][c["master"][s]],
            "dividend_contract_id": lk["contract"][c["contract"][s]],
            "amount_claimed": _units(lk, c["contract"][s], c["amount"][s]),
            "currency": lk["currency"][c["contract"][s]],
            "tx_hash": c["tx"][s],
            "block_number": tsv.ints(c["block"][s]),
            "block_timestamp": tsv.timestamps(c["bts"][s]),
            "chain_id": lk["chain"][c["contract"][s]],
            "gas_used": tsv.ints(c["gas_used"][s]),
            "gas_price_wei": tsv.concat(tsv.ints(c["gas_gwei"][s]), b"000000000"),
            "created_at": tsv.timestamps(c["bts"][s] + 30),
        }


def balance_frames(ctx: Ctx) -> Iterator[dict[str, np.ndarray | bytes]]:
    b = ctx.dims["balances"]
    c = ctx.dims["claims"]
    lk = _lookups(ctx)
    n = len(b["wallet"])
    ids = ctx.ids.uuid_array("wallet_dividend_balances", n)
    no_tx = tsv.with_null(c["tx"])
    for s in tsv.chunks(n):
        last = b["last_claim"][s]
        claimed_at = tsv.timestamps(np.r_[c["bts"], 0][last])
        yield {
            "id": ids[s],
            "wallet_address": lk["wallet"][b["wallet"][s]],
            "master_id": lk["master"][b["master"][s]],
            "dividend_contract_id": lk["contract"][b["contract"][s]],
            "chain_id": lk["chain"][b["contract"][s]],
            "total_earned": _units(lk, b["contract"][s], b["earned"][s]),
            "total_claimed": _units(lk, b["contract"][s], b["claimed"][s]),
            "claimable_amount": _units(lk, b["contract"][s], b["earned"][s] - b["claimed"][s]),
            "currency": lk["currency"][b["contract"][s]],
            "last_claimed_at": tsv.null_unless(last >= 0, claimed_at),
            "last_claim_tx_hash": no_tx[last],
            "tokens_held": tsv.ints(b["tokens"][s]),
            "created_at": tsv.timestamps(b["created"][s]),
            "updated_at": tsv.timestamps(b["updated"][s]),
        }


def dividend_event_frames(ctx: Ctx) -> Iterator[dict[str, np.ndarray | bytes]]:
    """Deposits, distributions and claims, ids in (block timestamp, kind, sequence) order."""
    ev: ChainEvents = ctx.dims["div_events"]
    c = ctx.dims["claims"]
    lk = _lookups(ctx)
    n_claims = len(c["id"])
    cols = {
        "contract": np.r_[np.array(ev.contract, np.int64), c["contract"]],
        "master": np.r_[np.array(ev.master, np.int64), c["master"]],
        "kind": np.r_[np.array(ev.kind, np.int64), np.full(n_claims, 2)],
        "tx": np.r_[tsv.as_bytes(ev.tx).astype("S66"), c["tx"]],
        "block": np.r_[np.array(ev.block, np.int64), c["block"]],
        "log_index": np.r_[
            np.array(ev.log_index, np.int64), np.full(n_claims, LOG_INDEX["claim"], np.int64)
        ],
        "t": np.r_[np.array(ev.t, np.int64), c["bts"]],
        "amount": np.r_[np.array(ev.amount, np.int64), c["amount"]],
        "revenue": np.r_[np.array(ev.revenue, np.int64), np.full(n_claims, -1)],
        "holders": np.r_[np.array(ev.holders, np.int64), np.full(n_claims, -1)],
        "per_token": np.r_[np.array(ev.per_token, np.int64), np.full(n_claims, -1)],
        "claimant": np.r_[np.full(len(ev.kind), -1), c["wallet"]],
    }
    order = np.lexsort((np.arange(len(cols["t"])), cols["kind"], cols["t"]))
    cols = {k: v[order] for k, v in cols.items()}
    n = len(order)
    ids = ctx.ids.uuid_array("dividend_events", n)
    kinds = tsv.as_bytes(KINDS)
    revenue_ids = tsv.with_null(tsv.as_bytes(ctx.dims["revenue_ids"]))
    for s in tsv.chunks(n):
        holders, per_token = cols["holders"][s], cols["per_token"][s]
        yield {
            "id": ids[s],
            "master_id": lk["master"][cols["master"][s]],
            "dividend_contract_id": lk["contract"][cols["contract"][s]],
            "event_type": kinds[cols["kind"][s]],
            "chain_id": lk["chain"][cols["contract"][s]],
            "contract_address": lk["address"][cols["contract"][s]],
            "tx_hash": cols["tx"][s],
            "block_number": tsv.ints(cols["block"][s]),
            "log_index": tsv.ints(cols["log_index"][s]),
            "block_timestamp": tsv.timestamps(cols["t"][s]),
            "total_amount": _units(lk, cols["contract"][s], cols["amount"][s]),
            "currency": lk["currency"][cols["contract"][s]],
            "claimant_wallet": lk["wallet"][cols["claimant"][s]],
            "total_holders_at_distribution": tsv.null_unless(
                holders >= 0, tsv.ints(np.maximum(holders, 0))
            ),
            "per_token_amount": tsv.null_unless(
                per_token >= 0, _units(lk, cols["contract"][s], np.maximum(per_token, 0))
            ),
            "revenue_event_id": revenue_ids[cols["revenue"][s]],
            "created_at": tsv.timestamps(cols["t"][s] + 30),
        }


BALANCES_SQL = """
SELECT id::text, wallet_address, master_id::text, chain_id, dividend_contract_id::text,
       total_earned, total_claimed, extract(epoch FROM last_claimed_at)::bigint,
       last_claim_tx_hash
FROM oltp.wallet_dividend_balances
WHERE claimable_amount > 0 OR master_id = ANY(%s::uuid[])
ORDER BY wallet_address, master_id, chain_id"""

BALANCE_COLS = [
    "total_earned",
    "total_claimed",
    "claimable_amount",
    "last_claimed_at",
    "last_claim_tx_hash",
    "updated_at",
]


@dataclass
class Claims:
    claims: list[dict[str, Any]] = field(default_factory=list)
    new_balances: list[dict[str, Any]] = field(default_factory=list)
    changed_balances: list[dict[str, Any]] = field(default_factory=list)

    def write(self, writer: Loader) -> None:
        writer.copy_rows("dividend_claims", self.claims)
        writer.copy_rows("wallet_dividend_balances", self.new_balances)
        writer.update("wallet_dividend_balances", self.changed_balances, BALANCE_COLS)


def settle_claims(conn: psycopg.Connection, div: Dividends) -> Claims:
    w, accruals = div.w, div.flow.accruals
    masters = sorted({m for _, m, _ in accruals})
    stored = {(r[1], r[2], r[3]): r for r in conn.execute(BALANCES_SQL, (masters,)).fetchall()}
    pairs = sorted(set(stored) | set(accruals))
    rng = w.rng("claims")
    n_claims = rng.poisson(w.days / CLAIM_GAP_DAYS, len(pairs)).tolist()
    out = Claims()
    for pair, n in zip(pairs, n_claims, strict=True):
        wallet, master, chain = pair
        accs = sorted(accruals.get(pair, []))
        row = stored.get(pair)
        earned0 = int(row[5]) if row else 0
        claimed = int(row[6]) if row else 0
        last_t, last_tx = (row[7], row[8]) if row else (None, None)
        contract = div.contracts[row[4] if row else accs[0][2]]
        touched = accs[-1][0] if accs else 0
        if keyed_uniform(w.seed, "claimer", wallet, master) >= CLAIM_SHARE:
            n = 0
        for t in sorted(rng.integers(w.start + 60, w.end - 120, n).tolist()):
            due = earned0 + sum(a for ta, a, _ in accs if ta <= t) - claimed
            if due <= 0:
                continue
            ev = div.chain_event(contract, "claim", t, due, claimant_wallet=wallet)
            blk, bts = ev["block_number"], ev["block_timestamp"]
            out.claims.append(
                {
                    "id": w.ids.uuid("dividend_claims"),
                    "wallet_address": wallet,
                    "master_id": master,
                    "dividend_contract_id": contract.id,
                    "amount_claimed": due,
                    "currency": contract.token.symbol,
                    "tx_hash": ev["tx_hash"],
                    "block_number": blk,
                    "block_timestamp": bts,
                    "chain_id": chain,
                    "gas_used": int(rng.integers(45_000, 90_000)),
                    "gas_price_wei": f"{int(rng.integers(1, 60))}000000000",
                    "created_at": bts + 30,
                }
            )
            claimed += due
            last_t, last_tx, touched = bts, ev["tx_hash"], max(touched, bts)
        if not touched:
            continue
        earned = earned0 + sum(a for _, a, _ in accs)
        values = {
            "total_earned": earned,
            "total_claimed": claimed,
            "claimable_amount": earned - claimed,
            "last_claimed_at": last_t,
            "last_claim_tx_hash": last_tx,
            "updated_at": touched,
        }
        if row:
            out.changed_balances.append({"id": row[0], **values})
        else:
            out.new_balances.append(
                {
                    "id": w.ids.uuid("wallet_dividend_balances"),
                    "wallet_address": wallet,
                    "master_id": master,
                    "dividend_contract_id": contract.id,
                    "chain_id": chain,
                    "currency": contract.token.symbol,
                    "tokens_held": 0,  # refreshed from the final owners at the end
                    "created_at": accs[0][0],
                    **values,
                }
            )
    return out
