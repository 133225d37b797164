"""One targeted violation per invariant test, written on the primary.

Each violation breaks exactly one rule (``also`` names the rules a change cannot help
breaking too, e.g. a duplicated NFT row is also one NFT too many for its IPO) on settled
data, unless it targets an ``_unsettled`` companion: then it breaks the rule on the
unsettled tail, where the error test must stay green and the companion must warn.
``apply`` writes the change through ``PrimaryChanges`` and returns the offending row's key
as it appears in the test's stored failures (column ``key``).

Rules the database itself enforces on our primary (CHECK constraints, unique indexes) are
broken with the constraint lifted: the design's OLTP has none of them, so the dbt test is the
guard that matters on a primary built from the design.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.primary_changes import PrimaryChanges

# Rows older than this are settled (a day of margin over the 24 h settle window and over
# every chain's confirmation depth).
OLD = "(SELECT max(block_timestamp) FROM oltp.nft_transfers) - interval '3 days'"
RECENT = "(SELECT max(block_timestamp) FROM oltp.nft_transfers) - interval '6 hours'"
NOBODY = "0x" + "7" * 40


@dataclass(frozen=True)
class Violation:
    test: str
    key: str
    apply: Callable[[PrimaryChanges], str]
    also: tuple[str, ...] = ()

    @property
    def expected_status(self) -> str:
        return "warn" if self.test.endswith("_unsettled") else "fail"


VIOLATIONS: list[Violation] = []


def violation(test: str, key: str, also: tuple[str, ...] = ()):
    def register(apply: Callable[[PrimaryChanges], str]) -> Callable[[PrimaryChanges], str]:
        VIOLATIONS.append(Violation(test, key, apply, also))
        return apply

    return register


def _settled_nft(c: PrimaryChanges, extra: str = "true") -> str:
    """An NFT whose every transfer is old, not used by another case."""
    used = c.pick("SELECT coalesce(array_agg(id), '{}') FROM pg_temp.used_nfts")
    nft = c.pick(
        f"""SELECT n.id FROM oltp.master_nfts n
            JOIN oltp.master_ipos i ON i.master_id = n.master_id
            WHERE NOT EXISTS (SELECT 1 FROM oltp.nft_transfers t
                              WHERE t.master_nft_id = n.id AND t.block_timestamp > {OLD})
              AND n.id <> ALL(%s) AND {extra}
            ORDER BY n.minted_at LIMIT 1""",
        (used,),
    )
    _use(c, nft)
    return str(nft)


def _use(c: PrimaryChanges, nft: object) -> None:
    c.primary.execute("INSERT INTO pg_temp.used_nfts VALUES (%s)", (nft,))


# -- A. supply, minting, ownership ---------------------------------------------------------


@violation("inv_01_minted_supply_equals_nft_count", "master_id")
def _(c: PrimaryChanges) -> str:
    ipo, master = c.primary.execute(
        f"""SELECT i.id, i.master_id FROM oltp.master_ipos i
            WHERE i.minted_supply > 0 AND NOT EXISTS (
                SELECT 1 FROM oltp.master_nfts n
                WHERE n.master_id = i.master_id AND n.minted_at > {OLD})
            ORDER BY i.created_at LIMIT 1"""
    ).fetchone()
    c.update("master_ipos", ipo, "minted_supply = minted_supply - 1")
    return str(master)


@violation("inv_02_minted_within_supply_and_contract_agrees", "master_contract_id")
def _(c: PrimaryChanges) -> str:
    contract = c.pick(
        "SELECT id FROM oltp.master_contracts WHERE contract_total_supply < 1000000 LIMIT 1"
    )
    return str(
        c.update("master_contracts", contract, "contract_total_supply = contract_total_supply + 1")
    )


@violation("inv_03_total_supply_in_range", "master_ipo_id")
def _(c: PrimaryChanges) -> str:
    ipo = c.pick(
        """SELECT i.id FROM oltp.master_ipos i WHERE NOT EXISTS (
               SELECT 1 FROM oltp.master_contracts c WHERE c.master_id = i.master_id)
           ORDER BY i.created_at LIMIT 1"""
    )
    c.lift("master_ipos", "master_ipos_valid_total_supply")
    return str(c.update("master_ipos", ipo, "total_supply = 1000001"))


@violation("inv_04_no_orphans_and_denormalised_copies_agree", "offending_id")
def _(c: PrimaryChanges) -> str:
    transfer, other_master = c.primary.execute(
        """SELECT t.id, (SELECT m.id FROM oltp.masters m WHERE m.id <> t.master_id LIMIT 1)
           FROM oltp.nft_transfers t WHERE t.transfer_type = 'transfer'
           ORDER BY t.block_timestamp LIMIT 1"""
    ).fetchone()
    return str(c.update("nft_transfers", transfer, "master_id = %s", (other_master,)))


@violation("inv_05_balances_and_counters_not_negative", "offending_id")
def _(c: PrimaryChanges) -> str:
    position = c.pick("SELECT id FROM oltp.pool_positions ORDER BY created_at LIMIT 1")
    c.lift("pool_positions", "pool_positions_amounts_non_negative")
    return str(c.update("pool_positions", position, "lp_token_balance = -1"))


@violation("inv_06_chain_events_stored_once", "offending_id")
def _(c: PrimaryChanges) -> str:
    event = c.pick(
        """SELECT id FROM oltp.pool_events WHERE tx_hash ~ '[a-f]'
           ORDER BY block_timestamp LIMIT 1"""
    )
    tx_hash = c.pick("SELECT tx_hash FROM oltp.pool_events WHERE id = %s", (event,))
    copy = c.insert_copy("pool_events", event, {"tx_hash": tx_hash[:2] + tx_hash[2:].upper()})
    return str(copy)


@violation("inv_07_current_owner_is_last_receiver", "master_nft_id")
def _(c: PrimaryChanges) -> str:
    """Two NFTs of one master swap owners: every wallet still holds as many NFTs of the
    master (tokens_held stays right), but neither owner is its token's last receiver."""
    first, second = c.primary.execute(
        f"""SELECT a.id, b.id FROM oltp.master_nfts a
            JOIN oltp.master_nfts b ON b.master_id = a.master_id AND b.id > a.id
             AND lower(b.current_owner_wallet) <> lower(a.current_owner_wallet)
            WHERE NOT EXISTS (SELECT 1 FROM oltp.nft_transfers t
                              WHERE t.master_id = a.master_id AND t.block_timestamp > {OLD})
            ORDER BY a.minted_at LIMIT 1"""
    ).fetchone()
    owners = dict(
        c.primary.execute(
            "SELECT id, current_owner_wallet FROM oltp.master_nfts WHERE id IN (%s, %s)",
            (first, second),
        ).fetchall()
    )
    for nft in (first, second):
        _use(c, nft)
    c.update("master_nfts", first, "current_owner_wallet = %s", (owners[second],))
    c.update("master_nfts", second, "current_owner_wallet = %s", (owners[first],))
    return str(first)


@violation(
    "inv_07_current_owner_is_last_receiver_unsettled",
    "master_nft_id",
    also=("inv_25_cached_values_equal_recounts",),
)
def _(c: PrimaryChanges) -> str:
    """The indexer has not applied a chain's newest transfer yet: a transfer in the chain's
    head block (unsettled at any depth, placed after its other events) whose receiver is not
    the owner yet.  Only warnings (also tokens_held's tail)."""
    nft, owner, last, block, at = c.primary.execute(
        """WITH events AS (
               SELECT chain_id, block_number, block_timestamp FROM oltp.nft_transfers
               UNION ALL SELECT chain_id, block_number, block_timestamp FROM oltp.dividend_events
               UNION ALL SELECT chain_id, block_number, block_timestamp FROM oltp.dividend_claims
               UNION ALL SELECT chain_id, block_number, block_timestamp FROM oltp.pool_events),
           heads AS (SELECT DISTINCT ON (chain_id) chain_id, block_number, block_timestamp
                     FROM events ORDER BY chain_id, block_number DESC)
           SELECT n.id, n.current_owner_wallet, t.id, h.block_number, h.block_timestamp
           FROM oltp.master_nfts n
           JOIN heads h ON h.chain_id = n.chain_id
           JOIN LATERAL (SELECT id FROM oltp.nft_transfers t WHERE t.master_nft_id = n.id
                         ORDER BY t.block_number DESC, t.log_index DESC LIMIT 1) t ON true
           WHERE n.current_owner_wallet <> %s
             AND NOT EXISTS (SELECT 1 FROM pg_temp.used_nfts u WHERE u.id = n.id)
           ORDER BY n.id LIMIT 1""",
        ("0x" + "0" * 40,),
    ).fetchone()
    _use(c, nft)
    overrides = {
        "from_wallet": owner,
        "to_wallet": NOBODY,
        "transfer_type": "transfer",
        "tx_hash": "0x" + "e" * 64,
        "block_number": int(block),
        "log_index": 99,
        "block_timestamp": at.isoformat(),
        "sale_price_wei": None,
        "sale_currency": None,
        "marketplace": None,
        "royalty_paid_wei": None,
        "royalty_recipient": None,
    }
    c.insert_copy("nft_transfers", last, overrides)
    return str(nft)


@violation("inv_08_mints_and_burns_classified", "master_nft_id")
def _(c: PrimaryChanges) -> str:
    return str(c.update("master_nfts", _settled_nft(c), "minted_at_block = minted_at_block + 1"))


@violation("inv_09_mover_advantage_flags", "master_nft_id")
def _(c: PrimaryChanges) -> str:
    nft = _settled_nft(
        c,
        "n.token_id > 3 AND i.mover_advantage_enabled",
    )
    return str(c.update("master_nfts", nft, "is_first_minter = true"))


@violation(
    "inv_10_one_nft_row_per_token",
    "master_nft_id",
    also=("inv_01_minted_supply_equals_nft_count", "inv_08_mints_and_burns_classified"),
)
def _(c: PrimaryChanges) -> str:
    """The same token stored twice, its contract address in upper case: one NFT too many for
    the IPO (INV-01) and an NFT row without its mint transfer (INV-08)."""
    nft = _settled_nft(c, "NOT (n.is_first_minter OR n.is_second_minter OR n.is_third_minter)")
    address = c.pick("SELECT contract_address FROM oltp.master_nfts WHERE id = %s", (nft,))
    return str(
        c.insert_copy("master_nfts", nft, {"contract_address": address[:2] + address[2:].upper()})
    )


# -- B. revenue and dividends --------------------------------------------------------------


def _settled_balance(c: PrimaryChanges, extra: str = "true") -> str:
    used = c.pick("SELECT coalesce(array_agg(id), '{}') FROM pg_temp.used_balances")
    balance = c.pick(
        f"""SELECT b.id FROM oltp.wallet_dividend_balances b
            WHERE b.updated_at < {OLD} AND b.id <> ALL(%s) AND {extra}
            ORDER BY b.updated_at LIMIT 1""",
        (used,),
    )
    c.primary.execute("INSERT INTO pg_temp.used_balances VALUES (%s)", (balance,))
    return str(balance)


@violation("inv_11_claimable_is_earned_minus_claimed", "wallet_dividend_balance_id")
def _(c: PrimaryChanges) -> str:
    return str(
        c.update(
            "wallet_dividend_balances",
            _settled_balance(c),
            "claimable_amount = claimable_amount + 1",
        )
    )


def _settled_contract(c: PrimaryChanges, extra: str) -> str:
    used = c.pick("SELECT coalesce(array_agg(id), '{}') FROM pg_temp.used_contracts")
    contract = c.pick(
        f"""SELECT d.id FROM oltp.dividend_contracts d
            WHERE EXISTS (SELECT 1 FROM oltp.dividend_events e WHERE e.dividend_contract_id = d.id)
              AND NOT EXISTS (SELECT 1 FROM oltp.dividend_events e
                              WHERE e.dividend_contract_id = d.id AND e.block_timestamp > {OLD})
              AND (SELECT count(DISTINCT currency) FROM oltp.dividend_events e
                   WHERE e.dividend_contract_id = d.id) = 1
              AND d.id <> ALL(%s) AND {extra}
            ORDER BY d.created_at LIMIT 1""",
        (used,),
    )
    c.primary.execute("INSERT INTO pg_temp.used_contracts VALUES (%s)", (contract,))
    return str(contract)


@violation("inv_12_claimed_within_distributed_within_deposited", "dividend_contract_id")
def _(c: PrimaryChanges) -> str:
    """Distribute more than was deposited, with the event stored (so INV-13 still holds)."""
    contract = _settled_contract(c, "true")
    event, excess = c.primary.execute(
        """SELECT e.id, d.total_revenue_deposited - d.total_dividends_distributed + 1
           FROM oltp.dividend_events e JOIN oltp.dividend_contracts d
             ON d.id = e.dividend_contract_id
           WHERE d.id = %s ORDER BY e.block_number, e.log_index LIMIT 1""",
        (contract,),
    ).fetchone()
    c.insert_copy(
        "dividend_events",
        event,
        {
            "event_type": "distribution",
            "tx_hash": "0x" + "5" * 64,
            "log_index": 0,
            "total_amount": int(excess),
            "claimant_wallet": None,
            "claimant_token_id": None,
            "revenue_event_id": None,
        },
    )
    c.update(
        "dividend_contracts",
        contract,
        "total_dividends_distributed = total_dividends_distributed + %s",
        (int(excess),),
    )
    return contract


@violation("inv_13_contract_totals_equal_event_sums", "dividend_contract_id")
def _(c: PrimaryChanges) -> str:
    contract = _settled_contract(c, "true")
    return str(
        c.update(
            "dividend_contracts", contract, "total_revenue_deposited = total_revenue_deposited + 1"
        )
    )


@violation("inv_14_claims_agree_with_balances_and_events", "offending_id")
def _(c: PrimaryChanges) -> str:
    balance = _settled_balance(c, "b.claimable_amount >= 1")
    return str(
        c.update(
            "wallet_dividend_balances",
            balance,
            "total_claimed = total_claimed + 1, claimable_amount = claimable_amount - 1",
        )
    )


def _settled_revenue(c: PrimaryChanges, extra: str) -> str:
    used = c.pick("SELECT coalesce(array_agg(id), '{}') FROM pg_temp.used_revenue")
    revenue = c.pick(
        f"""SELECT r.id FROM oltp.revenue_events r
            WHERE r.updated_at < {OLD} AND r.id <> ALL(%s) AND {extra}
            ORDER BY r.updated_at LIMIT 1""",
        (used,),
    )
    c.primary.execute("INSERT INTO pg_temp.used_revenue VALUES (%s)", (revenue,))
    return str(revenue)


@violation("inv_15_revenue_status_lifecycle", "revenue_event_id")
def _(c: PrimaryChanges) -> str:
    revenue = _settled_revenue(c, "r.status = 'distributed'")
    return str(c.update("revenue_events", revenue, "verified_at = NULL"))


@violation("inv_16_deposit_target_matches_distribution_model", "revenue_event_id")
def _(c: PrimaryChanges) -> str:
    revenue = _settled_revenue(
        c,
        """EXISTS (SELECT 1 FROM oltp.dividend_contracts d WHERE d.id = r.deposited_to_contract_id
                   AND d.distribution_model IN ('per_master', 'per_artist'))""",
    )
    other = c.pick(
        """SELECT m.id FROM oltp.masters m, oltp.revenue_events r JOIN oltp.masters own
             ON own.id = r.master_id
           WHERE r.id = %s AND m.artist_id <> own.artist_id LIMIT 1""",
        (revenue,),
    )
    return str(c.update("revenue_events", revenue, "master_id = %s", (other,)))


@violation("inv_17_dividend_contract_scope", "dividend_contract_id")
def _(c: PrimaryChanges) -> str:
    contract = c.pick(
        "SELECT id FROM oltp.dividend_contracts WHERE distribution_model = 'platform'"
    )
    artist = c.pick("SELECT id FROM oltp.artists ORDER BY created_at LIMIT 1")
    return str(c.update("dividend_contracts", contract, "artist_id = %s", (artist,)))


@violation("inv_18_ipo_split_sums_to_10000", "master_ipo_id")
def _(c: PrimaryChanges) -> str:
    ipo = c.pick(
        """SELECT id FROM oltp.master_ipos WHERE retained_platform_bps < 10000
           ORDER BY created_at DESC LIMIT 1"""
    )
    c.lift("master_ipos", "master_ipos_revenue_split_total")
    return str(c.update("master_ipos", ipo, "retained_platform_bps = retained_platform_bps + 1"))


@violation("inv_19_collaborator_splits_within_10000", "master_id")
def _(c: PrimaryChanges) -> str:
    credit, master = c.primary.execute(
        """SELECT a.id, a.master_id FROM oltp.master_collaborators a
           WHERE EXISTS (SELECT 1 FROM oltp.master_collaborators b
                         WHERE b.master_id = a.master_id AND b.id <> a.id
                           AND b.split_basis_points > 0)
           ORDER BY a.created_at LIMIT 1"""
    ).fetchone()
    c.update("master_collaborators", credit, "split_basis_points = 10000")
    return str(master)


# -- C. tokens, pools, cached aggregates ---------------------------------------------------


def _settled_token(c: PrimaryChanges) -> str:
    return str(
        c.pick(
            f"""SELECT t.id FROM oltp.artist_tokens t WHERE NOT EXISTS (
                    SELECT 1 FROM oltp.token_holders h
                    WHERE h.artist_token_id = t.id AND h.updated_at > {OLD})
                ORDER BY t.created_at LIMIT 1"""
        )
    )


@violation("inv_21_holder_balances_sum_to_supply", "artist_token_id")
def _(c: PrimaryChanges) -> str:
    return str(
        c.update("artist_tokens", _settled_token(c), "circulating_supply = total_supply + 1")
    )


@violation("inv_22_holders_count_equals_recount", "artist_token_id")
def _(c: PrimaryChanges) -> str:
    return str(c.update("artist_tokens", _settled_token(c), "holders_count = holders_count + 1"))


@violation("inv_23_artist_counters_equal_recounts", "artist_id")
def _(c: PrimaryChanges) -> str:
    artist = c.pick(
        f"""SELECT a.id FROM oltp.artists a
            WHERE NOT EXISTS (SELECT 1 FROM oltp.artist_follows f
                              WHERE f.artist_id = a.id AND f.created_at > {OLD})
              AND NOT EXISTS (SELECT 1 FROM oltp.masters m
                              WHERE m.artist_id = a.id AND m.created_at > {OLD})
              AND NOT EXISTS (SELECT 1 FROM oltp.nft_transfers t JOIN oltp.masters m
                              ON m.id = t.master_id WHERE m.artist_id = a.id
                              AND t.transfer_type = 'sale' AND t.block_timestamp > {OLD})
            ORDER BY a.created_at LIMIT 1"""
    )
    return str(c.update("artists", artist, "follower_count = follower_count + 1"))


@violation("inv_23_artist_counters_equal_recounts_unsettled", "artist_id")
def _(c: PrimaryChanges) -> str:
    """An artist followed within the settle window: a warning only."""
    artist = c.pick(
        f"""SELECT f.artist_id FROM oltp.artist_follows f WHERE f.created_at > {RECENT}
            ORDER BY f.created_at DESC LIMIT 1"""
    )
    return str(c.update("artists", artist, "follower_count = follower_count + 1"))


@violation("inv_24_session_counters_equal_recounts", "vstudio_session_id")
def _(c: PrimaryChanges) -> str:
    session = c.pick(
        f"""SELECT s.id FROM oltp.vstudio_sessions s
            WHERE EXISTS (SELECT 1 FROM oltp.vstudio_votes v WHERE v.vstudio_session_id = s.id)
              AND NOT EXISTS (SELECT 1 FROM oltp.vstudio_votes v
                              WHERE v.vstudio_session_id = s.id AND v.created_at > {OLD})
              AND NOT EXISTS (SELECT 1 FROM oltp.vstudio_participants p
                              WHERE p.vstudio_session_id = s.id AND p.created_at > {OLD})
            ORDER BY s.created_at LIMIT 1"""
    )
    return str(c.update("vstudio_sessions", session, "total_votes = total_votes + 1"))


@violation("inv_25_cached_values_equal_recounts", "offending_id")
def _(c: PrimaryChanges) -> str:
    producer = c.pick(
        f"""SELECT p.id FROM oltp.producers p WHERE NOT EXISTS (
                SELECT 1 FROM oltp.master_collaborators m
                WHERE m.producer_id = p.id AND m.updated_at > {OLD})
            ORDER BY p.created_at LIMIT 1"""
    )
    return str(c.update("producers", producer, "total_credits = total_credits + 1"))


# -- D. time, identity, uniqueness ---------------------------------------------------------


@violation("inv_26_end_not_before_start", "offending_id")
def _(c: PrimaryChanges) -> str:
    subscription = c.pick(
        "SELECT id FROM oltp.subscriptions WHERE trial_start IS NOT NULL ORDER BY created_at"
    )
    c.lift("subscriptions", "subscriptions_trial_window")
    return str(
        c.update("subscriptions", subscription, "trial_end = trial_start - interval '1 day'")
    )


@violation("inv_27_ipo_state_and_mint_times", "offending_id")
def _(c: PrimaryChanges) -> str:
    nft = _settled_nft(c)
    return str(
        c.update(
            "master_nfts",
            nft,
            """minted_at = (SELECT i.actual_start_at - interval '1 day' FROM oltp.master_ipos i
                            WHERE i.master_id = master_nfts.master_id)""",
        )
    )


@violation(
    "inv_28_one_vote_per_user_per_decision_point",
    "vstudio_vote_id",
    also=("inv_25_cached_values_equal_recounts",),
)
def _(c: PrimaryChanges) -> str:
    """A second vote of one user on one decision point: the two users' participant
    votes_count no longer match (INV-25)."""
    vote, user = c.primary.execute(
        f"""SELECT b.id, a.user_id FROM oltp.vstudio_votes a
            JOIN oltp.vstudio_votes b ON b.decision_point_id = a.decision_point_id
             AND b.id <> a.id AND b.user_id IS NOT NULL AND b.user_id <> a.user_id
            JOIN oltp.vstudio_decision_points d ON d.id = a.decision_point_id
            WHERE a.created_at < {OLD} AND b.created_at < {OLD}
              AND d.eligibility_rule IN ('open', 'authenticated')
            ORDER BY a.created_at LIMIT 1"""
    ).fetchone()
    c.lift("vstudio_votes", "vstudio_votes_user_decision_idx")
    return str(c.update("vstudio_votes", vote, "user_id = %s", (user,)))


@violation("inv_29_anonymous_votes_only_where_allowed", "vstudio_vote_id")
def _(c: PrimaryChanges) -> str:
    vote = c.pick(
        """SELECT v.id FROM oltp.vstudio_votes v JOIN oltp.vstudio_sessions s
             ON s.id = v.vstudio_session_id
           WHERE NOT s.allow_anonymous AND v.user_id IS NOT NULL AND v.anonymous_id IS NULL
           ORDER BY v.created_at LIMIT 1"""
    )
    return str(c.update("vstudio_votes", vote, "anonymous_id = 'anon-violation'"))


@violation("inv_30_vote_content_window_and_eligibility", "vstudio_vote_id")
def _(c: PrimaryChanges) -> str:
    vote = c.pick(
        """SELECT v.id FROM oltp.vstudio_votes v JOIN oltp.vstudio_decision_points d
             ON d.id = v.decision_point_id
           WHERE d.type = 'poll' ORDER BY v.created_at LIMIT 1"""
    )
    return str(c.update("vstudio_votes", vote, "option_selected = 'no-such-option'"))


@violation("inv_31_session_artist_and_participants", "offending_id")
def _(c: PrimaryChanges) -> str:
    session, artist = c.primary.execute(
        """SELECT s.id, (SELECT a.id FROM oltp.artists a WHERE a.id <> s.artist_id LIMIT 1)
           FROM oltp.vstudio_sessions s
           WHERE NOT EXISTS (SELECT 1 FROM oltp.vstudio_decision_points d
                             WHERE d.vstudio_session_id = s.id
                               AND d.eligibility_rule IN ('superfans', 'coin_holders',
                                                          'nft_holders'))
           ORDER BY s.created_at DESC LIMIT 1"""
    ).fetchone()
    return str(c.update("vstudio_sessions", session, "artist_id = %s", (artist,)))


@violation("inv_32_unique_keys", "offending_id")
def _(c: PrimaryChanges) -> str:
    """A second artist whose slug differs from an existing one only in case."""
    slug, created = c.primary.execute(
        "SELECT slug, created_at FROM oltp.artists WHERE slug ~ '[a-z]' ORDER BY created_at LIMIT 1"
    ).fetchone()
    user = c.insert(
        "users",
        {
            "email": "slug-violation@example.invalid",
            "display_name": "Slug Violation",
            "created_at": created,
            "updated_at": created,
        },
    )
    return str(
        c.insert(
            "artists",
            {
                "user_id": user,
                "artist_name": "Slug Violation",
                "slug": slug.upper(),
                "created_at": created,
                "updated_at": created,
            },
        )
    )


@violation("inv_33_one_primary_wallet_per_user", "user_wallet_id")
def _(c: PrimaryChanges) -> str:
    wallet = c.pick(
        """SELECT w.id FROM oltp.user_wallets w
           WHERE NOT w.is_primary AND EXISTS (SELECT 1 FROM oltp.user_wallets p
                 WHERE p.user_id = w.user_id AND p.is_primary)
           ORDER BY w.created_at LIMIT 1"""
    )
    return str(c.update("user_wallets", wallet, "is_primary = true"))


@violation("inv_34_deleted_status_matches_deleted_at", "user_id")
def _(c: PrimaryChanges) -> str:
    user = c.pick(
        """SELECT id FROM oltp.users WHERE status = 'active' AND deleted_at IS NULL
           AND email <> 'slug-violation@example.invalid' ORDER BY created_at LIMIT 1"""
    )
    return str(c.update("users", user, "deleted_at = created_at + interval '1 day'"))


@violation("inv_35_listings_and_sales", "offending_id")
def _(c: PrimaryChanges) -> str:
    nft = _settled_nft(c, "n.listing_status = 'not_listed'")
    return str(
        c.update(
            "master_nfts",
            nft,
            """listing_status = 'listed', listing_price_wei = NULL, listing_currency = NULL,
               listed_at = NULL""",
        )
    )


@violation("inv_36_billing", "offending_id")
def _(c: PrimaryChanges) -> str:
    invoice = c.pick(
        "SELECT id FROM oltp.invoices WHERE status = 'paid' ORDER BY created_at LIMIT 1"
    )
    return str(c.update("invoices", invoice, "paid_at = NULL"))


# -- E. chain indexing ---------------------------------------------------------------------


@violation("inv_39_block_consistency", "offending_id")
def _(c: PrimaryChanges) -> str:
    pool, first_event, first_block = c.primary.execute(
        """SELECT e.liquidity_pool_id, e.id, e.block_number FROM oltp.pool_events e
           ORDER BY e.block_number DESC LIMIT 1"""
    ).fetchone()
    c.update("liquidity_pools", pool, "last_indexed_block = %s", (first_block - 1,))
    return str(first_event)


@violation("inv_40_derived_state_points_at_stored_events", "wallet_dividend_balance_id")
def _(c: PrimaryChanges) -> str:
    balance = _settled_balance(c, "b.last_claim_tx_hash IS NOT NULL")
    return str(
        c.update(
            "wallet_dividend_balances", balance, "last_claim_tx_hash = %s", ("0x" + "ab" * 32,)
        )
    )


# -- streaming module ----------------------------------------------------------------------


@violation("str_01_ms_played_within_duration", "play_event_id")
def _(c: PrimaryChanges) -> str:
    play = c.pick("SELECT id FROM oltp.play_events ORDER BY id LIMIT 1")
    c.lift("play_events", "play_events_ms_played_range")
    return str(c.update("play_events", play, "ms_played = 2 * track_duration_ms + 1"))


@violation("str_02_dsp_counts_not_negative", "dsp_stream_report_id")
def _(c: PrimaryChanges) -> str:
    line = c.pick(
        "SELECT id FROM oltp.dsp_stream_reports WHERE revenue_event_id IS NULL ORDER BY id LIMIT 1"
    )
    c.lift("dsp_stream_reports", "dsp_stream_reports_counts_non_negative")
    return str(c.update("dsp_stream_reports", line, "listener_count = stream_count + 1"))


@violation("str_03_statement_line_stored_once", "dsp_stream_report_id")
def _(c: PrimaryChanges) -> str:
    line = c.pick(
        """SELECT id FROM oltp.dsp_stream_reports WHERE revenue_event_id IS NULL
           ORDER BY id DESC LIMIT 1"""
    )
    c.lift("dsp_stream_reports", "dsp_stream_reports_statement_line_idx")
    return str(c.insert_copy("dsp_stream_reports", line, {}))


@violation("str_04_statement_lines_reconcile_to_payout", "revenue_event_id")
def _(c: PrimaryChanges) -> str:
    line, revenue = c.primary.execute(
        """SELECT d.id, d.revenue_event_id FROM oltp.dsp_stream_reports d
           JOIN oltp.revenue_events r ON r.id = d.revenue_event_id
           WHERE r.amount_usd IS NOT NULL AND d.royalty_amount_usd IS NOT NULL
           ORDER BY d.id LIMIT 1"""
    ).fetchone()
    c.update("dsp_stream_reports", line, "royalty_amount_usd = royalty_amount_usd + 1")
    return str(revenue)


@violation("str_05_plays_and_lines_only_of_released_masters", "offending_id")
def _(c: PrimaryChanges) -> str:
    play = c.pick("SELECT id FROM oltp.play_events ORDER BY id DESC LIMIT 1")
    return str(
        c.update(
            "play_events",
            play,
            """started_at = (SELECT m.created_at - interval '1 day' FROM oltp.masters m
                             WHERE m.id = play_events.master_id)""",
        )
    )


@violation("str_06_dsp_platform_is_external", "dsp_stream_report_id")
def _(c: PrimaryChanges) -> str:
    line = c.pick(
        """SELECT id FROM oltp.dsp_stream_reports WHERE revenue_event_id IS NULL
           ORDER BY id OFFSET 1 LIMIT 1"""
    )
    c.lift("dsp_stream_reports", "dsp_stream_reports_not_audifi")
    return str(c.update("dsp_stream_reports", line, "platform = 'audifi'"))


def start(c: PrimaryChanges) -> None:
    """Session-local bookkeeping of the rows already used, so each case picks its own."""
    for name in ("used_nfts", "used_balances", "used_contracts", "used_revenue"):
        c.primary.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (id uuid)")
