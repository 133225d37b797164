"""The synthetic data generator: every invariant holds (plain SQL, independent of dbt),
the content is deterministic, bad input fails cleanly and a failed load leaves nothing behind.

Each invariant query returns the violating rows; the test asserts there are none.
Uses the ``fresh_primary_url`` fixture: an empty, migrated database per test module.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from audifi.errors import AudifiError
from audifi.seed import SCALES, append_days, content_hash, seed_database
from tests.conftest import temporary_database

ZERO = "'0x0000000000000000000000000000000000000000'"

INVARIANTS: dict[str, str] = {
    # A. supply, minting, ownership
    "INV-01 minted_supply = count(master_nfts)": """
        SELECT i.id FROM oltp.master_ipos i
        WHERE i.minted_supply <> (SELECT count(*) FROM oltp.master_nfts n
                                  WHERE n.master_id = i.master_id)""",
    "INV-02 minted <= total, contract supply = IPO supply": """
        SELECT i.id FROM oltp.master_ipos i
        LEFT JOIN oltp.master_contracts c ON c.master_id = i.master_id
        WHERE i.minted_supply NOT BETWEEN 0 AND i.total_supply
           OR (c.id IS NOT NULL AND c.contract_total_supply <> i.total_supply)""",
    "INV-03 total_supply in 1..1e6": """
        SELECT id FROM oltp.master_ipos WHERE total_supply NOT BETWEEN 1 AND 1000000""",
    "INV-04 master_nfts.master_id = its contract's": """
        SELECT n.id FROM oltp.master_nfts n JOIN oltp.master_contracts c
          ON c.id = n.master_contract_id
        WHERE n.master_id <> c.master_id OR n.chain_id <> c.chain_id
           OR n.contract_address <> c.contract_address""",
    "INV-04 nft_transfers agree with their NFT": """
        SELECT t.id FROM oltp.nft_transfers t JOIN oltp.master_nfts n ON n.id = t.master_nft_id
        WHERE (t.master_id, t.chain_id, t.contract_address, t.token_id)
              IS DISTINCT FROM (n.master_id, n.chain_id, n.contract_address, n.token_id)""",
    "INV-04 dividend events/claims follow the contract scope": """
        SELECT e.id FROM oltp.dividend_events e
        JOIN oltp.dividend_contracts c ON c.id = e.dividend_contract_id
        WHERE e.master_id IS DISTINCT FROM c.master_id OR e.chain_id <> c.chain_id
           OR e.contract_address <> c.contract_address
        UNION ALL
        SELECT d.id FROM oltp.dividend_claims d
        JOIN oltp.dividend_contracts c ON c.id = d.dividend_contract_id
        WHERE c.master_id IS DISTINCT FROM d.master_id OR d.chain_id <> c.chain_id""",
    "INV-04 pool_events.artist_token_id = its pool's": """
        SELECT e.id FROM oltp.pool_events e JOIN oltp.liquidity_pools p
          ON p.id = e.liquidity_pool_id
        WHERE e.artist_token_id <> p.artist_token_id OR e.pool_address <> p.pool_address""",
    "INV-04 vote session = its decision point's": """
        SELECT v.id FROM oltp.vstudio_votes v
        JOIN oltp.vstudio_decision_points d ON d.id = v.decision_point_id
        WHERE v.vstudio_session_id <> d.vstudio_session_id""",
    "INV-05 balances and counters are not negative": """
        SELECT id FROM oltp.token_holders WHERE balance < 0
        UNION ALL SELECT id FROM oltp.liquidity_pools WHERE reserve0 < 0 OR reserve1 < 0
        UNION ALL SELECT id FROM oltp.pool_positions WHERE lp_token_balance < 0
        UNION ALL SELECT id FROM oltp.wallet_dividend_balances
          WHERE total_earned < 0 OR total_claimed < 0 OR claimable_amount < 0 OR tokens_held < 0""",
    "INV-06 (tx_hash, log_index) unique; claims and pool events unique on tx_hash": """
        SELECT tx_hash FROM oltp.nft_transfers GROUP BY tx_hash, log_index HAVING count(*) > 1
        UNION ALL
        SELECT tx_hash FROM oltp.dividend_events GROUP BY tx_hash, log_index HAVING count(*) > 1
        UNION ALL SELECT tx_hash FROM oltp.dividend_claims GROUP BY tx_hash HAVING count(*) > 1
        UNION ALL SELECT tx_hash FROM oltp.pool_events GROUP BY tx_hash HAVING count(*) > 1""",
    "INV-07 current owner = receiver of the latest transfer": """
        SELECT n.id FROM oltp.master_nfts n
        JOIN LATERAL (SELECT to_wallet FROM oltp.nft_transfers t WHERE t.master_nft_id = n.id
                      ORDER BY block_number DESC, log_index DESC LIMIT 1) last ON true
        WHERE last.to_wallet <> n.current_owner_wallet""",
    "INV-08 mint <=> from ZERO": f"""
        SELECT id FROM oltp.nft_transfers
        WHERE (transfer_type = 'mint') <> (from_wallet = {ZERO})
           OR (transfer_type = 'burn') <> (to_wallet = {ZERO})""",
    "INV-08 one mint per token, earliest, matching the NFT row": """
        SELECT n.id FROM oltp.master_nfts n
        JOIN LATERAL (SELECT * FROM oltp.nft_transfers t WHERE t.master_nft_id = n.id
                      ORDER BY block_number, log_index LIMIT 1) first ON true
        WHERE first.transfer_type <> 'mint' OR first.to_wallet <> n.original_minter_wallet
           OR first.tx_hash <> n.mint_tx_hash OR first.block_number <> n.minted_at_block
           OR (SELECT count(*) FROM oltp.nft_transfers t WHERE t.master_nft_id = n.id
               AND t.transfer_type = 'mint') <> 1""",
    "INV-08 nothing follows a burn": """
        SELECT b.id FROM oltp.nft_transfers b JOIN oltp.nft_transfers a
          ON a.master_nft_id = b.master_nft_id AND (a.block_number, a.log_index)
             > (b.block_number, b.log_index)
        WHERE b.transfer_type = 'burn'""",
    "INV-09 Mover Advantage flags on token ids 1/2/3": """
        SELECT n.id FROM oltp.master_nfts n
        JOIN oltp.master_contracts c ON c.id = n.master_contract_id
        JOIN oltp.master_ipos i ON i.master_id = n.master_id
        WHERE (n.is_first_minter::int + n.is_second_minter::int + n.is_third_minter::int) > 1
           OR n.is_first_minter <> (i.mover_advantage_enabled AND n.token_id = 1)
           OR n.is_second_minter <> (i.mover_advantage_enabled AND n.token_id = 2)
           OR n.is_third_minter <> (i.mover_advantage_enabled AND n.token_id = 3)
           OR (n.is_first_minter AND c.first_minter_wallet <> n.original_minter_wallet)
           OR (n.is_second_minter AND c.second_minter_wallet <> n.original_minter_wallet)
           OR (n.is_third_minter AND c.third_minter_wallet <> n.original_minter_wallet)""",
    "INV-10 (chain, contract, token) unique": """
        SELECT chain_id FROM oltp.master_nfts
        GROUP BY chain_id, contract_address, token_id HAVING count(*) > 1""",
    # B. revenue and dividends
    "INV-11 claimable = earned - claimed, claimed <= earned": """
        SELECT id FROM oltp.wallet_dividend_balances
        WHERE claimable_amount <> total_earned - total_claimed OR total_claimed > total_earned""",
    "INV-12 claims <= distributed <= deposited": """
        SELECT c.id FROM oltp.dividend_contracts c
        WHERE (SELECT coalesce(sum(amount_claimed), 0) FROM oltp.dividend_claims d
               WHERE d.dividend_contract_id = c.id) > c.total_dividends_distributed
           OR c.total_dividends_distributed > c.total_revenue_deposited""",
    "INV-13 contract totals = sums of their events": """
        SELECT c.id FROM oltp.dividend_contracts c
        WHERE c.total_revenue_deposited <> (SELECT coalesce(sum(total_amount), 0)
              FROM oltp.dividend_events e WHERE e.dividend_contract_id = c.id
              AND e.event_type = 'deposit')
           OR c.total_dividends_distributed <> (SELECT coalesce(sum(total_amount), 0)
              FROM oltp.dividend_events e WHERE e.dividend_contract_id = c.id
              AND e.event_type = 'distribution')""",
    "INV-14 total_claimed = sum of claims": """
        SELECT b.id FROM oltp.wallet_dividend_balances b
        WHERE b.total_claimed <> (SELECT coalesce(sum(amount_claimed), 0)
              FROM oltp.dividend_claims d WHERE d.wallet_address = b.wallet_address
              AND d.master_id = b.master_id AND d.chain_id = b.chain_id)""",
    "INV-14 claim events <=> claim rows": """
        SELECT e.tx_hash FROM oltp.dividend_events e
        LEFT JOIN oltp.dividend_claims d ON d.tx_hash = e.tx_hash
          AND d.amount_claimed = e.total_amount
        WHERE e.event_type = 'claim' AND d.id IS NULL
        UNION ALL
        SELECT d.tx_hash FROM oltp.dividend_claims d
        LEFT JOIN oltp.dividend_events e ON e.tx_hash = d.tx_hash AND e.event_type = 'claim'
          AND e.total_amount = d.amount_claimed
        WHERE e.id IS NULL""",
    "INV-15 revenue status lifecycle": """
        SELECT r.id FROM oltp.revenue_events r
        WHERE (r.status IN ('verified', 'deposited', 'distributed') AND r.verified_at IS NULL)
           OR (r.status IN ('deposited', 'distributed') AND (
                r.deposited_to_contract_id IS NULL OR r.deposit_tx_hash IS NULL
                OR r.deposited_at IS NULL OR r.deposited_at < r.verified_at
                OR NOT EXISTS (SELECT 1 FROM oltp.dividend_events e
                   WHERE e.event_type = 'deposit' AND e.tx_hash = r.deposit_tx_hash
                   AND e.dividend_contract_id = r.deposited_to_contract_id)))
           OR (r.status = 'distributed' AND NOT EXISTS (SELECT 1 FROM oltp.dividend_events e
                WHERE e.event_type = 'distribution' AND e.revenue_event_id = r.id))
           OR (r.status IN ('pending', 'failed', 'disputed', 'verified')
               AND r.deposited_to_contract_id IS NOT NULL)""",
    "INV-15 amount_usd is known once verified (NULL only while pending)": """
        SELECT id FROM oltp.revenue_events
        WHERE amount_usd IS NULL AND (status <> 'pending' OR currency = 'USD')""",
    "INV-20 one payout currency per dividend contract": """
        SELECT dividend_contract_id FROM (
            SELECT dividend_contract_id, currency FROM oltp.dividend_events
            UNION ALL SELECT dividend_contract_id, currency FROM oltp.dividend_claims
            UNION ALL SELECT dividend_contract_id, currency FROM oltp.wallet_dividend_balances) x
        GROUP BY 1 HAVING count(DISTINCT currency) > 1""",
    "INV-16 deposit target belongs to the master, its artist or the platform": """
        SELECT r.id FROM oltp.revenue_events r
        JOIN oltp.masters m ON m.id = r.master_id
        JOIN oltp.dividend_contracts c ON c.id = r.deposited_to_contract_id
        WHERE NOT ((c.distribution_model = 'per_master' AND c.master_id = r.master_id)
                OR (c.distribution_model = 'per_artist' AND c.artist_id = m.artist_id)
                OR c.distribution_model = 'platform')""",
    "INV-17 dividend contract scope follows distribution_model": """
        SELECT c.id FROM oltp.dividend_contracts c
        WHERE (c.distribution_model = 'per_master' AND (c.master_id IS NULL
               OR NOT EXISTS (SELECT 1 FROM oltp.master_contracts mc
                  WHERE mc.master_id = c.master_id
                  AND mc.contract_address = c.linked_master_contract)))
           OR (c.distribution_model = 'per_artist' AND (c.artist_id IS NULL
               OR c.master_id IS NOT NULL))
           OR (c.distribution_model = 'platform' AND (c.artist_id IS NOT NULL
               OR c.master_id IS NOT NULL))""",
    "INV-18 IPO split sums to 10000": """
        SELECT id FROM oltp.master_ipos WHERE revenue_share_nft_holders_bps
          + retained_artist_bps + retained_platform_bps <> 10000""",
    "INV-19 collaborator splits <= 10000 per master": """
        SELECT master_id FROM oltp.master_collaborators GROUP BY master_id
        HAVING sum(split_basis_points) > 10000 OR min(split_basis_points) < 0""",
    # C. tokens, pools, cached aggregates
    "INV-21 holder balances sum to supply; supply cap": f"""
        SELECT t.id FROM oltp.artist_tokens t
        WHERE t.total_supply <> (SELECT coalesce(sum(balance), 0) FROM oltp.token_holders h
              WHERE h.artist_token_id = t.id AND h.wallet_address <> {ZERO})
           OR t.circulating_supply > t.total_supply OR t.total_supply > 10::numeric ^ 27""",
    # our reading of INV-21 (docs/seed.md): the pool is a holder whose balance is reserve0, the
    # treasury's LP position holds the reserves, circulating = supply - the treasury's coins
    "INV-21 the pool holds reserve0; LP position and circulating supply agree": """
        SELECT p.id FROM oltp.liquidity_pools p
        JOIN oltp.artist_tokens t ON t.id = p.artist_token_id
        JOIN oltp.pool_positions pos ON pos.liquidity_pool_id = p.id
        LEFT JOIN oltp.token_holders h ON h.artist_token_id = t.id
          AND h.wallet_address = p.pool_address
        LEFT JOIN oltp.token_holders tr ON tr.artist_token_id = t.id
          AND tr.wallet_address = pos.wallet_address
        WHERE h.balance IS DISTINCT FROM p.reserve0 OR pos.token0_amount <> p.reserve0
           OR pos.token1_amount <> p.reserve1
           OR t.circulating_supply <> t.total_supply - coalesce(tr.balance, 0)""",
    "INV-22 holders_count": f"""
        SELECT t.id FROM oltp.artist_tokens t
        WHERE t.holders_count <> (SELECT count(*) FROM oltp.token_holders h
              WHERE h.artist_token_id = t.id AND h.balance > 0 AND h.wallet_address <> {ZERO})""",
    "INV-23 artist counters": """
        SELECT a.id FROM oltp.artists a
        WHERE a.total_masters <> (SELECT count(*) FROM oltp.masters m WHERE m.artist_id = a.id)
           OR a.follower_count <> (SELECT count(*) FROM oltp.artist_follows f
                                   WHERE f.artist_id = a.id)
           OR a.total_sales <> (SELECT count(*) FROM oltp.nft_transfers t
                JOIN oltp.masters m ON m.id = t.master_id
                WHERE m.artist_id = a.id AND t.transfer_type = 'sale')""",
    "INV-24 session counters": """
        SELECT s.id FROM oltp.vstudio_sessions s
        WHERE s.participant_count <> (SELECT count(*) FROM oltp.vstudio_participants p
                                      WHERE p.vstudio_session_id = s.id)
           OR s.total_votes <> (SELECT count(*) FROM oltp.vstudio_votes v
                                WHERE v.vstudio_session_id = s.id)
           OR s.peak_concurrent_viewers < 0""",
    "INV-25 participant votes_count, producer credits, results totalVotes": """
        SELECT p.id FROM oltp.vstudio_participants p
        WHERE p.votes_count <> (SELECT count(*) FROM oltp.vstudio_votes v
              WHERE v.vstudio_session_id = p.vstudio_session_id AND v.user_id = p.user_id)
        UNION ALL
        SELECT p.id FROM oltp.producers p
        WHERE p.total_credits <> (SELECT count(DISTINCT master_id)
              FROM oltp.master_collaborators c WHERE c.producer_id = p.id)
        UNION ALL
        SELECT d.id FROM oltp.vstudio_decision_points d
        WHERE d.results_json IS NOT NULL AND (d.results_json ->> 'totalVotes')::int
              <> (SELECT count(*) FROM oltp.vstudio_votes v WHERE v.decision_point_id = d.id)""",
    "INV-25 tokens_held and dividends received": """
        SELECT b.id FROM oltp.wallet_dividend_balances b
        WHERE b.tokens_held <> (SELECT count(*) FROM oltp.master_nfts n
              WHERE n.master_id = b.master_id AND n.chain_id = b.chain_id
              AND n.current_owner_wallet = b.wallet_address)
        UNION ALL
        SELECT n.id FROM oltp.master_nfts n
        WHERE n.total_dividends_received < (SELECT coalesce(sum(amount_claimed), 0)
              FROM oltp.dividend_claims d WHERE d.master_nft_id = n.id)""",
    # D. time, identity, uniqueness
    "INV-26 end >= start": """
        SELECT id FROM oltp.revenue_events WHERE period_end < period_start
        UNION ALL SELECT id FROM oltp.invoices WHERE period_end < period_start
        UNION ALL SELECT id FROM oltp.subscriptions
          WHERE current_period_end < current_period_start OR trial_end < trial_start
        UNION ALL SELECT id FROM oltp.rate_limits WHERE window_end < window_start
        UNION ALL SELECT id FROM oltp.master_ipos
          WHERE scheduled_end_at < scheduled_start_at OR actual_end_at < actual_start_at
        UNION ALL SELECT id FROM oltp.vstudio_sessions
          WHERE scheduled_end_at < scheduled_start_at OR actual_end_at < actual_start_at
        UNION ALL SELECT id FROM oltp.vstudio_decision_points WHERE end_time < start_time""",
    "INV-27 IPO states and mints inside the actual window": """
        SELECT id FROM oltp.master_ipos
        WHERE (status IN ('live', 'closed') AND actual_start_at IS NULL)
           OR (status = 'closed' AND actual_end_at IS NULL)
        UNION ALL
        SELECT n.id FROM oltp.master_nfts n JOIN oltp.master_ipos i ON i.master_id = n.master_id
        WHERE n.minted_at < i.actual_start_at OR n.minted_at > i.actual_end_at
           OR i.status NOT IN ('live', 'closed')""",
    "INV-28 one vote per user / wallet per decision point": """
        SELECT user_id::text FROM oltp.vstudio_votes WHERE user_id IS NOT NULL
        GROUP BY user_id, decision_point_id HAVING count(*) > 1
        UNION ALL
        SELECT wallet_address FROM oltp.vstudio_votes WHERE wallet_address IS NOT NULL
        GROUP BY wallet_address, decision_point_id HAVING count(*) > 1""",
    "INV-29 voter identity; anonymous only where allowed": """
        SELECT v.id FROM oltp.vstudio_votes v
        JOIN oltp.vstudio_sessions s ON s.id = v.vstudio_session_id
        WHERE coalesce(v.user_id::text, v.wallet_address, v.anonymous_id) IS NULL
           OR (v.anonymous_id IS NOT NULL AND NOT s.allow_anonymous)""",
    "INV-30 vote content matches the decision point type": """
        SELECT v.id FROM oltp.vstudio_votes v
        JOIN oltp.vstudio_decision_points d ON d.id = v.decision_point_id
        WHERE CASE d.type
          WHEN 'poll' THEN v.option_selected IS NULL OR NOT EXISTS (
              SELECT 1 FROM jsonb_array_elements(d.options) o WHERE o ->> 'id' = v.option_selected)
          WHEN 'binary' THEN v.option_selected IS NULL OR NOT EXISTS (
              SELECT 1 FROM jsonb_array_elements(d.options) o WHERE o ->> 'id' = v.option_selected)
          WHEN 'slider' THEN v.slider_value IS NULL
              OR v.slider_value NOT BETWEEN d.slider_min AND d.slider_max
          WHEN 'ranking' THEN v.ranking_order IS NULL
              OR (SELECT array_agg(x ORDER BY x) FROM jsonb_array_elements_text(v.ranking_order) x)
              IS DISTINCT FROM
                 (SELECT array_agg(o ->> 'id' ORDER BY o ->> 'id')
                  FROM jsonb_array_elements(d.options) o)
          WHEN 'open_text' THEN v.text_response IS NULL
        END""",
    "INV-30 votes inside the decision point window": """
        SELECT v.id FROM oltp.vstudio_votes v
        JOIN oltp.vstudio_decision_points d ON d.id = v.decision_point_id
        WHERE v.created_at NOT BETWEEN d.start_time AND d.end_time""",
    "INV-30 voters satisfy the eligibility rule": """
        SELECT v.id FROM oltp.vstudio_votes v
        JOIN oltp.vstudio_decision_points d ON d.id = v.decision_point_id
        JOIN oltp.vstudio_sessions s ON s.id = d.vstudio_session_id
        WHERE CASE d.eligibility_rule
          WHEN 'open' THEN false
          WHEN 'authenticated' THEN v.user_id IS NULL
          WHEN 'nft_holders' THEN v.wallet_address IS NULL OR NOT EXISTS (
              SELECT 1 FROM oltp.master_nfts n
              JOIN LATERAL (SELECT to_wallet FROM oltp.nft_transfers t
                            WHERE t.master_nft_id = n.id AND t.block_timestamp <= v.created_at
                            ORDER BY block_number DESC, log_index DESC LIMIT 1) o ON true
              WHERE n.master_id = s.master_id AND o.to_wallet = v.wallet_address)
          WHEN 'coin_holders' THEN v.wallet_address IS NULL OR NOT EXISTS (
              SELECT 1 FROM oltp.token_holders h
              JOIN oltp.artist_tokens t ON t.id = h.artist_token_id
              WHERE t.artist_id = s.artist_id AND h.wallet_address = v.wallet_address
              AND h.balance > 0 AND h.first_acquired_at <= v.created_at)
          WHEN 'subscribers' THEN NOT EXISTS (
              SELECT 1 FROM oltp.subscriptions sub
              JOIN oltp.subscription_plans p ON p.id = sub.plan_id
              JOIN oltp.invoices i ON i.subscription_id = sub.id
              WHERE sub.user_id = v.user_id AND p.price_usd > 0 AND i.status = 'paid'
              AND i.amount_due > 0 AND v.created_at BETWEEN i.period_start AND
                  least(i.period_end, coalesce(sub.canceled_at, i.period_end)))
          WHEN 'superfans' THEN NOT EXISTS (
              SELECT 1 FROM oltp.artist_follows f WHERE f.artist_id = s.artist_id
              AND f.follower_id = v.user_id AND f.created_at <= v.created_at)
          WHEN 'whitelist' THEN NOT coalesce(
              d.eligibility_config -> 'userIds' ? v.user_id::text, false)
        END""",
    "INV-31 session artist owns the master; participants within max": """
        SELECT s.id FROM oltp.vstudio_sessions s JOIN oltp.masters m ON m.id = s.master_id
        WHERE s.artist_id <> m.artist_id OR s.participant_count > s.max_participants
        UNION ALL
        SELECT vstudio_session_id FROM oltp.vstudio_participants WHERE user_id IS NOT NULL
        GROUP BY vstudio_session_id, user_id HAVING count(*) > 1""",
    "INV-32 unique slugs and one profile per user": """
        SELECT slug FROM oltp.artists GROUP BY slug HAVING count(*) > 1
        UNION ALL SELECT user_id::text FROM oltp.artists GROUP BY user_id HAVING count(*) > 1
        UNION ALL SELECT user_id::text FROM oltp.producers GROUP BY user_id HAVING count(*) > 1
        UNION ALL SELECT slug FROM oltp.vstudio_sessions WHERE slug IS NOT NULL
          GROUP BY slug HAVING count(*) > 1
        UNION ALL SELECT master_id::text FROM oltp.master_ipos GROUP BY master_id
          HAVING count(*) > 1
        UNION ALL SELECT artist_id::text FROM oltp.artist_tokens GROUP BY artist_id, chain_id
          HAVING count(*) > 1""",
    "INV-33 at most one primary wallet per user": """
        SELECT user_id FROM oltp.user_wallets WHERE is_primary GROUP BY user_id
        HAVING count(*) > 1""",
    "INV-34 deleted <=> deleted_at": """
        SELECT id FROM oltp.users WHERE (status = 'deleted') <> (deleted_at IS NOT NULL)""",
    "INV-35 listings and sales": """
        SELECT n.id FROM oltp.master_nfts n
        JOIN oltp.master_ipos i ON i.master_id = n.master_id
        WHERE (n.listing_status = 'listed' AND (n.listing_price_wei IS NULL
               OR n.listing_currency IS NULL OR n.listed_at IS NULL))
           OR (NOT i.allow_secondary_resale AND n.listing_status = 'listed')
        UNION ALL
        SELECT t.id FROM oltp.nft_transfers t JOIN oltp.master_ipos i ON i.master_id = t.master_id
        WHERE (t.transfer_type = 'sale' AND (NOT i.allow_secondary_resale
               OR t.sale_price_wei IS NULL OR t.royalty_paid_wei > t.sale_price_wei
               OR t.royalty_paid_wei <> t.sale_price_wei * i.secondary_royalty_bps / 10000))""",
    "INV-36 billing": """
        SELECT id FROM oltp.invoices WHERE status = 'paid'
          AND (paid_at IS NULL OR amount_paid < amount_due)
        UNION ALL SELECT i.id FROM oltp.invoices i JOIN oltp.subscriptions s
          ON s.id = i.subscription_id WHERE i.user_id <> s.user_id
        UNION ALL SELECT id FROM oltp.subscriptions WHERE status = 'canceled'
          AND canceled_at IS NULL""",
    # E. chain indexing
    "INV-39 events at or after their contract's deployment block": """
        SELECT t.id FROM oltp.nft_transfers t JOIN oltp.master_contracts c
          ON c.chain_id = t.chain_id AND c.contract_address = t.contract_address
        WHERE t.block_number < c.deployed_at_block OR t.block_number > c.last_indexed_block
        UNION ALL
        SELECT e.id FROM oltp.dividend_events e JOIN oltp.dividend_contracts c
          ON c.id = e.dividend_contract_id
        WHERE e.block_number < c.deployed_at_block OR e.block_number > c.last_indexed_block
        UNION ALL
        SELECT e.id FROM oltp.pool_events e JOIN oltp.liquidity_pools p
          ON p.id = e.liquidity_pool_id
        WHERE e.block_number < p.created_at_block OR e.block_number > p.last_indexed_block""",
    "INV-39 one timestamp per block, non-decreasing with the block number": """
        WITH ev AS (
            SELECT chain_id, block_number, block_timestamp FROM oltp.nft_transfers
            UNION ALL SELECT chain_id, block_number, block_timestamp FROM oltp.dividend_events
            UNION ALL SELECT chain_id, block_number, block_timestamp FROM oltp.dividend_claims
            UNION ALL SELECT chain_id, block_number, block_timestamp FROM oltp.pool_events),
        blocks AS (
            SELECT chain_id, block_number, min(block_timestamp) AS lo, max(block_timestamp) AS hi
            FROM ev GROUP BY chain_id, block_number)
        SELECT chain_id FROM blocks WHERE lo <> hi
        UNION ALL
        SELECT chain_id FROM (
            SELECT chain_id, lo, lag(lo) OVER (PARTITION BY chain_id ORDER BY block_number) prev
            FROM blocks) x WHERE lo < prev""",
    # streaming module
    "STR-01 ms_played within 0..2x duration": """
        SELECT id FROM oltp.play_events
        WHERE ms_played < 0 OR track_duration_ms <= 0 OR ms_played > 2 * track_duration_ms""",
    "STR-01 track_duration_ms = master duration x 1000": """
        SELECT p.id FROM oltp.play_events p JOIN oltp.masters m ON m.id = p.master_id
        WHERE p.track_duration_ms <> m.duration * 1000""",
    "STR-02 / STR-06 DSP counts and platform": """
        SELECT id FROM oltp.dsp_stream_reports
        WHERE listener_count > stream_count OR stream_count < 0 OR royalty_amount < 0
           OR platform = 'audifi'""",
    "STR-03 statement line stored once": """
        SELECT statement_id FROM oltp.dsp_stream_reports
        GROUP BY statement_id, master_id, platform, country_code, report_date
        HAVING count(*) > 1""",
    "STR-04 statement lines reconcile to distributor revenue": """
        SELECT r.id FROM oltp.revenue_events r
        JOIN oltp.dsp_stream_reports d ON d.revenue_event_id = r.id
        WHERE r.source_type = 'distributor'
        GROUP BY r.id, r.amount_usd, r.period_start, r.period_end
        HAVING round(sum(d.royalty_amount_usd), 2) <> round(r.amount_usd, 2)
            OR min(d.report_date) < r.period_start::date
            OR max(d.report_date) > r.period_end::date""",
    "STR-05 plays only of released masters, after creation, never in the future": """
        SELECT p.id::text FROM oltp.play_events p JOIN oltp.masters m ON m.id = p.master_id
        WHERE p.started_at < m.created_at OR p.started_at > now()
           OR m.status IN ('draft', 'pending') OR p.created_at < p.started_at
        UNION ALL
        SELECT d.id::text FROM oltp.dsp_stream_reports d JOIN oltp.masters m ON m.id = d.master_id
        WHERE m.release_date IS NULL OR m.release_date::date > d.report_date""",
    "plays only by users who had signed up": """
        SELECT p.id FROM oltp.play_events p JOIN oltp.users u ON u.id = p.user_id
        WHERE p.started_at < u.created_at
           OR (u.deleted_at IS NOT NULL AND p.started_at > u.deleted_at)""",
}


def _rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute(sql).fetchall()


def _truncate_all(url: str) -> None:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        tables = [
            r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'oltp'")
        ]
        conn.execute("TRUNCATE " + ", ".join(f"oltp.{t}" for t in tables) + " RESTART IDENTITY")


@pytest.fixture(scope="module")
def seeded(fresh_primary_url: str) -> tuple[str, dict[str, int], str]:
    """The module's database holding ``tiny`` (and then one appended day)."""
    _truncate_all(fresh_primary_url)
    counts = seed_database(fresh_primary_url, "tiny", seed=7, progress=False)
    return fresh_primary_url, counts, content_hash(fresh_primary_url)


@pytest.mark.parametrize("name", list(INVARIANTS))
def test_invariant_holds_on_tiny(seeded: tuple[str, dict[str, int], str], name: str) -> None:
    url, _, _ = seeded
    violations = _rows(url, INVARIANTS[name])
    assert violations == [], f"{name}: {len(violations)} violating rows, e.g. {violations[:3]}"


def test_every_table_has_rows(seeded: tuple[str, dict[str, int], str]) -> None:
    url, counts, _ = seeded
    tables = [
        r[0]
        for r in _rows(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'oltp' ORDER BY 1")
    ]
    assert len(tables) == 44
    for t in tables:
        n = _rows(url, f"SELECT count(*) FROM oltp.{t}")[0][0]
        assert n > 0, t
        assert counts[t] == n, t


def test_popularity_is_heavy_tailed(seeded: tuple[str, dict[str, int], str]) -> None:
    url, _, _ = seeded
    share = _rows(
        url,
        """
        WITH per AS (SELECT master_id, count(*) AS n FROM oltp.play_events GROUP BY master_id),
        ranked AS (SELECT n, ntile(10) OVER (ORDER BY n DESC) AS decile FROM per)
        SELECT sum(n) FILTER (WHERE decile = 1)::float / sum(n) FROM ranked""",
    )[0][0]
    assert share > 0.5


def test_weekly_and_daily_seasonality(seeded: tuple[str, dict[str, int], str]) -> None:
    url, _, _ = seeded
    weekend, weekday, night, evening = _rows(
        url,
        """
        SELECT avg(n) FILTER (WHERE dow IN (0, 6)), avg(n) FILTER (WHERE dow NOT IN (0, 6)),
               sum(n) FILTER (WHERE hr BETWEEN 2 AND 5), sum(n) FILTER (WHERE hr BETWEEN 18 AND 21)
        FROM (SELECT extract(dow FROM started_at) dow, extract(hour FROM started_at) hr,
                     count(*) n
              FROM oltp.play_events GROUP BY 1, 2) x""",
    )[0]
    assert weekend > weekday
    assert evening > 3 * night


def test_users_sign_up_over_time_and_plays_cover_countries(
    seeded: tuple[str, dict[str, int], str],
) -> None:
    url, _, _ = seeded
    months, countries, sources = _rows(
        url,
        """
        SELECT (SELECT count(DISTINCT date_trunc('month', created_at)) FROM oltp.users),
               (SELECT count(DISTINCT country_code) FROM oltp.play_events),
               (SELECT count(DISTINCT source) FROM oltp.play_events)""",
    )[0]
    assert months >= 3 and countries >= 10 and sources == 6


def test_data_exercises_the_rules_analysts_get_wrong(
    seeded: tuple[str, dict[str, int], str],
) -> None:
    """Dividends in two tokens (even one chain's wallet balances), revenue in several fiat
    currencies with pending events whose USD value is unknown, plays without a country,
    anonymous plays."""
    url, _, _ = seeded
    (row,) = _rows(
        url,
        """
        SELECT (SELECT count(DISTINCT currency) FROM oltp.dividend_events),
               (SELECT count(DISTINCT currency) FROM oltp.wallet_dividend_balances),
               (SELECT max(n) FROM (SELECT count(DISTINCT currency) n
                                    FROM oltp.wallet_dividend_balances GROUP BY chain_id) c),
               (SELECT count(DISTINCT currency) FROM oltp.revenue_events),
               (SELECT count(*) FROM oltp.revenue_events
                WHERE status = 'pending' AND amount_usd IS NULL),
               (SELECT count(*) FROM oltp.play_events WHERE country_code IS NULL),
               (SELECT count(*) FROM oltp.play_events
                WHERE user_id IS NULL AND anonymous_id IS NOT NULL)""",
    )
    div_currencies, balance_currencies, per_chain, fiat, unconverted, no_country, anon = row
    assert div_currencies == balance_currencies == per_chain == 2
    assert fiat >= 3 and unconverted > 0 and no_country > 0 and anon > 0


def test_seeding_a_non_empty_database_is_refused(seeded: tuple[str, dict[str, int], str]) -> None:
    url, _, digest = seeded
    with pytest.raises(AudifiError, match="already holds data"):
        seed_database(url, "tiny", seed=7, progress=False)
    assert content_hash(url) == digest


def test_unknown_scale_and_negative_days_are_rejected(
    seeded: tuple[str, dict[str, int], str],
) -> None:
    url, _, _ = seeded
    assert SCALES == ("tiny", "small", "medium", "large")
    with pytest.raises(AudifiError, match="unknown scale"):
        seed_database(url, "huge", progress=False)
    with pytest.raises(AudifiError, match="at least 1"):
        append_days(url, -1, progress=False)


def test_unmigrated_database_is_rejected(fresh_primary_url: str) -> None:
    admin = fresh_primary_url.replace("postgresql+psycopg://", "postgresql://")
    base, _, _ = admin.rpartition("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS audifi_seed_unmigrated")
        conn.execute("CREATE DATABASE audifi_seed_unmigrated")
    try:
        bare = fresh_primary_url.rpartition("/")[0] + "/audifi_seed_unmigrated"
        with pytest.raises(AudifiError, match="not migrated"):
            seed_database(bare, "tiny", progress=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS audifi_seed_unmigrated WITH (FORCE)")
    del base


def test_append_days_keeps_every_invariant(spare_url: str) -> None:
    url = spare_url
    _truncate_all(url)
    seed_database(url, "tiny", seed=7, progress=False)
    before_max, before_n, before_transfers = _rows(
        url,
        """
        SELECT max(started_at), count(*), (SELECT count(*) FROM oltp.nft_transfers)
        FROM oltp.play_events""",
    )[0]
    added = append_days(url, 2, seed=7, progress=False)
    assert added["play_events"] > 0 and added["nft_transfers"] > 0
    new_min, new_max, n, transfers = _rows(
        url,
        """
        SELECT min(started_at) FILTER (WHERE started_at > %s), max(started_at), count(*),
               (SELECT count(*) FROM oltp.nft_transfers)
        FROM oltp.play_events""".replace("%s", f"'{before_max.isoformat()}'"),
    )[0]
    assert n == before_n + added["play_events"]
    assert transfers == before_transfers + added["nft_transfers"]
    assert new_min > before_max and (new_max - before_max).days <= 2
    broken = {name: len(_rows(url, sql)) for name, sql in INVARIANTS.items()}
    assert {k: v for k, v in broken.items() if v} == {}
    appended = content_hash(url)
    _truncate_all(url)
    seed_database(url, "tiny", seed=7, progress=False)
    append_days(url, 2, seed=7, progress=False)
    assert content_hash(url) == appended


@pytest.fixture(scope="module")
def spare_url(servers) -> Iterator[str]:
    """A second empty, migrated database, so failing loads never touch ``seeded``'s."""
    with temporary_database(servers, "seed_spare") as url:
        yield url


def test_generator_failure_rolls_back(
    seeded: tuple[str, dict[str, int], str], spare_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure in the background generator (not the database) also leaves every table
    empty, and reaches the caller as itself."""
    from audifi.seed import pipeline

    _, counts, _ = seeded
    url = spare_url
    _truncate_all(url)

    def broken(*_: object) -> None:
        raise RuntimeError("generator broke")

    monkeypatch.setattr(pipeline, "write_activity", broken)  # the last stage
    with pytest.raises(RuntimeError, match="generator broke"):
        seed_database(url, "tiny", seed=7, progress=False)
    leftovers = _rows(
        url, " UNION ALL ".join(f"SELECT '{t}' FROM oltp.{t} HAVING count(*) > 0" for t in counts)
    )
    assert leftovers == []


def test_deterministic_and_atomic(seeded: tuple[str, dict[str, int], str], spare_url: str) -> None:
    """Same seed -> same hash in another database; a load failing at the last table leaves
    every table empty."""
    _, counts, digest = seeded
    url = spare_url
    _truncate_all(url)
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        # a real failure late in the load: play_events is written last
        conn.execute(
            "ALTER TABLE oltp.play_events ADD CONSTRAINT seed_test_reject "
            "CHECK (ms_played < 0) NOT VALID"
        )
    try:
        with pytest.raises(psycopg.errors.CheckViolation):
            seed_database(url, "tiny", seed=7, progress=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("ALTER TABLE oltp.play_events DROP CONSTRAINT seed_test_reject")
    leftovers = _rows(
        url, " UNION ALL ".join(f"SELECT '{t}' FROM oltp.{t} HAVING count(*) > 0" for t in counts)
    )
    assert leftovers == []
    seed_database(url, "tiny", seed=7, progress=False)
    assert content_hash(url) == digest
    _truncate_all(url)
    seed_database(url, "tiny", seed=8, progress=False)
    assert content_hash(url) != digest
