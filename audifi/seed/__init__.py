"""Synthetic AudiFi data at any scale: deterministic, consistent with the invariants, COPY-loaded.

See ``docs/seed.md`` for the row counts per scale and the readings chosen where the design
contradicts itself.
"""

from __future__ import annotations

from audifi.seed.append import append_days
from audifi.seed.chain_reorg import reorg
from audifi.seed.database import content_hash
from audifi.seed.pipeline import seed_database
from audifi.seed.scales import SCALE_TABLE

SCALES: tuple[str, ...] = tuple(SCALE_TABLE)

__all__ = ["SCALES", "append_days", "content_hash", "reorg", "seed_database"]
