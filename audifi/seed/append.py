"""``append_days``: N more days after the latest instant loaded, in one transaction: each
domain's simulation over the window from the state read back, then the cached values those
facts feed (also the full seed's counters, and SQL a reorg reuses)."""

from __future__ import annotations

import psycopg

from audifi.errors import AudifiError
from audifi.seed.artists import stored_catalogue, write_catalogue
from audifi.seed.billing import stored_plans, write_billing
from audifi.seed.coins import stored_pools, write_coins
from audifi.seed.context import Run, open_window
from audifi.seed.copy_loader import Loader
from audifi.seed.database import connect, require_migrated
from audifi.seed.identity import stored_lifecycle, write_identity
from audifi.seed.nfts import append_nfts
from audifi.seed.observability import write_activity
from audifi.seed.plays import append_plays
from audifi.seed.revenue import append_revenue
from audifi.seed.timeline import CHAINS, checkpoint, iso
from audifi.seed.vstudio import Facts, stored_sessions, write_vstudio

# The artists' and producers' counters (INV-23), after a full seed and an append; each touches
# only rows whose count changed (a counter does not touch updated_at).
COUNTER_SQL = {
    "total_masters": """UPDATE oltp.artists a SET total_masters = s.n
       FROM (SELECT artist_id, count(*) AS n FROM oltp.masters GROUP BY 1) s
       WHERE s.artist_id = a.id AND a.total_masters <> s.n""",
    "follower_count": """UPDATE oltp.artists a SET follower_count = s.n
       FROM (SELECT artist_id, count(*) AS n FROM oltp.artist_follows GROUP BY 1) s
       WHERE s.artist_id = a.id AND a.follower_count <> s.n""",
    "total_credits": """UPDATE oltp.producers p SET total_credits = s.n
       FROM (SELECT producer_id, count(DISTINCT master_id) AS n FROM oltp.master_collaborators
             WHERE producer_id IS NOT NULL GROUP BY 1) s
       WHERE s.producer_id = p.id AND p.total_credits <> s.n""",
    "total_sales": """UPDATE oltp.artists a SET total_sales = s.n
       FROM (SELECT a2.id, count(t.id) AS n FROM oltp.artists a2
             LEFT JOIN oltp.masters m ON m.artist_id = a2.id
             LEFT JOIN oltp.nft_transfers t ON t.master_id = m.id AND t.transfer_type = 'sale'
             GROUP BY a2.id) s
       WHERE s.id = a.id AND a.total_sales <> s.n""",
}
COUNTED_TABLES = ("artists", "producers", "masters", "artist_follows", "master_collaborators")
COUNTED_TABLES += ("nft_transfers",)  # what COUNTER_SQL reads
CHECKPOINT_TABLES = ("master_contracts", "dividend_contracts")  # set here; coins set their own


def refresh_counters(conn: psycopg.Connection) -> None:
    """The artists' and producers' counters (INV-23), the full seed's and appended days' rule.
    The tables are analysed first (this transaction's rows count): with the empty-table
    statistics of a fresh database the planner nests loops over full scans (minutes at small)."""
    conn.execute(f"ANALYZE {', '.join(f'oltp.{t}' for t in COUNTED_TABLES)}")
    for sql in COUNTER_SQL.values():
        conn.execute(sql)


def refresh_cached(conn: psycopg.Connection, w: Run) -> None:
    """After an append: the counters and the contracts' indexer checkpoints (``tokens_held`` is
    the dividend ledger's; coins and pools are written as of the window's end by their stage)."""
    refresh_counters(conn)
    # the indexer has caught up to the window's last block on every chain (INV-39)
    for table in CHECKPOINT_TABLES:
        for chain in CHAINS:
            cp = checkpoint(chain, w.end)
            conn.execute(
                f"UPDATE oltp.{table} SET last_indexed_block = %s, last_indexed_at = %s "
                "WHERE chain_id = %s",
                (cp["last_indexed_block"], iso(cp["last_indexed_at"]), chain.chain_id),
            )


def append_days(url: str, days: int, seed: int = 42, progress: bool = True) -> dict[str, int]:
    """Append ``days`` days; returns the rows inserted per table."""
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise AudifiError(f"--append-days needs a whole number of days, at least 1 (got {days})")
    with connect(url) as conn:  # commits, or rolls back on an error
        require_migrated(conn)
        w = open_window(conn, seed, days)
        with Loader(conn, progress) as writer:
            # new users first: they play in the window
            write_identity(writer, w, stored_lifecycle(conn, w.seed))
            masters, follows = write_catalogue(writer, w, stored_catalogue(conn, w))
            append_plays(conn, writer, w)
            market, holdings = append_nfts(conn, writer, w)  # IPOs, mints, moves
            write_activity(writer, w, masters, market.launch_audit(w.start, w.end))
            append_revenue(conn, writer, w, market, holdings)  # and dividends
            coins = write_coins(writer, w, stored_pools(conn, w.ids))
            cover = write_billing(writer, w, *stored_plans(conn))
            # votes check NFT, coin and subscription eligibility: after those stages
            facts = Facts(follows, coins, cover, holdings.owners(market))
            write_vstudio(writer, w, facts, stored_sessions(conn))
            refresh_cached(conn, w)
        return dict(writer.counts)
