"""The append window, and the chain wallets appended days read back (users: ``identity``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import psycopg

from audifi.errors import AudifiError
from audifi.seed.ids import IdFactory
from audifi.seed.scales import Scale, scale_of_history
from audifi.seed.timeline import AS_OF, CHAINS, DAY

if TYPE_CHECKING:
    from audifi.seed.identity import Lifecycle

# Every fact table's event instant: the window starts on the day after the latest of them,
# so appended rows are strictly later than anything already loaded.
LATEST_SQL = """
SELECT extract(epoch FROM greatest(
    (SELECT max(created_at) FROM oltp.play_events),
    (SELECT max(block_timestamp) FROM oltp.nft_transfers),
    (SELECT max(block_timestamp) FROM oltp.dividend_events),
    (SELECT max(block_timestamp) FROM oltp.dividend_claims),
    (SELECT max(block_timestamp) FROM oltp.pool_events),
    (SELECT max(created_at) FROM oltp.revenue_events),
    (SELECT max(created_at) FROM oltp.invoices),
    (SELECT max(created_at) FROM oltp.webhooks_log),
    (SELECT max(created_at) FROM oltp.vstudio_votes),
    (SELECT max(created_at) FROM oltp.vstudio_engagement_events),
    (SELECT max(created_at) FROM oltp.vstudio_chat_messages),
    (SELECT max(created_at) FROM oltp.system_events)))::bigint,
    (SELECT extract(epoch FROM min(started_at))::bigint FROM oltp.play_events),
    (SELECT count(*) FROM oltp.play_events),
    (SELECT extract(epoch FROM min(created_at))::bigint FROM oltp.users)
"""


# Appending reads back what `audifi seed` made; data loaded some other way lacks its anchors.
NOT_OURS = (
    "cannot append: this data was not loaded by `audifi seed` ({what}); --append-days only "
    "extends data the generator produced"
)


@dataclass
class Window:
    """[start, end) of the appended days, plus the seed-derived randomness and ids for it."""

    seed: int
    start: int
    end: int
    history_days: int  # days of history before ``start`` (the rates' denominator)
    origin: int  # first instant of the history (the seed's start: its admins sign up then)
    scale: Scale  # the scale the history was seeded at (its length tells)
    ids: IdFactory
    # per-stage random streams, independent of each other (adding a stage shifts nothing)
    _rngs: dict[str, np.random.Generator] = field(default_factory=dict, init=False, repr=False)
    # the users (by number) and their ids once the window's sign-ups are stored: read back once
    # by ``append_days`` for every later stage
    users: tuple[Lifecycle, list[str]] = field(init=False, repr=False)

    @property
    def days(self) -> int:
        return (self.end - self.start) // DAY

    def rng(self, stage: str) -> np.random.Generator:
        if stage not in self._rngs:
            key = int.from_bytes(hashlib.blake2b(stage.encode(), digest_size=8).digest(), "big")
            self._rngs[stage] = np.random.default_rng([self.seed, self.start, self.days, key])
        return self._rngs[stage]

    def clamp(self, t: int, jitter: float) -> int:
        """An overdue step (nominal time before the window) happens early in the window."""
        return int(t) if t >= self.start + 60 else self.start + 60 + int(jitter * 6 * 3600)


def open_window(conn: psycopg.Connection, seed: int, days: int) -> Window:
    row = conn.execute(LATEST_SQL).fetchone()
    if row is None or not row[2]:
        raise AudifiError("nothing to append to: the database holds no seeded data yet")
    start = int(row[0]) // DAY * DAY + DAY
    return Window(
        seed=seed,
        start=start,
        end=start + days * DAY,
        history_days=max(1, (start - int(row[1])) // DAY),
        origin=int(row[3]),
        scale=scale_of_history((AS_OF - int(row[3])) // DAY),
        ids=IdFactory(seed, window=start // DAY),
    )


def chain_wallets(conn: psycopg.Connection) -> dict[str, list[str]]:
    """The distinct wallet addresses users linked on each chain (collectors, coin buyers)."""
    rows = conn.execute(
        "SELECT DISTINCT chain_id, wallet_address FROM oltp.user_wallets ORDER BY 1, 2"
    ).fetchall()
    return {c.chain_id: [r[1] for r in rows if r[0] == c.chain_id] for c in CHAINS}
