"""Cached values recomputed from the facts (what the indexer and jobs maintain): the artists'
and producers' counters after a full seed or an append, the indexer's checkpoints after an
append; a reorg reuses some of these statements."""

from __future__ import annotations

import psycopg

from audifi.seed.append_state import Window
from audifi.seed.timeline import CHAINS, checkpoint, iso

# Each statement only touches rows whose cached value changed (``updated_at`` = window end).
REFRESH_SQL = {
    # artists.total_masters (INV-23) and follower_count, producers.total_credits: counters of
    # the window's masters, follows and credits (a counter does not touch updated_at)
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
    # artists.total_sales (INV-23)
    "total_sales": """UPDATE oltp.artists a SET total_sales = s.n
       FROM (SELECT a2.id, count(t.id) AS n FROM oltp.artists a2
             LEFT JOIN oltp.masters m ON m.artist_id = a2.id
             LEFT JOIN oltp.nft_transfers t ON t.master_id = m.id AND t.transfer_type = 'sale'
             GROUP BY a2.id) s
       WHERE s.id = a.id AND a.total_sales <> s.n""",
    # wallet_dividend_balances.tokens_held (INV-25)
    "tokens_held": """UPDATE oltp.wallet_dividend_balances b
       SET tokens_held = s.n, updated_at = %(end)s
       FROM (SELECT b2.id, count(n.id) AS n FROM oltp.wallet_dividend_balances b2
             LEFT JOIN oltp.master_nfts n ON n.master_id = b2.master_id
               AND n.chain_id = b2.chain_id AND n.current_owner_wallet = b2.wallet_address
             GROUP BY b2.id) s
       WHERE s.id = b.id AND b.tokens_held <> s.n""",
}
CHECKPOINT_TABLES = ["master_contracts", "dividend_contracts"]


COUNTERS = ["total_masters", "follower_count", "total_credits", "total_sales"]


def refresh_counters(conn: psycopg.Connection) -> None:
    """The artists' and producers' counters (INV-23), the full seed's and appended days' rule."""
    for name in COUNTERS:
        conn.execute(REFRESH_SQL[name])


def refresh_cached(conn: psycopg.Connection, w: Window) -> None:
    """After an append: the counters; ``tokens_held`` is the dividend ledger's (its SQL serves
    a reorg); coins and pools are written as of the window's end by ``coins.append_coins``."""
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
