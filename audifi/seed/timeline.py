"""The data set's fixed clock (the history ends at ``AS_OF``; times are int64 Unix seconds,
UTC) and the chains' block clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

DAY = 86_400
NEVER = np.iinfo(np.int64).max // 4  # an instant that never comes (e.g. a user who stays)
AS_OF = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())  # end of the full seed's history
CHAIN_REFERENCE = int(datetime(2023, 1, 1, tzinfo=UTC).timestamp())


@dataclass(frozen=True)
class Chain:
    chain_id: str
    name: str
    block_time: float  # seconds per block
    reference_block: int  # block number at CHAIN_REFERENCE
    native: str


CHAINS: tuple[Chain, ...] = (
    Chain("1", "ethereum", 12.0, 16_308_190, "ETH"),
    Chain("137", "polygon", 2.0, 37_520_000, "MATIC"),
    Chain("42161", "arbitrum", 0.25, 52_000_000, "ETH"),
)
# the on-chain event tables (a chain's history; their instant is ``block_timestamp``)
CHAIN_EVENT_TABLES = ("nft_transfers", "dividend_events", "dividend_claims", "pool_events")
CHAIN_WEIGHTS = np.array([0.45, 0.35, 0.20])
INDEXER_LAG = 30  # seconds from an event's block to its row (``created_at``)


def after(t: np.ndarray, days: tuple | np.ndarray, u: np.ndarray) -> np.ndarray:
    """Instants ``t`` plus a delay of ``days`` (lo, span) for uniform draws ``u``: lo + span * u
    days, in whole seconds (a lifecycle step)."""
    return t + ((days[0] + days[1] * u) * DAY).astype(np.int64)


def block_at(chain: Chain, t: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
    """(block number, block timestamp) of the block holding an event at Unix time ``t``: both
    monotonic in ``t``, and events that share a block share its timestamp (INV-39)."""
    t = np.asarray(t, dtype=np.int64)
    if chain.block_time >= 1:
        bt = int(chain.block_time)
        offset = (t - CHAIN_REFERENCE) // bt
        return chain.reference_block + offset, CHAIN_REFERENCE + offset * bt
    return chain.reference_block + (t - CHAIN_REFERENCE) * round(1 / chain.block_time), t


def block_end(chain: Chain, t: np.ndarray | int) -> np.ndarray:
    """The last Unix second of the block holding ``t``: a block's events go by log index, so a
    distribution (log 3) pays the owners after all transfers (log 0, 2) of its block."""
    return block_at(chain, t)[1] + max(int(chain.block_time), 1) - 1  # sub-second: ``t``


def checkpoint(chain: Chain, end: int) -> dict[str, int]:
    """An indexer caught up to ``end`` on ``chain``: its last block before it (INV-39)."""
    return {"last_indexed_block": int(block_at(chain, end - 1)[0]), "last_indexed_at": end - 1}


def chain_by_id(chain_id: str) -> Chain:
    return next(c for c in CHAINS if c.chain_id == chain_id)


def iso(t: int) -> str:
    """Unix seconds -> ISO-8601 UTC (the text COPY and query parameters accept)."""
    return datetime.fromtimestamp(int(t), UTC).isoformat()
