"""Holders' dividend balances and claims in the window.

A wallet earns its distributions' per-token amounts (``Dividends.flow.accruals``); as in the
full seed (``dividends.CLAIM_SHARE``, ``CLAIM_GAP_DAYS``), 60 % of (wallet, master) pairs ever
claim, at a mean interval of 75 days, and a claim takes everything claimable at that instant
(one transaction, ``dividend_claims`` + a ``claim`` event, INV-14).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg

from audifi.seed.append_dividends import Dividends
from audifi.seed.copy_loader import Loader
from audifi.seed.dividends import CLAIM_GAP_DAYS, CLAIM_SHARE
from audifi.seed.ids import keyed_uniform
from audifi.seed.timeline import block_at, chain_by_id

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
            blk, bts = (int(x) for x in block_at(chain_by_id(chain), t))
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
