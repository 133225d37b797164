"""Appended days' deposits and distributions (``revenue.Book`` over the database), then
holders' claims.

Same money flow as the full seed (see docs/seed.md "Dividends"): the holders' share of verified
revenue is deposited into the master's contract (else the artist's, else the platform pool) and
distributed ``floor(deposit / tokens)`` per token to the owners at that instant.  When each
step happens is ``revenue.advance``'s rule (keyed by the revenue event), the same for both
paths; open events left by the seed or an earlier append are read back and moved on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.rows import dict_row

from audifi.errors import AudifiError
from audifi.seed.append_state import NOT_OURS, Window
from audifi.seed.copy_loader import Loader
from audifi.seed.ids import ZERO_ADDRESS
from audifi.seed.money import (
    HOLDERS_SHARE_POOLED,
    LOG_INDEX,
    Token,
    dividend_token,
    holders_units,
    usd_cents,
)
from audifi.seed.nfts import Move, owners_in_window
from audifi.seed.revenue import attach_steps, lifecycle_tx
from audifi.seed.timeline import block_at, block_end, chain_by_id

OPEN_SQL = """
SELECT r.id::text AS id, r.master_id::text AS master_id, r.status::text AS status, r.amount,
       r.currency, r.amount_usd, extract(epoch FROM r.created_at)::bigint AS created_at,
       extract(epoch FROM r.verified_at)::bigint AS verified_at, r.verified_by::text AS verified_by,
       extract(epoch FROM r.deposited_at)::bigint AS deposited_at, r.deposit_tx_hash,
       r.deposited_to_contract_id::text AS deposited_to_contract_id, e.total_amount,
       r.external_reference
FROM oltp.revenue_events r
LEFT JOIN oltp.dividend_events e ON e.tx_hash = r.deposit_tx_hash AND e.event_type = 'deposit'
WHERE r.status IN ('pending', 'verified', 'deposited')
ORDER BY r.created_at, r.id"""


@dataclass
class Contract:
    id: str
    model: str
    master_id: str | None
    artist_id: str | None
    chain_id: str
    address: str
    deployed_at: int
    deposited: int
    distributed: int
    touched: int = 0  # last event instant in the window (0 = untouched)

    @property
    def token(self) -> Token:
        return dividend_token(self.address)


@dataclass
class Flow:
    """Everything the window adds or changes, written at the end in FK order."""

    events: list[dict[str, Any]] = field(default_factory=list)  # dividend_events
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    # (wallet, master, chain) -> [(instant, amount, contract id)]
    accruals: dict[tuple[str, str, str], list[tuple[int, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    nft_dividends: dict[str, list] = field(default_factory=dict)  # nft id -> [id, total]


class Dividends:
    def __init__(self, conn: psycopg.Connection, w: Window, moves: dict[str, Move]) -> None:
        self.conn, self.w, self.moves = conn, w, moves
        self.flow = Flow()
        self.contracts = {
            r[0]: Contract(r[0], r[1], r[2], r[3], r[4], r[5], r[6], int(r[7]), int(r[8]))
            for r in conn.execute(
                """SELECT id::text, distribution_model::text, master_id::text, artist_id::text,
                          chain_id, contract_address, extract(epoch FROM deployed_at)::bigint,
                          total_revenue_deposited, total_dividends_distributed
                   FROM oltp.dividend_contracts ORDER BY id"""
            )
        }
        self.by_master = {c.master_id: c for c in self.contracts.values() if c.master_id}
        self.by_artist = {c.artist_id: c for c in self.contracts.values() if c.artist_id}
        platform = next((c for c in self.contracts.values() if c.model == "platform"), None)
        if platform is None:
            raise AudifiError(NOT_OURS.format(what="no platform dividend contract"))
        self.platform = platform
        self.masters = {
            r[0]: (r[1], r[2])
            for r in conn.execute(
                """SELECT m.id::text, m.artist_id::text, i.revenue_share_nft_holders_bps
                   FROM oltp.masters m LEFT JOIN oltp.master_ipos i ON i.master_id = m.id"""
            )
        }
        self._tokens: dict[str, list[tuple]] = {}

    def open_events(self) -> list[dict[str, Any]]:
        """Events still pending, verified or deposited (not yet distributed)."""
        events = self.conn.cursor(row_factory=dict_row).execute(OPEN_SQL).fetchall()
        for rev in events:
            amount, units = rev.pop("amount"), rev.pop("total_amount")
            cid = rev["deposited_to_contract_id"]
            rev.update(
                _cents=usd_cents(amount, rev["currency"])
                if rev["amount_usd"] is None
                else usd_cents(rev["amount_usd"], "USD"),
                _contract=self.contracts.get(cid) if cid else None,
                _units=int(units) if units is not None else None,
                _number=int(rev.pop("external_reference").rpartition("-")[2]),
            )
        attach_steps(self.w.seed, events)
        return events

    def _target(self, master: str, t: int) -> Contract:
        artist, _ = self.masters[master]
        for c in (self.by_master.get(master), self.by_artist.get(artist)):
            if c is not None and c.deployed_at < t:
                return c
        return self.platform

    def chain_event(self, c: Contract, kind: str, t: int, amount: int, **extra: Any) -> dict:
        chain = chain_by_id(c.chain_id)
        blk, bts = (int(x) for x in block_at(chain, t))
        tx = extra.pop("tx_hash", None) or self.w.ids.tx_hashes(f"claim{c.chain_id}", 1)[0]
        row = {
            "id": self.w.ids.uuid("dividend_events"),
            "master_id": c.master_id,
            "dividend_contract_id": c.id,
            "event_type": kind,
            "chain_id": c.chain_id,
            "contract_address": c.address,
            "tx_hash": tx,
            "block_number": blk,
            "log_index": LOG_INDEX[kind],
            "block_timestamp": bts,
            "total_amount": amount,
            "currency": c.token.symbol,
            "created_at": bts + 30,
            **extra,
        }
        self.flow.events.append(row)
        c.touched = max(c.touched, bts)
        return row

    def deposit(self, rev: dict[str, Any], t: int) -> tuple[str, str, int]:
        c = self._target(rev["master_id"], t)
        share = self.masters[rev["master_id"]][1] if c.model == "per_master" else None
        coarse = holders_units(rev["_cents"], share or HOLDERS_SHARE_POOLED, c.token)
        units = coarse * 10**c.token.exp
        tx = lifecycle_tx(self.w.seed, "deposit", c.chain_id, rev["_number"])
        ev = self.chain_event(c, "deposit", t, units, revenue_event_id=rev["id"], tx_hash=tx)
        c.deposited += units
        rev.update(_contract=c, _units=units)
        return c.id, tx, ev["block_timestamp"]

    def distribute(self, rev: dict[str, Any], t: int) -> int | None:
        c: Contract = rev["_contract"]
        units: int = rev["_units"]
        tx = lifecycle_tx(self.w.seed, "distribution", c.chain_id, rev["_number"])
        if c.model != "per_master":
            ev = self.chain_event(
                c, "distribution", t, units, revenue_event_id=rev["id"], tx_hash=tx
            )
        else:
            paid_at = int(block_end(chain_by_id(c.chain_id), t))  # owners at the block's end
            toks = self._master_tokens(rev["master_id"])
            owners = owners_in_window([(tk[0], tk[3]) for tk in toks], self.moves, paid_at)
            held = [
                (nid, token, caddr, owner, div)
                for (nid, token, caddr, _, div), owner in zip(toks, owners, strict=True)
                if owner != ZERO_ADDRESS
            ]
            if not held:  # nothing minted/held: the deposit stays undistributed
                return None
            step = 10**c.token.exp  # per-token amounts are whole coarse units (see money)
            per_token = units // step // len(held) * step
            ev = self.chain_event(
                c,
                "distribution",
                t,
                per_token * len(held),
                revenue_event_id=rev["id"],
                tx_hash=tx,
                per_token_amount=per_token,
                total_holders_at_distribution=len({h[3] for h in held}),
            )
            self._book_holders(rev["master_id"], c, ev, held, per_token)
        c.distributed += ev["total_amount"]
        return ev["block_timestamp"]

    def _book_holders(
        self, master: str, c: Contract, ev: dict, held: list[tuple], per_token: int
    ) -> None:
        bts, blk = ev["block_timestamp"], ev["block_number"]
        for nid, token, caddr, owner, div in held:
            acc = self.flow.nft_dividends.setdefault(nid, [nid, int(div)])
            acc[1] += per_token
            self.flow.accruals[(owner, master, c.chain_id)].append((bts, per_token, c.id))
            self.flow.snapshots.append(
                {
                    "id": self.w.ids.uuid("nft_ownership_snapshots"),
                    "master_id": master,
                    "token_id": token,
                    "chain_id": c.chain_id,
                    "contract_address": caddr,
                    "owner_wallet": owner,
                    "snapshot_timestamp": bts,
                    "snapshot_block_number": blk,
                    "snapshot_reason": "dividend",
                    "created_at": bts + 60,
                }
            )

    def _master_tokens(self, master: str) -> list[tuple]:
        if master not in self._tokens:
            self._tokens[master] = self.conn.execute(
                """SELECT id::text, token_id, contract_address, current_owner_wallet,
                          total_dividends_received
                   FROM oltp.master_nfts WHERE master_id = %s ORDER BY token_id""",
                (master,),
            ).fetchall()
        return self._tokens[master]

    def write(self, writer: Loader, changed: list[dict[str, Any]]) -> None:
        """Revenue updates, then events (they reference revenue), snapshots, NFT and contract
        totals; claims and balances follow in ``dividends.settle_claims``."""
        writer.update(
            "revenue_events",
            changed,
            [
                "status",
                "amount_usd",
                "verified_at",
                "verified_by",
                "deposited_to_contract_id",
                "deposit_tx_hash",
                "deposited_at",
                "updated_at",
            ],
        )
        writer.copy_rows("dividend_events", self.flow.events)
        writer.copy_rows("nft_ownership_snapshots", self.flow.snapshots)
        writer.update(
            "master_nfts",
            [{"id": k, "total_dividends_received": v} for k, v in self.flow.nft_dividends.values()],
            ["total_dividends_received"],
        )

    def write_contracts(self, writer: Loader) -> None:
        touched = sorted((c for c in self.contracts.values() if c.touched), key=lambda c: c.id)
        writer.update(
            "dividend_contracts",
            [
                {
                    "id": c.id,
                    "total_revenue_deposited": c.deposited,
                    "total_dividends_distributed": c.distributed,
                    "updated_at": c.touched,
                }
                for c in touched
            ],
            ["total_revenue_deposited", "total_dividends_distributed", "updated_at"],
        )
