"""The append window: its days, the seed, and the history it extends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import psycopg

from audifi.errors import AudifiError
from audifi.seed.scales import SCALE_TABLE, Scale
from audifi.seed.timeline import AS_OF, DAY

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
    (SELECT extract(epoch FROM min(created_at))::bigint FROM oltp.users)
"""


# Appending reads back what `audifi seed` made; data loaded some other way lacks its anchors.
NOT_OURS = (
    "cannot append: this data was not loaded by `audifi seed` ({what}); --append-days only "
    "extends data the generator produced"
)


@dataclass
class Window:
    """[start, end) of the appended days, the seed, and the history they extend."""

    seed: int
    start: int
    end: int
    origin: int  # first instant of the history (the seed's start: its admins sign up then)
    scale: Scale  # the scale the history was seeded at (its length tells)
    # every user (by number) and their ids once the window's sign-ups are stored
    # (``identity.append_identity``), for every later stage
    users: tuple[Lifecycle, list[str]] = field(init=False, repr=False)


def open_window(conn: psycopg.Connection, seed: int, days: int) -> Window:
    row = conn.execute(LATEST_SQL).fetchone()
    if row is None or row[0] is None or row[1] is None:
        raise AudifiError("nothing to append to: the database holds no seeded data yet")
    start, origin = int(row[0]) // DAY * DAY + DAY, int(row[1])
    # the history's length tells the scale it was seeded at, hence the appended days' rates
    history = (AS_OF - origin) // DAY
    scale = next((s for s in SCALE_TABLE.values() if s.days == history), None)
    if scale is None:
        raise AudifiError(NOT_OURS.format(what=f"no scale has a {history}-day history"))
    return Window(seed, start, start + days * DAY, origin, scale)
