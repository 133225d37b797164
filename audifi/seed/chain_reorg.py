"""``reorg``: a chain reorganisation of the newest N blocks of one chain, on the primary (INV-40).

In one transaction, as the indexing design prescribes ("event rows at or above the fork block
are deleted, aggregates are rebuilt and indexing resumes from the fork"; the tables and columns
are listed in docs/seed.md, "Chain reorganisation"):

1. **Delete** the chain's events at or above the fork block (``fork = head - N + 1``, ``head`` =
   the chain's indexer checkpoint): ``nft_transfers``, ``dividend_events``, ``dividend_claims``
   and ``pool_events``.
2. **Roll back** what they fed.  Token balances are not derivable from stored events (the
   design stores no ERC-20 transfers), so the pool events are undone one by one, newest first.
3. **Re-add a different history** for the same blocks, with new row ids, and rebuild the
   aggregates from it.  What an off-chain row relied on is kept as it was: mints, dividend
   deposits and distributions (the revenue lifecycle points at them by tx hash), transfers a
   later distribution or NFT-holder vote relied on.  Each dividend claim is mined a keyed
   1 s – 10 min later (same tx; dropped past the head): claiming later never claims more than
   was claimable.  Each coin purchase spends the same USDC against the rolled-back reserves,
   so it receives a different amount.  The rest (coin sales, liquidity changes, each token's
   trailing transfer or sale) goes back to the mempool.  Off-chain rows (votes, revenue,
   snapshots) are never touched, so every invariant holds afterwards.

**Swap direction.** ``pool_events`` stores ``amount0``/``amount1`` without a sign or an in/out
split (the design is silent; Uniswap's own events carry the direction).  Undoing a swap needs
it (which side's balance goes back up).  We keep the design's unsigned columns, so the full
seed's data and the marts that sum them are unchanged, and infer the direction while undoing:
exactly one of "bought coins" and "sold coins" reproduces the event's amounts with the
constant-product rule (0.3 % fee) from the reserves before it.  If neither or both do, the
reorg refuses (one line, nothing changed).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row

from audifi.errors import AudifiError
from audifi.seed.append import REFRESH_SQL
from audifi.seed.coins import USDC, reserve_columns, swap_output
from audifi.seed.copy_loader import Loader
from audifi.seed.database import connect, require_migrated
from audifi.seed.ids import IdFactory, keyed_uniform
from audifi.seed.timeline import CHAINS, DAY, block_at, chain_by_id, iso

EVENT_TABLES = ("nft_transfers", "dividend_events", "dividend_claims", "pool_events")
CHECKPOINTS = ("master_contracts", "dividend_contracts", "artist_tokens", "liquidity_pools")
MAX_CLAIM_DELAY = 600  # seconds a claim of the orphaned blocks is mined later in the new branch

HEAD_SQL = " UNION ALL ".join(
    f"SELECT max(last_indexed_block) AS b FROM oltp.{t} WHERE chain_id = %(chain)s"
    for t in CHECKPOINTS
)

# A transfer is needed by the off-chain state when a dividend distribution of its master paid
# the owners at or after it, or its receiver cast an NFT-holder vote on the master after it.
NEEDED_SQL = """
SELECT t.id FROM oltp.nft_transfers t
WHERE t.chain_id = %(chain)s AND t.block_number >= %(fork)s AND (
    EXISTS (SELECT 1 FROM oltp.dividend_events e
            WHERE e.master_id = t.master_id AND e.event_type = 'distribution'
              AND e.block_timestamp >= t.block_timestamp)
    OR EXISTS (SELECT 1 FROM oltp.vstudio_votes v
               JOIN oltp.vstudio_decision_points d ON d.id = v.decision_point_id
               JOIN oltp.vstudio_sessions s ON s.id = d.vstudio_session_id
               WHERE s.master_id = t.master_id AND d.eligibility_rule = 'nft_holders'
                 AND v.wallet_address = t.to_wallet AND v.created_at >= t.block_timestamp))"""

REBUILD_SQL = [
    # INV-07: the owner is the receiver of the latest transfer
    """UPDATE oltp.master_nfts n SET current_owner_wallet = last.to_wallet, updated_at = %(end)s
       FROM oltp.master_nfts n2
       JOIN LATERAL (SELECT to_wallet FROM oltp.nft_transfers t WHERE t.master_nft_id = n2.id
                     ORDER BY block_number DESC, log_index DESC LIMIT 1) last ON true
       WHERE n.id = n2.id AND n2.id = ANY(%(nfts)s::uuid[])
         AND n.current_owner_wallet <> last.to_wallet""",
    # a token marked sold whose last transfer is no longer a sale is not listed (INV-35)
    """UPDATE oltp.master_nfts n SET listing_status = 'not_listed', listing_price_wei = NULL,
              listing_currency = NULL, listed_at = NULL, updated_at = %(end)s
       WHERE n.id = ANY(%(nfts)s::uuid[]) AND n.listing_status = 'sold'
         AND (SELECT t.transfer_type FROM oltp.nft_transfers t WHERE t.master_nft_id = n.id
              ORDER BY block_number DESC, log_index DESC LIMIT 1) <> 'sale'""",
    # INV-11/14: claimed = the claims that remain, claimable = earned - claimed, last claim
    """UPDATE oltp.wallet_dividend_balances b
       SET total_claimed = s.claimed, claimable_amount = b.total_earned - s.claimed,
           last_claimed_at = s.last_at, last_claim_tx_hash = s.last_tx, updated_at = %(end)s
       FROM (SELECT b2.id, coalesce(sum(d.amount_claimed), 0) AS claimed,
                    max(d.block_timestamp) AS last_at,
                    (array_agg(d.tx_hash ORDER BY d.block_number DESC))[1] AS last_tx
             FROM oltp.wallet_dividend_balances b2
             LEFT JOIN oltp.dividend_claims d ON d.wallet_address = b2.wallet_address
               AND d.master_id = b2.master_id AND d.chain_id = b2.chain_id
             WHERE b2.chain_id = %(chain)s AND (b2.wallet_address, b2.master_id) IN (
                 SELECT * FROM unnest(%(wallets)s::text[], %(masters)s::uuid[]))
             GROUP BY b2.id) s
       WHERE s.id = b.id AND (b.total_claimed, b.last_claimed_at, b.last_claim_tx_hash)
             IS DISTINCT FROM (s.claimed, s.last_at, s.last_tx)""",
    # INV-13: contract totals = sums of their events
    """UPDATE oltp.dividend_contracts c
       SET total_revenue_deposited = s.dep, total_dividends_distributed = s.dist,
           updated_at = %(end)s
       FROM (SELECT c2.id,
                    coalesce(sum(e.total_amount) FILTER (WHERE e.event_type = 'deposit'), 0) dep,
                    coalesce(sum(e.total_amount) FILTER (WHERE e.event_type = 'distribution'),
                             0) dist
             FROM oltp.dividend_contracts c2
             LEFT JOIN oltp.dividend_events e ON e.dividend_contract_id = c2.id
             WHERE c2.chain_id = %(chain)s GROUP BY c2.id) s
       WHERE s.id = c.id AND (c.total_revenue_deposited, c.total_dividends_distributed)
             IS DISTINCT FROM (s.dep, s.dist)""",
]

# the pools' and coins' 24 h volume: swaps of the day before the head
VOLUME_SQL = [
    f"""UPDATE oltp.{table} x SET volume_24h_usd = s.v
       FROM (SELECT p.id AS pool, p.artist_token_id AS token,
                    round(coalesce(sum(e.amount1), 0) / {USDC}, 8) AS v
             FROM oltp.liquidity_pools p
             LEFT JOIN oltp.pool_events e ON e.liquidity_pool_id = p.id
               AND e.event_type = 'swap' AND e.block_timestamp >= %(since)s
             WHERE p.id = ANY(%(pools)s::uuid[]) GROUP BY p.id) s
       WHERE x.id = s.{key}"""
    for table, key in (("liquidity_pools", "pool"), ("artist_tokens", "token"))
]


@dataclass
class Fork:
    chain: str
    head: int
    fork: int
    ts: int  # the head block's timestamp: when the indexer finished re-indexing


def reorg(url: str, blocks: int, chain: str, seed: int = 42) -> dict[str, int]:
    """Reorganise the newest ``blocks`` blocks of ``chain``; returns rows deleted and re-added
    per table (``"-table"`` deleted, ``"+table"`` inserted)."""
    if not isinstance(blocks, int) or isinstance(blocks, bool) or blocks < 1:
        raise AudifiError(f"--reorg needs a whole number of blocks, at least 1 (got {blocks})")
    known = [c.chain_id for c in CHAINS]
    if chain not in known:
        raise AudifiError(
            f"unknown chain {chain!r} for --chain: the seeded chains are {', '.join(known)}"
        )
    with connect(url) as conn:  # commits, or rolls back on an error
        require_migrated(conn)
        return _reorganise(conn, _fork(conn, chain, blocks), seed)


def _fork(conn: psycopg.Connection, chain: str, blocks: int) -> Fork:
    heads = [r[0] for r in conn.execute(HEAD_SQL, {"chain": chain}) if r[0] is not None]
    if not heads:
        raise AudifiError(
            f"nothing to reorg: the database holds no indexed contracts on chain {chain}"
        )
    head = int(max(heads))
    fork = max(0, head - blocks + 1)
    young = conn.execute(
        "SELECT pool_address, created_at_block FROM oltp.liquidity_pools "
        "WHERE chain_id = %s AND created_at_block >= %s ORDER BY created_at_block LIMIT 1",
        (chain, fork),
    ).fetchone()
    if young is not None:
        raise AudifiError(
            f"--reorg {blocks} reaches back past the creation of pool {young[0]} at block "
            f"{young[1]} (fork block {fork}); choose fewer blocks"
        )
    # the head block's timestamp: that of the latest instant whose block is <= head (the
    # chains' block clocks are monotonic functions of time)
    c = chain_by_id(chain)
    last = bisect_right(range(2**40), head, key=lambda t: int(block_at(c, t)[0])) - 1
    return Fork(chain, head, fork, int(block_at(c, last)[1]))


def _rows(conn: psycopg.Connection, table: str, f: Fork, order: str) -> list[dict[str, Any]]:
    sql = f"SELECT * FROM oltp.{table} WHERE chain_id = %s AND block_number >= %s ORDER BY {order}"
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(sql, (f.chain, f.fork)).fetchall()


def _reorganise(conn: psycopg.Connection, f: Fork, seed: int) -> dict[str, int]:
    chain = chain_by_id(f.chain)
    transfers = _rows(conn, "nft_transfers", f, "block_number, log_index")
    div_events = _rows(conn, "dividend_events", f, "block_number, log_index")
    claims = _rows(conn, "dividend_claims", f, "block_number, tx_hash")
    pool_events = _rows(conn, "pool_events", f, "block_number, block_timestamp, created_at, id")

    # NFT transfers: each token's trailing transfer or sale goes unless something relied on it
    needed = {r[0] for r in conn.execute(NEEDED_SQL, {"chain": f.chain, "fork": f.fork})}
    last_of_token = {t["master_nft_id"]: t["id"] for t in transfers}

    # claims are mined later in the new branch (same tx), or dropped when no block is left
    moved: dict[str, tuple[int, int]] = {}
    for c in claims:
        delay = 1 + int(keyed_uniform(seed, "reorg-claim", f.fork, c["tx_hash"]) * MAX_CLAIM_DELAY)
        t = int(c["block_timestamp"].timestamp()) + delay
        blk, bts = (int(x) for x in block_at(chain, t))
        if blk <= f.head:
            moved[c["tx_hash"]] = (blk, bts)

    def mined_later(row: dict[str, Any]) -> dict[str, Any]:
        blk, bts = moved[row["tx_hash"]]
        return row | {"block_number": blk, "block_timestamp": bts, "created_at": bts + 30}

    # the new branch, table by table (in EVENT_TABLES order)
    branch = [
        [
            t
            for t in transfers
            if t["transfer_type"] not in ("transfer", "sale")
            or t["id"] in needed
            or last_of_token[t["master_nft_id"]] != t["id"]
        ],
        [
            mined_later(e) if e["event_type"] == "claim" else e
            for e in div_events
            if e["event_type"] != "claim" or e["tx_hash"] in moved
        ],
        [mined_later(c) for c in claims if c["tx_hash"] in moved],
        _rebuild_pools(conn, f, pool_events),
    ]

    # delete the orphaned blocks, then insert the new branch's events with new ids
    ids = IdFactory(seed, window=-f.fork)  # a namespace of its own: no clash with any seed id
    counts = {
        f"-{table}": conn.execute(
            f"DELETE FROM oltp.{table} WHERE chain_id = %s AND block_number >= %s",
            (f.chain, f.fork),
        ).rowcount
        for table in EVENT_TABLES
    }
    with Loader(conn, progress=False) as writer:
        for table, rows in zip(EVENT_TABLES, branch, strict=True):
            writer.copy_rows(table, [r | {"id": ids.uuid(table)} for r in rows])
            counts[f"+{table}"] = len(rows)

    params = {
        "chain": f.chain,
        "end": iso(f.ts),
        "nfts": sorted({str(t["master_nft_id"]) for t in transfers}),
        "wallets": [c["wallet_address"] for c in claims],
        "masters": [str(c["master_id"]) for c in claims],
        "pools": sorted({str(e["liquidity_pool_id"]) for e in pool_events}),
        "since": iso(f.ts - DAY),
    }
    # the append's recounts (every chain; cheap) come last
    for sql in (*REBUILD_SQL, *VOLUME_SQL, REFRESH_SQL["total_sales"], REFRESH_SQL["tokens_held"]):
        conn.execute(sql, params)
    return counts


def _rebuild_pools(
    conn: psycopg.Connection, f: Fork, events: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The new branch's pool events, in block order, once every pool is rebuilt."""
    by_pool: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        by_pool.setdefault(str(e["liquidity_pool_id"]), []).append(e)
    kept = [e for pid, evs in sorted(by_pool.items()) for e in _rebuild_pool(conn, f, pid, evs)]
    kept.sort(key=lambda e: (e["block_number"], e["block_timestamp"], e["created_at"]))
    return kept


def _rebuild_pool(
    conn: psycopg.Connection, f: Fork, pid: str, evs: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Undo one pool's orphaned events newest first, replay the new branch's (coin purchases,
    re-priced) oldest first, and write its reserves, position, balances and market data."""
    (r0, r1, paddr, tid, treasury, pos_id, lp, supply) = conn.execute(
        """SELECT p.reserve0, p.reserve1, p.pool_address, p.artist_token_id::text,
                  pos.wallet_address, pos.id::text, pos.lp_token_balance, t.total_supply
           FROM oltp.liquidity_pools p
           JOIN oltp.pool_positions pos ON pos.liquidity_pool_id = p.id
           JOIN oltp.artist_tokens t ON t.id = p.artist_token_id
           WHERE p.id = %s""",
        (pid,),
    ).fetchone()
    r0, r1, lp = int(r0), int(r1), int(lp)
    holders = {
        w: [hid, int(b), tx]
        for hid, w, b, tx in conn.execute(
            "SELECT id::text, wallet_address, balance, first_acquired_tx_hash "
            "FROM oltp.token_holders WHERE artist_token_id = %s",
            (tid,),
        )
    }
    before = {w: h[1] for w, h in holders.items()}

    def move(wallet: str, delta: int) -> None:
        if wallet not in holders:
            raise AudifiError(f"cannot undo pool event: {wallet} holds no coins of pool {pid}")
        holders[wallet][1] += delta

    buys: list[dict[str, Any]] = []
    for e in reversed(evs):  # undo, newest first
        a0, a1, kind, trader = int(e["amount0"]), int(e["amount1"]), e["event_type"], e["sender"]
        if kind == "swap":
            pre_buy, pre_sell = (r0 + a0, r1 - a1), (r0 - a0, r1 + a1)
            is_buy = pre_buy[1] > 0 and a0 == swap_output(pre_buy[1], pre_buy[0], a1)
            is_sell = pre_sell[0] > 0 and a1 == swap_output(pre_sell[0], pre_sell[1], a0)
            if is_buy == is_sell:
                raise AudifiError(
                    f"cannot tell the direction of swap {e['tx_hash']} from the reserves; "
                    "nothing was changed"
                )
            (r0, r1) = pre_buy if is_buy else pre_sell
            sign = 1 if is_buy else -1  # a purchase took coins out of the pool
            move(paddr, sign * a0)
            move(trader, -sign * a0)
            if is_buy:
                buys.append(e)
        elif kind == "add_liquidity":  # the treasury's coins go back out of the pool
            r0, r1 = r0 - a0, r1 - a1
            lp = _solve(lambda x, r0=r0, a0=a0: x + x * a0 // r0, lp, lp * r0 // (r0 + a0))
            move(paddr, -a0)
            move(treasury, a0)
        else:  # remove_liquidity: lp_before = lp + burn, a0 = r0_before * burn // lp_before
            r0, r1 = r0 + a0, r1 + a1
            burn = _solve(
                lambda b, r0=r0, lp=lp: r0 * b // (lp + b), a0, a0 * lp // max(1, r0 - a0)
            )
            lp += burn
            move(paddr, a0)  # the coins the treasury took go back into the pool
            move(treasury, -a0)
    kept: list[dict[str, Any]] = []
    for e in reversed(buys):  # replay the purchases oldest first, on the new reserves
        a1 = int(e["amount1"])
        a0 = swap_output(r1, r0, a1)
        if a0 <= 0:
            continue
        r0, r1 = r0 - a0, r1 + a1
        move(paddr, -a0)
        move(e["sender"], a0)
        kept.append(e | {"amount0": a0})

    # a wallet whose first coins came from an event of the old branch only holds nothing
    undone = {e["tx_hash"] for e in evs} - {e["tx_hash"] for e in kept}
    gone = [h[0] for h in holders.values() if h[1] == 0 and h[2] in undone]
    conn.execute("DELETE FROM oltp.token_holders WHERE id = ANY(%s::uuid[])", (gone,))
    ts = iso(f.ts)
    for wallet, (hid, balance, _) in holders.items():
        if balance < 0:
            raise AudifiError(f"undoing the pool events leaves {wallet} a negative balance")
        if balance != before[wallet] and hid not in gone:
            conn.execute(
                "UPDATE oltp.token_holders SET balance = %s, updated_at = %s WHERE id = %s",
                (balance, ts, hid),
            )
    circulating = int(supply) - holders.get(treasury, [None, 0])[1]
    count = sum(h[1] > 0 for h in holders.values())
    cols = reserve_columns(r0, r1, lp, circulating, count)
    cols["artist_tokens"]["last_market_data_update"] = ts
    for table, rid in (
        ("liquidity_pools", pid),
        ("pool_positions", pos_id),
        ("artist_tokens", tid),
    ):
        row = cols[table] | {"updated_at": ts}
        sets = ", ".join(f"{c} = %s" for c in row)
        conn.execute(f"UPDATE oltp.{table} SET {sets} WHERE id = %s", (*row.values(), rid))
    return kept


def _solve(f: Any, target: int, guess: int) -> int:
    """The x near ``guess`` with f(x) == target (undoing an integer division)."""
    for d in range(0, 64):
        for x in (guess + d, guess - d):
            if x >= 0 and f(x) == target:
                return x
    raise AudifiError("cannot undo a liquidity change from the pool's reserves; nothing changed")
