"""The context of a run (``Run``), the full seed's or appended days'; users' countries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import psycopg

from audifi.errors import AudifiError
from audifi.seed.ids import IdFactory, keyed_uniform
from audifi.seed.keyed import categorical
from audifi.seed.scales import SCALE_TABLE, Scale
from audifi.seed.timeline import AS_OF, CHAIN_EVENT_TABLES, DAY

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
# every fact table's event instant, by column: appended days start on the day after the latest
_EVENT_AT = {
    "created_at": ("play_events", "revenue_events", "invoices", "webhooks_log", "vstudio_votes",
                   "vstudio_engagement_events", "vstudio_chat_messages", "system_events"),
    "block_timestamp": CHAIN_EVENT_TABLES,
}
# fmt: on
COUNTRIES = np.array(list(_COUNTRY_WEIGHT))
COUNTRY_WEIGHTS = np.array(list(_COUNTRY_WEIGHT.values())) / sum(_COUNTRY_WEIGHT.values())


def user_countries(seed: int, user_ids: list[str]) -> np.ndarray:
    """Each user's country (index into ``COUNTRIES``): not stored, so keyed by the user's id."""
    u = np.array([keyed_uniform(seed, "country", uid) for uid in user_ids])
    return categorical(u, COUNTRY_WEIGHTS)


# Appending reads back what `audifi seed` made; data loaded some other way lacks its anchors.
NOT_OURS = (
    "cannot append: this data was not loaded by `audifi seed` ({what}); --append-days only "
    "extends data the generator produced"
)


@dataclass
class Run:
    """A run's context, the same for the full seed and appended days: the window [start, end)
    it simulates after the history since ``origin``, and what its stages hand on to later ones."""

    seed: int
    scale: Scale  # the scale the history was seeded at (an append: its length tells)
    start: int  # first instant of the window (Unix seconds)
    end: int  # nothing happens at or after it (the full seed's: the data set's "as of")
    origin: int  # first instant of the history (the seed's start: its admins sign up then)
    ids: IdFactory  # keyed ids; counters only for the full seed's reference tables
    roles: dict[str, str] = field(default_factory=dict)  # role name -> id
    # every user (by number) and their ids, set by the identity stage
    users: tuple[Lifecycle, list[str]] = field(init=False, repr=False)
    # every artist and master (by number) as ``Catalogue.run`` returns them (the catalogue stage)
    catalogue: dict[str, dict[str, Any]] = field(init=False, repr=False)
    dims: dict[str, Any] = field(default_factory=dict)  # the full seed's other shared state
    # the full seed's small and medium tables by name: dict rows, or a ``RowBuffer``
    rows: dict[str, Any] = field(default_factory=dict)


def open_window(conn: psycopg.Connection, seed: int, days: int) -> Run:
    latest = ", ".join(f"(SELECT max({c}) FROM oltp.{t})" for c in _EVENT_AT for t in _EVENT_AT[c])
    first = "(SELECT extract(epoch FROM min(created_at))::bigint FROM oltp.users)"
    row = conn.execute(f"SELECT extract(epoch FROM greatest({latest}))::bigint, {first}").fetchone()
    if row is None or row[0] is None or row[1] is None:
        raise AudifiError("nothing to append to: the database holds no seeded data yet")
    start, origin = int(row[0]) // DAY * DAY + DAY, int(row[1])
    # the history's length tells the scale it was seeded at, hence the appended days' rates
    history = (AS_OF - origin) // DAY
    scale = next((s for s in SCALE_TABLE.values() if s.days == history), None)
    if scale is None:
        raise AudifiError(NOT_OURS.format(what=f"no scale has a {history}-day history"))
    roles = dict(conn.execute("SELECT name::text, id::text FROM oltp.roles").fetchall())
    return Run(seed, scale, start, start + days * DAY, origin, IdFactory(seed), roles)
