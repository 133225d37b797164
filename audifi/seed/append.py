"""``append_days``: N more days of activity after the latest instant already loaded.

Reads the state it needs back from the database and, in one transaction, adds the window's
plays, NFT transfers and sales, DSP statement lines and revenue (moving open revenue through
verification, deposit and distribution), dividend claims, Artist Coin swaps, billing renewals,
V Studio sessions with their votes, and indexer events; then refreshes every cached value those
facts feed, so the invariants keep holding.  Determinism: every random stream and id derives
from (seed, window start, days); lifecycle steps of existing rows from (seed, row id).
"""

from __future__ import annotations

from audifi.errors import AudifiError
from audifi.seed.append_refresh import refresh_cached
from audifi.seed.append_state import open_window
from audifi.seed.artists import append_catalogue
from audifi.seed.billing import append_billing
from audifi.seed.coins import append_coins
from audifi.seed.copy_loader import Loader
from audifi.seed.identity import PLATFORM_ADMIN, admin_id, append_identity
from audifi.seed.nfts import append_nfts
from audifi.seed.observability import append_activity
from audifi.seed.plays import append_plays
from audifi.seed.preflight import connect, require_migrated
from audifi.seed.revenue import append_revenue
from audifi.seed.vstudio import append_vstudio


def append_days(url: str, days: int, seed: int = 42, progress: bool = True) -> dict[str, int]:
    """Append ``days`` days; returns the rows inserted per table."""
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise AudifiError(f"--append-days needs a whole number of days, at least 1 (got {days})")
    with connect(url) as conn:
        require_migrated(conn)
        w = open_window(conn, seed, days)
        with Loader(conn, progress) as writer:
            try:
                append_identity(conn, writer, w)  # new users first: they play in the window
                masters, follows = append_catalogue(conn, writer, w)
                append_activity(conn, writer, w, masters)
                append_plays(conn, writer, w)
                market, holdings = append_nfts(conn, writer, w)  # IPOs, mints, moves
                admin = admin_id(conn, PLATFORM_ADMIN)
                append_revenue(conn, writer, w, admin, market, holdings)  # and dividends
                append_coins(conn, writer, w)
                cover = append_billing(conn, writer, w)
                # votes check NFT, coin and subscription eligibility: after those stages
                append_vstudio(conn, writer, w, follows, cover, market, holdings)
                refresh_cached(conn, w)
            except Exception:
                conn.rollback()
                raise
        conn.commit()
        return dict(writer.counts)
