"""The context of a run: the full seed's ``Ctx``, appended days' ``Window``; users' countries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import psycopg

from audifi.errors import AudifiError
from audifi.seed.ids import IdFactory, keyed_uniform
from audifi.seed.keyed import categorical
from audifi.seed.scales import SCALE_TABLE, Scale
from audifi.seed.timeline import AS_OF, DAY

if TYPE_CHECKING:
    from audifi.seed.identity import Lifecycle

# fmt: off
_COUNTRY_WEIGHT = {
    "US": 26, "GB": 9, "DE": 8, "FR": 6, "BR": 8, "MX": 5, "CA": 4, "JP": 5, "KR": 3, "NG": 3,
    "IN": 5, "AU": 3, "ES": 3, "IT": 3, "NL": 2, "SE": 1.5, "PL": 1.5, "ZA": 1.5, "AR": 1.5,
    "ID": 1.5,
}
GENRES = [
    "electronic", "hip-hop", "pop", "rock", "r&b", "jazz", "latin", "afrobeats", "indie",
    "classical", "house", "techno", "k-pop", "country", "ambient",
]
# fmt: on
COUNTRIES = np.array(list(_COUNTRY_WEIGHT))
COUNTRY_WEIGHTS = np.array(list(_COUNTRY_WEIGHT.values()), dtype=float)
COUNTRY_WEIGHTS /= COUNTRY_WEIGHTS.sum()


def user_countries(seed: int, user_ids: list[str]) -> np.ndarray:
    """Each user's country (index into ``COUNTRIES``), keyed by (seed, user id): the column is
    not stored, so appended days recover the same countries and the plays' mix carries on."""
    u = np.array([keyed_uniform(seed, "country", uid) for uid in user_ids])
    return categorical(u, COUNTRY_WEIGHTS)


@dataclass
class Ctx:
    seed: int
    scale: Scale
    start: int  # first instant of the generated window (Unix seconds)
    end: int  # the data set's "as of": nothing happens at or after it
    ids: IdFactory  # counters for the reference tables; every other id is keyed
    # in-memory dimension tables shared between generators (lists / numpy arrays)
    dims: dict[str, Any] = field(default_factory=dict)
    # small and medium tables, fully generated, keyed by table name: dict rows, or a
    # ``RowBuffer`` of formatted lines for tables whose rows are final when created
    rows: dict[str, Any] = field(default_factory=dict)


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
    """The appended days' context: [start, end), the seed, and the history they extend."""

    seed: int
    start: int
    end: int
    origin: int  # first instant of the history (the seed's start: its admins sign up then)
    scale: Scale  # the scale the history was seeded at (its length tells)
    roles: dict[str, str]  # role name -> id
    # every user (by number) and their ids once the window's sign-ups are stored
    # (``identity.append_identity``), for every later stage
    users: tuple[Lifecycle, list[str]] = field(init=False, repr=False)
    # every artist and master (by number) once the window's are stored, in the full seed's
    # shape (``artists.Catalogue.dims``; ``artists.append_catalogue``)
    catalogue: dict[str, dict[str, Any]] = field(init=False, repr=False)


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
    roles = dict(conn.execute("SELECT name::text, id::text FROM oltp.roles").fetchall())
    return Window(seed, start, start + days * DAY, origin, scale, roles)
