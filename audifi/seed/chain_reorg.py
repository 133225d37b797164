"""``reorg``: the newest N blocks of one chain replaced by a different history, on the primary
(INV-40; docs/seed.md, "Chain reorganisation"); pool events are undone one by one, newest first."""

from __future__ import annotations

from bisect import bisect_right
from itertools import groupby
from operator import itemgetter
from typing import Any

import psycopg
from psycopg.rows import dict_row

from audifi.errors import AudifiError
from audifi.seed import timeline
from audifi.seed.append import CHECKPOINT_TABLES, COUNTER_SQL
from audifi.seed.coins import HOLDERS_SQL, POOLS_SQL, STATE, USDC, reserve_columns, swap_output
from audifi.seed.copy_loader import Loader, Row
from audifi.seed.database import connect, require_migrated
from audifi.seed.ids import IdFactory, keyed_uniform
from audifi.seed.timeline import CHAIN_EVENT_TABLES, CHAINS, DAY, block_at, chain_by_id, iso

FORKED = "WHERE chain_id = %(chain)s AND block_number >= %(fork)s"  # a table's events in the fork
CHECKPOINTED = (*CHECKPOINT_TABLES, "artist_tokens", "liquidity_pools")
HEAD_SQL = "SELECT max(last_indexed_block)::bigint FROM ({}) h WHERE chain_id = %(chain)s".format(
    " UNION ALL ".join(f"SELECT chain_id, last_indexed_block FROM oltp.{t}" for t in CHECKPOINTED)
)
YOUNG_SQL = """SELECT pool_address, created_at_block FROM oltp.liquidity_pools
WHERE chain_id = %s AND created_at_block >= %s ORDER BY created_at_block LIMIT 1"""
# transfers relied on: a later distribution of the master, or the receiver's later NFT-holder vote
NEEDED_SQL = f"""SELECT t.id FROM oltp.nft_transfers t {FORKED} AND (
    EXISTS (SELECT 1 FROM oltp.dividend_events e WHERE e.master_id = t.master_id
            AND e.event_type = 'distribution' AND e.block_timestamp >= t.block_timestamp)
    OR EXISTS (SELECT 1 FROM oltp.vstudio_votes v
               JOIN oltp.vstudio_decision_points d ON d.id = v.decision_point_id
               JOIN oltp.vstudio_sessions s ON s.id = d.vstudio_session_id
               WHERE s.master_id = t.master_id AND d.eligibility_rule = 'nft_holders'
                 AND v.wallet_address = t.to_wallet AND v.created_at >= t.block_timestamp))"""
LATEST = """(SELECT DISTINCT ON (master_nft_id) master_nft_id AS id, to_wallet, transfer_type
             FROM oltp.nft_transfers WHERE master_nft_id = ANY(%(nfts)s::uuid[])
             ORDER BY master_nft_id, block_number DESC, log_index DESC) last"""
REBUILD_SQL = [  # what the surviving events decide, one statement per invariant:
    # INV-07: a token's owner is the receiver of its latest transfer
    f"""UPDATE oltp.master_nfts n SET current_owner_wallet = last.to_wallet, updated_at = %(end)s
       FROM {LATEST} WHERE n.id = last.id AND n.current_owner_wallet <> last.to_wallet""",
    # INV-35: a token marked sold whose latest transfer is no longer a sale is not listed
    f"""UPDATE oltp.master_nfts n SET listing_status = 'not_listed', listing_price_wei = NULL,
              listing_currency = NULL, listed_at = NULL, updated_at = %(end)s
       FROM {LATEST}
       WHERE n.id = last.id AND n.listing_status = 'sold' AND last.transfer_type <> 'sale'""",
    # INV-11/14: claimed = the remaining claims, claimable = earned - claimed, the last claim
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
                 SELECT * FROM unnest(%(wallets)s::text[], %(masters)s::uuid[])) GROUP BY b2.id) s
       WHERE s.id = b.id AND (b.total_claimed, b.last_claimed_at, b.last_claim_tx_hash)
             IS DISTINCT FROM (s.claimed, s.last_at, s.last_tx)""",
    # INV-13: a contract's totals are the sums of its events
    """UPDATE oltp.dividend_contracts c SET total_revenue_deposited = s.dep,
           total_dividends_distributed = s.dist, updated_at = %(end)s
       FROM (SELECT c2.id,
               coalesce(sum(e.total_amount) FILTER (WHERE e.event_type = 'deposit'), 0) dep,
               coalesce(sum(e.total_amount) FILTER (WHERE e.event_type = 'distribution'), 0) dist
             FROM oltp.dividend_contracts c2
             LEFT JOIN oltp.dividend_events e ON e.dividend_contract_id = c2.id
             WHERE c2.chain_id = %(chain)s GROUP BY c2.id) s
       WHERE s.id = c.id AND (c.total_revenue_deposited, c.total_dividends_distributed)
             IS DISTINCT FROM (s.dep, s.dist)""",
    # INV-25: tokens_held, recounted from the surviving owners
    """UPDATE oltp.wallet_dividend_balances b SET tokens_held = s.n, updated_at = %(end)s
       FROM (SELECT b2.id, count(n.id) AS n FROM oltp.wallet_dividend_balances b2
             LEFT JOIN oltp.master_nfts n ON n.master_id = b2.master_id AND n.chain_id = b2.chain_id
               AND n.current_owner_wallet = b2.wallet_address
             WHERE b2.chain_id = %(chain)s GROUP BY b2.id) s
       WHERE s.id = b.id AND b.tokens_held <> s.n""",
    # the pools' and coins' 24 h volume: swaps of the day before the head
    f"""WITH s AS (SELECT p.id, p.artist_token_id, round(coalesce(sum(e.amount1), 0) / {USDC}, 8) v
         FROM oltp.liquidity_pools p LEFT JOIN oltp.pool_events e ON e.liquidity_pool_id = p.id
           AND e.event_type = 'swap' AND e.block_timestamp >= %(since)s
         WHERE p.id = ANY(%(pools)s::uuid[]) GROUP BY p.id),
       pools AS (UPDATE oltp.liquidity_pools x SET volume_24h_usd = v FROM s WHERE x.id = s.id)
       UPDATE oltp.artist_tokens x SET volume_24h_usd = v FROM s WHERE x.id = s.artist_token_id""",
]


def reorg(url: str, blocks: int, chain: str, seed: int = 42) -> dict[str, int]:
    """Reorg ``chain``'s newest ``blocks`` blocks; returns {"-table": deleted, "+table": added}."""
    if not isinstance(blocks, int) or isinstance(blocks, bool) or blocks < 1:
        raise AudifiError(f"--reorg needs a whole number of blocks, at least 1 (got {blocks})")
    if chain not in (known := [c.chain_id for c in CHAINS]):
        raise AudifiError(
            f"unknown chain {chain!r} for --chain: the seeded chains are {', '.join(known)}"
        )
    with connect(url) as conn:  # commits, or rolls back on an error
        require_migrated(conn)
        (head,) = conn.execute(HEAD_SQL, {"chain": chain}).fetchone()
        if head is None:
            raise AudifiError(
                f"nothing to reorg: the database holds no indexed contracts on chain {chain}"
            )
        fork = max(0, head - blocks + 1)
        if (young := conn.execute(YOUNG_SQL, (chain, fork)).fetchone()) is not None:
            raise AudifiError(
                f"--reorg {blocks} reaches back past the creation of pool {young[0]} at block "
                f"{young[1]} (fork block {fork}); choose fewer blocks"
            )
        # the head block's timestamp (re-indexing done): its last instant's (clocks are monotonic)
        c = chain_by_id(chain)
        last = bisect_right(range(2**40), head, key=lambda t: int(block_at(c, t)[0])) - 1
        forked = {"chain": chain, "fork": fork, "head": head}
        return _reorganise(conn, forked, int(block_at(c, last)[1]), seed)


def _rows(conn: psycopg.Connection, table: str, forked: dict[str, Any], order: str) -> list[Row]:
    sql = f"SELECT * FROM oltp.{table} {FORKED} ORDER BY block_number, {order}"
    return conn.cursor(row_factory=dict_row).execute(sql, forked).fetchall()


def _reorganise(conn: psycopg.Connection, forked: Row, head_ts: int, seed: int) -> dict[str, int]:
    ch, fork, end = chain_by_id(forked["chain"]), forked["fork"], iso(head_ts)
    transfers = _rows(conn, "nft_transfers", forked, "log_index")
    div_events = _rows(conn, "dividend_events", forked, "log_index")
    claims = _rows(conn, "dividend_claims", forked, "tx_hash")
    pool_events = _rows(conn, "pool_events", forked, "block_timestamp, created_at, id")
    needed = {r[0] for r in conn.execute(NEEDED_SQL, forked)}
    # each token's trailing transfer or sale goes back to the mempool unless something relied on it
    trailing = {t["master_nft_id"]: t for t in transfers}.values()
    dropped = {t["id"] for t in trailing if t["transfer_type"] in ("transfer", "sale")} - needed
    # claims are mined again 1 s - 10 min later (unless past the head): their new block columns
    later: dict[str, Row] = {}
    for c in claims:
        delay = 1 + int(keyed_uniform(seed, "reorg-claim", fork, c["tx_hash"]) * 600)
        blk, bts = (int(x) for x in block_at(ch, int(c["block_timestamp"].timestamp()) + delay))
        if blk <= forked["head"]:
            later[c["tx_hash"]] = dict(
                block_number=blk, block_timestamp=bts, created_at=bts + timeline.INDEXER_LAG
            )
    pool = itemgetter("liquidity_pool_id")  # a stable sort keeps each pool's events in order
    by_pool = groupby(sorted(pool_events, key=pool), key=pool)
    swaps = [e for pid, evs in by_pool for e in _rebuild_pool(conn, str(pid), list(evs), end)]
    branch = [  # the new branch, table by table (in CHAIN_EVENT_TABLES order)
        [t for t in transfers if t["id"] not in dropped],
        [
            e | later[e["tx_hash"]] if e["event_type"] == "claim" else e
            for e in div_events
            if e["event_type"] != "claim" or e["tx_hash"] in later
        ],
        [c | later[c["tx_hash"]] for c in claims if c["tx_hash"] in later],
        sorted(swaps, key=itemgetter("block_number", "block_timestamp", "created_at")),
    ]
    ids = IdFactory(seed, window=-fork)  # a namespace of its own: no clash with any seed id
    counts: dict[str, int] = {}
    with Loader(conn, progress=False) as writer:
        for table, rows in zip(CHAIN_EVENT_TABLES, branch, strict=True):
            deleted = conn.execute(f"DELETE FROM oltp.{table} {FORKED}", forked)
            writer.copy_rows(table, [r | {"id": ids.uuid(table)} for r in rows])
            counts |= {f"-{table}": deleted.rowcount, f"+{table}": len(rows)}
    params = forked | dict(end=end, since=iso(head_ts - DAY))
    params |= dict(nfts=sorted({str(t["master_nft_id"]) for t in transfers}))
    params |= dict(pools=sorted({str(e["liquidity_pool_id"]) for e in pool_events}))
    params |= dict(wallets=[c["wallet_address"] for c in claims])
    params |= dict(masters=[str(c["master_id"]) for c in claims])
    for sql in (*REBUILD_SQL, COUNTER_SQL["total_sales"]):  # the append's recount, every chain
        conn.execute(sql, params)
    return counts


def _rebuild_pool(conn: psycopg.Connection, pid: str, evs: list[Row], end: str) -> list[Row]:
    """Undo a pool's orphaned events newest first, replay its purchases (re-priced) oldest first."""
    state = conn.execute(f"{POOLS_SQL} WHERE p.id = %s", (pid,)).fetchone()
    (_, tid, pos_id, _, _, supply, paddr, treasury), (r0, r1, lp) = state[:8], map(int, state[8:])
    sql = f"{HOLDERS_SQL} WHERE artist_token_id = %s"
    holders = {w: [hid, int(b), tx] for _, w, hid, b, tx, _ in conn.execute(sql, (tid,))}
    before = {w: h[1] for w, h in holders.items()}  # each wallet's stored balance

    def into_pool(wallet: str, coins: int) -> None:  # negative: out of the pool into the wallet
        for who, delta in ((paddr, coins), (wallet, -coins)):
            if who not in holders:
                raise AudifiError(f"cannot undo pool event: {who} holds no coins of pool {pid}")
            holders[who][1] += delta

    buys: list[Row] = []  # the purchases
    for e in reversed(evs):  # undo, newest first
        a0, a1, kind = int(e["amount0"]), int(e["amount1"]), e["event_type"]
        if kind == "swap":
            pre_buy, pre_sell = (r0 + a0, r1 - a1), (r0 - a0, r1 + a1)
            is_buy = pre_buy[1] > 0 and a0 == swap_output(pre_buy[1], pre_buy[0], a1)
            is_sell = pre_sell[0] > 0 and a1 == swap_output(pre_sell[0], pre_sell[1], a0)
            if is_buy == is_sell:
                raise AudifiError(
                    f"cannot tell the direction of swap {e['tx_hash']} from the reserves; "
                    "nothing was changed"
                )
            r0, r1 = pre_buy if is_buy else pre_sell
            into_pool(e["sender"], a0 if is_buy else -a0)  # a purchase took coins out of the pool
            buys += [e] if is_buy else []
        elif kind == "add_liquidity":  # the treasury's coins go back out of the pool
            r0, r1 = r0 - a0, r1 - a1
            lp = _solve(lambda x, r0=r0, a0=a0: x + x * a0 // r0, lp, lp * r0 // (r0 + a0))
            into_pool(treasury, -a0)
        else:  # remove_liquidity: lp_before = lp + burn, a0 = r0_before * burn // lp_before
            r0, r1 = r0 + a0, r1 + a1
            lp += _solve(lambda b, r0=r0, lp=lp: r0 * b // (lp + b), a0, a0 * lp // max(1, r0 - a0))
            into_pool(treasury, a0)
    kept: list[Row] = []
    for e in reversed(buys):  # replay the purchases oldest first, on the new reserves
        if (a0 := swap_output(r1, r0, int(e["amount1"]))) > 0:
            r0, r1 = r0 - a0, r1 + int(e["amount1"])
            into_pool(e["sender"], -a0)
            kept.append(e | {"amount0": a0})
    # a wallet whose first coins came from an event of the old branch only holds nothing
    undone = {e["tx_hash"] for e in evs} - {e["tx_hash"] for e in kept}
    gone = [h[0] for h in holders.values() if h[1] == 0 and h[2] in undone]
    conn.execute("DELETE FROM oltp.token_holders WHERE id = ANY(%s::uuid[])", (gone,))
    if negative := [w for w, h in holders.items() if h[1] < 0]:
        raise AudifiError(f"undoing the pool events leaves {negative[0]} a negative balance")
    count = sum(h[1] > 0 for h in holders.values())
    cols = reserve_columns(r0, r1, lp, int(supply) - holders.get(treasury, [None, 0])[1], count)
    cols["artist_tokens"]["last_market_data_update"] = end
    moved = [h for w, h in holders.items() if h[1] != before[w] and h[0] not in gone]
    updates = [("token_holders", h[0], {"balance": h[1]}) for h in moved]
    updates += [(t, rid, cols[t]) for t, rid in zip(STATE, (tid, pid, pos_id), strict=True)]
    for table, rid, row in updates:
        sets = ", ".join(f"{c} = %s" for c in (*row, "updated_at"))
        conn.execute(f"UPDATE oltp.{table} SET {sets} WHERE id = %s", (*row.values(), end, rid))
    return kept


def _solve(f: Any, target: int, guess: int) -> int:
    """The x near ``guess`` with f(x) == target (undoing an integer division)."""
    for x in (g for d in range(64) for g in (guess + d, guess - d)):
        if x >= 0 and f(x) == target:
            return x
    raise AudifiError("cannot undo a liquidity change from the pool's reserves; nothing changed")
