"""``append_days``: N more days of activity after the latest instant already loaded.

Reads the state it needs back from the database (masters, users, NFT owners), generates new
plays and NFT transfers/sales for the window, and refreshes every cached value those facts
feed (owners, listings, artist sales, dividend ``tokens_held``, indexer checkpoints) in the
same transaction, so the invariants keep holding.  Determinism: the window's random stream and
ids derive from (seed, window start, days).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import psycopg

from audifi.errors import AudifiError
from audifi.seed.copy_loader import Loader
from audifi.seed.generate_nfts import MARKETS
from audifi.seed.generate_plays import play_frames
from audifi.seed.ids import ZERO_ADDRESS, IdFactory
from audifi.seed.preflight import connect, require_migrated
from audifi.seed.timeline import CHAINS, DAY, block_at, chain_by_id

REFRESH_SQL = [
    # artists.total_sales (INV-23)
    """UPDATE oltp.artists a SET total_sales = s.n, updated_at = %(end)s
       FROM (SELECT a2.id, count(t.id) AS n FROM oltp.artists a2
             LEFT JOIN oltp.masters m ON m.artist_id = a2.id
             LEFT JOIN oltp.nft_transfers t ON t.master_id = m.id AND t.transfer_type = 'sale'
             GROUP BY a2.id) s
       WHERE s.id = a.id AND a.total_sales <> s.n""",
    # wallet_dividend_balances.tokens_held (INV-25)
    """UPDATE oltp.wallet_dividend_balances b SET tokens_held = s.n, updated_at = %(end)s
       FROM (SELECT b2.id, count(n.id) AS n FROM oltp.wallet_dividend_balances b2
             LEFT JOIN oltp.master_nfts n ON n.master_id = b2.master_id
               AND n.chain_id = b2.chain_id AND n.current_owner_wallet = b2.wallet_address
             GROUP BY b2.id) s
       WHERE s.id = b.id AND b.tokens_held <> s.n""",
]
CHECKPOINT_TABLES = ["master_contracts", "dividend_contracts", "artist_tokens", "liquidity_pools"]


def append_days(url: str, days: int, seed: int = 42, progress: bool = True) -> dict[str, int]:
    if not isinstance(days, int) or days < 1:
        raise AudifiError(f"--append-days needs a whole number of days, at least 1 (got {days})")
    with connect(url) as conn:
        require_migrated(conn)
        row = conn.execute(
            "SELECT extract(epoch FROM date_trunc('day', max(created_at)))::bigint, "
            "extract(epoch FROM min(started_at))::bigint, count(*), max(id) "
            "FROM oltp.play_events"
        ).fetchone()
        if row is None or row[2] == 0:
            raise AudifiError("nothing to append to: the database holds no seeded data yet")
        start = int(row[0]) + DAY
        end = start + days * DAY
        history_days = max(1, (start - int(row[1])) // DAY)
        rng = np.random.default_rng([seed, start, days])
        ids = IdFactory(seed, window=start // DAY)
        with Loader(conn, progress) as loader:
            try:
                masters, users = _load_dims(conn, rng, end)
                n_plays = int(row[2] / history_days * days)
                loader.copy_frames(
                    "play_events",
                    play_frames(rng, masters, users, start, end, n_plays, int(row[3]) + 1, 250_000),
                    total=n_plays,
                )
                _nft_activity(conn, loader, rng, ids, start, end, history_days, days)
                _system_events(loader, ids, start, end)
                for sql in REFRESH_SQL:
                    conn.execute(sql, {"end": _ts(end - 1)})
                for table in CHECKPOINT_TABLES:
                    for chain in CHAINS:
                        conn.execute(
                            f"UPDATE oltp.{table} SET last_indexed_block = %s, "
                            "last_indexed_at = %s WHERE chain_id = %s",
                            (int(block_at(chain, end - 1)[0]), _ts(end - 1), chain.chain_id),
                        )
                conn.execute(
                    "SELECT setval(pg_get_serial_sequence('oltp.play_events', 'id'), "
                    "(SELECT max(id) FROM oltp.play_events))"
                )
            except Exception:
                conn.rollback()
                raise
        conn.commit()
        return dict(loader.counts)


def _ts(t: int) -> str:
    return str(np.datetime64(int(t), "s")) + "Z"


def _load_dims(conn: psycopg.Connection, rng: np.random.Generator, end: int) -> tuple[dict, dict]:
    """Masters (popularity = plays so far, which keeps the heavy tail) and active users."""
    rows = conn.execute(
        """SELECT m.id::text, extract(epoch FROM m.created_at)::bigint,
                  coalesce(extract(epoch FROM m.release_date)::bigint, -1),
                  coalesce(m.duration, 180), m.status::text, coalesce(p.n, 0)
           FROM oltp.masters m
           LEFT JOIN (SELECT master_id, count(*) n FROM oltp.play_events GROUP BY 1) p
             ON p.master_id = m.id
           ORDER BY m.created_at, m.id"""
    ).fetchall()
    released = np.array([r[4] in ("approved", "live", "archived") for r in rows])
    masters = {
        "id": [r[0] for r in rows],
        "created": np.array([r[1] for r in rows], np.int64),
        "release": np.where(released, np.array([r[2] for r in rows], np.int64), -1),
        "duration": np.array([r[3] for r in rows], np.int64),
        "pop": np.array([r[5] + 1 for r in rows], float),
    }
    urows = conn.execute(
        """SELECT id::text, extract(epoch FROM created_at)::bigint, status::text,
                  extract(epoch FROM deleted_at)::bigint
           FROM oltp.users ORDER BY created_at, id"""
    ).fetchall()
    churn = np.array([end if r[2] == "active" else (r[3] or r[1]) for r in urows], np.int64)
    users = {
        "id": [r[0] for r in urows],
        "created": np.array([r[1] for r in urows], np.int64),
        "churn": churn,
        "country": rng.integers(0, 20, len(urows)),
    }
    return masters, users


def _nft_activity(
    conn: psycopg.Connection,
    loader: Loader,
    rng: np.random.Generator,
    ids: IdFactory,
    start: int,
    end: int,
    history_days: int,
    days: int,
) -> None:
    """At most one new transfer or sale per token, after every event already stored."""
    toks = conn.execute(
        f"""SELECT n.id::text, n.master_id::text, n.token_id, n.chain_id, n.contract_address,
                  n.current_owner_wallet, i.allow_secondary_resale, i.secondary_royalty_bps,
                  coalesce(n.mint_price_wei, 0), coalesce(i.mint_price_currency, 'ETH'),
                  (SELECT w.wallet_address FROM oltp.user_wallets w
                   WHERE w.user_id = a.user_id AND w.chain_id = '1' LIMIT 1)
           FROM oltp.master_nfts n
           JOIN oltp.master_ipos i ON i.master_id = n.master_id
           JOIN oltp.masters m ON m.id = n.master_id
           JOIN oltp.artists a ON a.id = m.artist_id
           WHERE n.current_owner_wallet <> '{ZERO_ADDRESS}'
           ORDER BY n.chain_id, n.contract_address, n.token_id"""
    ).fetchall()
    if not toks:
        return
    moved = conn.execute(
        "SELECT count(*) FROM oltp.nft_transfers WHERE transfer_type <> 'mint'"
    ).fetchone()[0]  # type: ignore[index]
    k = min(len(toks), int(rng.poisson(max(1.0, moved / history_days * days))))
    chosen = np.sort(rng.choice(len(toks), k, replace=False))
    receivers = {
        c.chain_id: [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT to_wallet FROM oltp.nft_transfers WHERE chain_id = %s "
                "AND to_wallet <> %s ORDER BY 1",
                (c.chain_id, ZERO_ADDRESS),
            )
        ]
        for c in CHAINS
    }
    times = np.sort(rng.integers(start + 60, end - 60, k))
    hashes = ids.tx_hashes("nft", k)
    rows, owners = [], []
    for j, (ti, t) in enumerate(zip(chosen.tolist(), times.tolist(), strict=True)):
        nid, mid, token, cid, caddr, owner, resale, bps, mint_price, cur, artist_w = toks[ti]
        pool = receivers[cid]
        to = pool[int(rng.random() ** 2 * len(pool))]
        if to == owner:
            continue
        sale = bool(resale) and rng.random() < 0.65
        price = int(Decimal(mint_price) * Decimal(str(round(rng.lognormal(0.2, 0.5), 3))))
        price = price // 10**9 * 10**9
        blk, bts = block_at(chain_by_id(cid), t)
        rows.append(
            {
                "id": ids.uuid("nft_transfers"),
                "master_nft_id": nid,
                "master_id": mid,
                "token_id": token,
                "chain_id": cid,
                "contract_address": caddr,
                "from_wallet": owner,
                "to_wallet": to,
                "tx_hash": hashes[j],
                "block_number": int(blk),
                "log_index": 2 if sale else 0,
                "block_timestamp": int(bts),
                "transfer_type": "sale" if sale else "transfer",
                "sale_price_wei": price if sale else None,
                "sale_currency": cur if sale else None,
                "marketplace": str(MARKETS[j % 3]) if sale else None,
                "royalty_paid_wei": price * bps // 10_000 if sale else None,
                "royalty_recipient": artist_w if sale else None,
                "created_at": int(bts) + 30,
            }
        )
        owners.append((nid, to, "sold" if sale else "not_listed", _ts(int(bts)), int(blk)))
    loader.copy_rows("nft_transfers", rows, total=len(rows))
    with conn.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE seed_new_owner (id uuid, owner text, listing text, "
            "t timestamptz, blk numeric) ON COMMIT DROP"
        )
        with cur.copy("COPY seed_new_owner FROM STDIN") as copy:
            for o in owners:
                copy.write_row(o)
        cur.execute(
            """UPDATE oltp.master_nfts n SET current_owner_wallet = o.owner,
                   listing_status = o.listing::oltp.nft_listing_status, listing_price_wei = NULL,
                   listing_currency = NULL, listed_at = NULL, updated_at = o.t,
                   last_indexed_block = o.blk, last_indexed_at = o.t
               FROM seed_new_owner o WHERE o.id = n.id"""
        )


def _system_events(loader: Loader, ids: IdFactory, start: int, end: int) -> None:
    rows = []
    for day in range(start // DAY, end // DAY):
        for c in CHAINS:
            rows.append(
                {
                    "id": ids.uuid("system_events"),
                    "event_type": "indexer_sync",
                    "source": "blockchain_indexer",
                    "message": f"synced chain {c.chain_id}",
                    "job_id": f"idx-{c.chain_id}-{day}",
                    "duration_ms": 1000,
                    "records_processed": 0,
                    "success": True,
                    "metadata": {"chain": c.chain_id},
                    "created_at": day * DAY + 3600,
                }
            )
    loader.copy_rows("system_events", rows, total=len(rows))
