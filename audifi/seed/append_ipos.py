"""Master IPOs in the window: scheduled IPOs falling due open (Master Contract and per-master
dividend contract deployed, status ``live``), live IPOs mint and close at their scheduled end,
and released masters without an IPO get new ones scheduled at the history's rate.

Runs after the window's transfers, dividends and votes, so tokens minted here trade and earn
from the next window on.  Launch instants are keyed by (seed, IPO id) like every lifecycle step.
Mints per live IPO: 30 % of the supply over its scheduled window, pro rata to the overlap.
"""

from __future__ import annotations

from typing import Any

import psycopg

from audifi.seed.append_state import Window, chain_wallets
from audifi.seed.copy_loader import Loader
from audifi.seed.ids import ZERO_ADDRESS, keyed_uniform
from audifi.seed.nfts import MOVER_MINTERS, PRICE_GWEI, master_contract_row, mover_bonus, wei
from audifi.seed.observability import audit_rows, ipo_audit
from audifi.seed.timeline import CHAINS, DAY, block_at, chain_by_id

MINT_SHARE = 0.3  # of the supply minted over an IPO's scheduled window

IPOS_SQL = """
SELECT i.id::text, i.master_id::text, i.status::text, i.total_supply, i.minted_supply,
       i.mint_price_wei, i.mint_price_currency, i.mover_advantage_enabled,
       extract(epoch FROM i.scheduled_start_at)::bigint,
       extract(epoch FROM i.scheduled_end_at)::bigint,
       extract(epoch FROM i.actual_start_at)::bigint, i.secondary_royalty_bps,
       c.id::text, c.chain_id, c.contract_address
FROM oltp.master_ipos i LEFT JOIN oltp.master_contracts c ON c.master_id = i.master_id
WHERE i.status IN ('scheduled', 'live') ORDER BY i.created_at, i.id"""
NO_IPO_SQL = """
SELECT m.id::text, extract(epoch FROM m.release_date)::bigint FROM oltp.masters m
WHERE m.status IN ('approved', 'live') AND m.release_date IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM oltp.master_ipos i WHERE i.master_id = m.id)
ORDER BY m.created_at, m.id"""


class Ipos:
    def __init__(self, conn: psycopg.Connection, w: Window) -> None:
        self.conn, self.w = conn, w
        self.rng = w.rng("ipos")
        self.out: dict[str, list[dict[str, Any]]] = {
            t: []
            for t in (
                "master_contracts",
                "dividend_contracts",
                "master_nfts",
                "nft_transfers",
                "audit_logs",
            )
        }
        self.ipo_upd: list[dict[str, Any]] = []
        self.contract_upd: list[dict[str, Any]] = []
        self.collectors = chain_wallets(conn)

    def run(self) -> None:
        for row in self.conn.execute(IPOS_SQL).fetchall():
            (iid, master, status, supply, minted, price, cur, mover, s0, s1, a0) = row[:11]
            royalty, cid, chain, address = row[11:]
            upd: dict[str, Any] = {"id": iid, "status": status, "minted_supply": minted}
            if status == "scheduled":
                if s0 is None or s0 >= self.w.end - 2 * 3600:
                    continue
                # the IPO's chain is known only by its currency: MATIC on Polygon, else ETH
                eth = "1" if keyed_uniform(self.w.seed, "chain", iid) < 0.5 else "42161"
                chain = "137" if cur == "MATIC" else eth
                a0, cid, address = self._launch(iid, master, chain, s0, supply, royalty)
                upd.update(status="live", actual_start_at=a0, updated_at=a0)
            contract = (cid, chain, address, mover, price)
            self._mint(upd, master, contract, supply, a0, s1)
            if s1 is not None and s1 < self.w.end - 3600:
                upd.update(status="closed", actual_end_at=s1, updated_at=s1)
            upd.setdefault("actual_start_at", a0)
            upd.setdefault("actual_end_at", None)
            upd.setdefault("updated_at", self.w.end - 1)
            self.ipo_upd.append(upd)

    def _launch(
        self, iid: str, master: str, chain: str, s0: int, supply: int, royalty: int
    ) -> tuple[int, str, str]:
        """Deploy the Master Contract and its dividend contract; the IPO opens 10 min later."""
        w = self.w
        deployed = w.clamp(s0 - 3600, keyed_uniform(w.seed, "launch", iid))
        a0 = deployed + 600
        c = chain_by_id(chain)
        row = master_contract_row(w.ids, master, c, deployed, supply, royalty)
        self.out["master_contracts"].append(row)
        t = deployed + 300
        self.out["dividend_contracts"].append(
            {
                "id": w.ids.uuid("dividend_contracts"),
                "master_id": master,
                "distribution_model": "per_master",
                "chain_id": chain,
                "contract_address": w.ids.addresses("dividend_contract", 1)[0],
                "deployment_tx_hash": w.ids.tx_hashes(f"deploy{chain}", 1)[0],
                "deployed_at_block": int(block_at(c, t)[0]),
                "deployed_at": t,
                "linked_master_contract": row["contract_address"],
                "total_revenue_deposited": 0,
                "total_dividends_distributed": 0,
                "created_at": t,
                "updated_at": t,
            }
        )
        self.out["audit_logs"].append(ipo_audit(iid, a0))
        return a0, row["id"], row["contract_address"]

    def _mint(
        self,
        upd: dict[str, Any],
        master: str,
        contract: tuple,
        supply: int,
        a0: int,
        s1: int | None,
    ) -> None:
        """Mints of the window inside the IPO's actual window (INV-27), token ids continuing;
        tokens 1-3 carry the Mover Advantage flags and set the contract's minter wallets."""
        cid, chain, address, mover, price = contract
        w, rng = self.w, self.rng
        lo, hi = max(a0, w.start), min(w.end, s1 or w.end) - 120
        pool = self.collectors[chain]
        if hi <= lo + 60 or not pool or s1 is None:
            return
        expected = supply * MINT_SHARE * (hi - lo) / max(DAY, s1 - a0)
        n = min(int(rng.poisson(expected)), supply - upd["minted_supply"])
        times = sorted(set(rng.integers(lo + 60, hi, n).tolist()))
        hashes = w.ids.tx_hashes(f"mint{chain}", len(times))
        c = chain_by_id(chain)
        flags: dict[str, Any] = {"id": cid}
        for k, t_raw in enumerate(times):
            token = upd["minted_supply"] + 1
            upd["minted_supply"] = token
            blk, t = (int(x) for x in block_at(c, t_raw))
            minter = pool[int(rng.random() ** 2.5 * len(pool))]
            nid = w.ids.uuid("master_nfts")
            flag = {
                f"is_{m}_minter": bool(mover) and token == j + 1
                for j, m in enumerate(MOVER_MINTERS)
            }
            if mover and token <= len(MOVER_MINTERS):
                flags[f"{MOVER_MINTERS[token - 1]}_minter_wallet"] = minter
            self.out["master_nfts"].append(
                {
                    "id": nid,
                    "master_id": master,
                    "master_contract_id": cid,
                    "token_id": token,
                    "chain_id": chain,
                    "contract_address": address,
                    "current_owner_wallet": minter,
                    **flag,
                    "original_minter_wallet": minter,
                    "mint_tx_hash": hashes[k],
                    "minted_at_block": blk,
                    "minted_at": t,
                    "mint_price_wei": price,
                    "listing_status": "not_listed",
                    "token_uri": f"ipfs://meta/{token}",
                    "total_dividends_received": 0,
                    "last_indexed_block": blk,
                    "last_indexed_at": t,
                    "created_at": t,
                    "updated_at": t,
                }
            )
            self.out["nft_transfers"].append(
                {
                    "id": w.ids.uuid("nft_transfers"),
                    "master_nft_id": nid,
                    "master_id": master,
                    "token_id": token,
                    "chain_id": chain,
                    "contract_address": address,
                    "from_wallet": ZERO_ADDRESS,
                    "to_wallet": minter,
                    "tx_hash": hashes[k],
                    "block_number": blk,
                    "log_index": 0,
                    "block_timestamp": t,
                    "transfer_type": "mint",
                    "created_at": t + 30,
                }
            )
        if len(flags) > 1:
            self.contract_upd.append(flags)

    def schedule(self) -> list[dict[str, Any]]:
        """New IPOs of released masters, at the history's rate, opening 2-40 days later."""
        w, rng = self.w, self.rng
        n_ipos = self.conn.execute("SELECT count(*) FROM oltp.master_ipos").fetchone()[0]  # type: ignore[index]
        masters = self.conn.execute(NO_IPO_SQL).fetchall()
        n = min(int(rng.poisson(n_ipos / w.history_days * w.days)), len(masters))
        rows = []
        for k in sorted(rng.choice(len(masters), n, replace=False).tolist()) if n else []:
            master, release = masters[k]
            t = int(rng.integers(max(w.start, release) + 60, w.end - 2 * 3600))
            start = t + int(rng.uniform(2, 40) * DAY)
            dur = int(rng.uniform(7, 30) * DAY)
            chain = CHAINS[int(rng.integers(0, len(CHAINS)))]
            plo, phi = PRICE_GWEI[chain.chain_id]
            mover = bool(rng.random() < 0.85)
            rows.append(
                {
                    "id": w.ids.uuid("master_ipos"),
                    "master_id": master,
                    "total_supply": int(rng.integers(10, 500)),
                    "minted_supply": 0,
                    "mint_price_wei": wei(int(rng.integers(plo, phi)) // 1000 * 1000),
                    "mint_price_currency": chain.native,
                    "revenue_share_nft_holders_bps": 5000,
                    "retained_artist_bps": 4000,
                    "retained_platform_bps": 1000,
                    "status": "scheduled",
                    "scheduled_start_at": start,
                    "scheduled_end_at": start + dur,
                    "mover_advantage_enabled": mover,
                    **mover_bonus(mover),
                    "secondary_royalty_bps": 1000,
                    "allow_secondary_resale": True,
                    "created_at": t,
                    "updated_at": t,
                }
            )
        return rows

    def write(self, writer: Loader) -> None:
        new_ipos = self.schedule()
        writer.copy_rows("master_contracts", self.out["master_contracts"])
        writer.copy_rows("dividend_contracts", self.out["dividend_contracts"])
        writer.copy_rows("master_ipos", new_ipos)
        writer.update(
            "master_ipos",
            self.ipo_upd,
            ["status", "minted_supply", "actual_start_at", "actual_end_at", "updated_at"],
        )
        writer.copy_rows("master_nfts", self.out["master_nfts"])
        writer.copy_rows("nft_transfers", self.out["nft_transfers"])
        for flags in self.contract_upd:
            writer.update("master_contracts", [flags])
        writer.copy_rows("audit_logs", audit_rows(self.w.seed, self.out["audit_logs"]))


def append_ipos(conn: psycopg.Connection, writer: Loader, w: Window) -> None:
    ipos = Ipos(conn, w)
    ipos.run()
    ipos.write(writer)
