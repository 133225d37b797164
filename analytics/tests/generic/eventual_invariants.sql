{#- The eventual invariants of invariants.md, one generic test each, so that the error test
    on settled rows (tests/invariants/inv_NN_*.sql) and its warn companion on the unsettled
    tail (tests/invariants/inv_NN_*_unsettled.sql) share one definition of the rule.
    `settled`: true = rows on settled data only, false = the unsettled tail only
    (macros/settled_data.sql says what settled means).  Each failing row carries the key
    of the offending row and `is_settled`. -#}

{#- INV-01: master_ipos.minted_supply = number of master_nfts of the master. -#}
{% test eventual_inv_01(model=none, settled=true) %}
    {%- set nfts = ref('stg_oltp__master_nfts') ~ ' as nfts left join ' ~ chain_safe_blocks()
        ~ ' as safe on safe.chain_id = nfts.chain_id' %}
    {{ test_cached_equals_recount(
        model=ref('stg_oltp__master_ipos'), key_column='master_id', cached_column='minted_supply',
        child_model=nfts, child_key='nfts.master_id',
        child_unsettled='case when nfts.minted_at_block is null then nfts.created_at > '
            ~ settle_cutoff() ~ ' else not coalesce(nfts.minted_at_block <= safe.safe_block, false) end',
        settled=settled) }}
{% endtest %}


{#- INV-07: master_nfts.current_owner_wallet = to_wallet of the token's latest transfer. -#}
{% test eventual_inv_07(model=none, settled=true) %}
    with
    ranked as (
        select
            master_nft_id, chain_id, to_wallet, block_number, log_index,
            row_number() over (
                partition by master_nft_id order by block_number desc, log_index desc
            ) as recency
        from {{ ref('stg_oltp__nft_transfers') }}
    ),
    checked as (
        select
            nfts.master_nft_id,
            nfts.current_owner_wallet,
            ranked.to_wallet as last_receiver,
            ranked.block_number as last_transfer_block,
            coalesce(ranked.block_number <= safe.safe_block, false) as is_settled
        from {{ ref('stg_oltp__master_nfts') }} as nfts
        inner join ranked
            on ranked.master_nft_id = nfts.master_nft_id and ranked.recency = 1
        left join {{ chain_safe_blocks() }} as safe
            on safe.chain_id = ranked.chain_id
    )
    select * from checked
    where current_owner_wallet <> last_receiver and {{ 'is_settled' if settled else 'not is_settled' }}
{% endtest %}


{#- INV-08: mint <=> from ZERO, burn <=> to ZERO; one mint per token, its earliest transfer,
    matching the NFT's minter, tx hash and block; nothing follows a burn. -#}
{% test eventual_inv_08(model=none, settled=true) %}
    {%- set zero = "'" ~ var('zero_address') ~ "'" %}
    with
    transfers as (
        select
            transfers.*,
            coalesce(transfers.block_number <= safe.safe_block, false) as block_settled,
            row_number() over (
                partition by transfers.master_nft_id
                order by transfers.block_number, transfers.log_index
            ) as position,
            sum(case when transfers.transfer_type = 'mint' then 1 else 0 end)
                over (partition by transfers.master_nft_id) as mint_count,
            min(case when coalesce(transfers.block_number <= safe.safe_block, false)
                then 1 else 0 end) over (partition by transfers.master_nft_id) as nft_settled,
            max(case when transfers.transfer_type = 'burn'
                then transfers.block_number * 1000000 + transfers.log_index end)
                over (partition by transfers.master_nft_id) as burn_position
        from {{ ref('stg_oltp__nft_transfers') }} as transfers
        left join {{ chain_safe_blocks() }} as safe
            on safe.chain_id = transfers.chain_id
    ),
    misclassified as (
        select
            'type does not match the zero address' as problem,
            master_nft_id,
            cast(nft_transfer_id as {{ dbt.type_string() }}) as nft_transfer_id,
            block_settled as is_settled
        from transfers
        where (transfer_type = 'mint') <> (from_wallet = {{ zero }})
            or (transfer_type = 'burn') <> (to_wallet = {{ zero }})
    ),
    bad_mint as (
        select
            'first transfer is not the only mint or disagrees with the NFT row' as problem,
            nfts.master_nft_id,
            cast(transfers.nft_transfer_id as {{ dbt.type_string() }}) as nft_transfer_id,
            transfers.nft_settled = 1 as is_settled
        from {{ ref('stg_oltp__master_nfts') }} as nfts
        inner join transfers
            on transfers.master_nft_id = nfts.master_nft_id and transfers.position = 1
        where transfers.transfer_type <> 'mint'
            or transfers.mint_count <> 1
            or transfers.to_wallet <> nfts.original_minter_wallet
            or transfers.tx_hash is distinct from nfts.mint_tx_hash
            or transfers.block_number is distinct from nfts.minted_at_block
    ),
    without_transfers as (
        select
            'NFT without any transfer (no mint)' as problem,
            nfts.master_nft_id, cast(null as {{ dbt.type_string() }}) as nft_transfer_id,
            coalesce(nfts.minted_at_block <= safe.safe_block, false) as is_settled
        from {{ ref('stg_oltp__master_nfts') }} as nfts
        left join {{ chain_safe_blocks() }} as safe
            on safe.chain_id = nfts.chain_id
        where not exists (
            select 1 from transfers where transfers.master_nft_id = nfts.master_nft_id
        )
    ),
    after_burn as (
        select
            'transfer after the burn' as problem,
            master_nft_id,
            cast(nft_transfer_id as {{ dbt.type_string() }}) as nft_transfer_id,
            block_settled as is_settled
        from transfers
        where block_number * 1000000 + log_index > burn_position
    ),
    violations as (
        select * from misclassified
        union all select * from bad_mint
        union all select * from without_transfers
        union all select * from after_burn
    )
    select * from violations where {{ 'is_settled' if settled else 'not is_settled' }}
{% endtest %}


{#- INV-09: Mover Advantage flags on token ids 1/2/3 when enabled, at most one flag per NFT,
    and the contract's first/second/third minter wallets are the flagged NFTs' minters. -#}
{% test eventual_inv_09(model=none, settled=true) %}
    with
    nfts as (
        select
            nfts.*,
            ipos.mover_advantage_enabled,
            contracts.first_minter_wallet,
            contracts.second_minter_wallet,
            contracts.third_minter_wallet,
            coalesce(nfts.minted_at_block <= safe.safe_block, false) as is_settled
        from {{ ref('stg_oltp__master_nfts') }} as nfts
        inner join {{ ref('stg_oltp__master_contracts') }} as contracts
            on contracts.master_contract_id = nfts.master_contract_id
        inner join {{ ref('stg_oltp__master_ipos') }} as ipos
            on ipos.master_id = nfts.master_id
        left join {{ chain_safe_blocks() }} as safe
            on safe.chain_id = nfts.chain_id
    )
    select
        master_nft_id, master_contract_id, token_id,
        is_first_minter, is_second_minter, is_third_minter, mover_advantage_enabled, is_settled
    from nfts
    where (
        (case when is_first_minter then 1 else 0 end)
        + (case when is_second_minter then 1 else 0 end)
        + (case when is_third_minter then 1 else 0 end) > 1
        or is_first_minter <> (mover_advantage_enabled and token_id = 1)
        or is_second_minter <> (mover_advantage_enabled and token_id = 2)
        or is_third_minter <> (mover_advantage_enabled and token_id = 3)
        or (is_first_minter and first_minter_wallet is distinct from original_minter_wallet)
        or (is_second_minter and second_minter_wallet is distinct from original_minter_wallet)
        or (is_third_minter and third_minter_wallet is distinct from original_minter_wallet)
    ) and {{ 'is_settled' if settled else 'not is_settled' }}
{% endtest %}


{#- INV-11: claimable = earned - claimed and claimed <= earned, per wallet balance row. -#}
{% test eventual_inv_11(model=none, settled=true) %}
    with checked as (
        select
            wallet_dividend_balance_id, wallet_address, master_id, chain_id, currency,
            total_earned, total_claimed, claimable_amount,
            updated_at <= {{ settle_cutoff() }} as is_settled
        from {{ ref('stg_oltp__wallet_dividend_balances') }}
    )
    select * from checked
    where (claimable_amount <> total_earned - total_claimed or total_claimed > total_earned)
        and {{ 'is_settled' if settled else 'not is_settled' }}
{% endtest %}


{#- INV-13: a dividend contract's deposited / distributed totals = Σ of its deposit /
    distribution events.  A contract's totals are in its one payout currency: contracts whose
    events use several currencies cannot be reconciled and are not compared here. -#}
{% test eventual_inv_13(model=none, settled=true) %}
    with
    events as (
        select
            events.dividend_contract_id,
            count(distinct events.currency) as currencies,
            sum(case when events.event_type = 'deposit' then events.total_amount else 0 end)
                as deposited,
            sum(case when events.event_type = 'distribution' then events.total_amount else 0 end)
                as distributed,
            max(case when coalesce(events.block_number <= safe.safe_block, false)
                then 0 else 1 end) as unsettled_events
        from {{ ref('stg_oltp__dividend_events') }} as events
        left join {{ chain_safe_blocks() }} as safe
            on safe.chain_id = events.chain_id
        group by events.dividend_contract_id
    ),
    checked as (
        select
            contracts.dividend_contract_id,
            contracts.total_revenue_deposited,
            coalesce(events.deposited, 0) as deposit_events_sum,
            contracts.total_dividends_distributed,
            coalesce(events.distributed, 0) as distribution_events_sum,
            coalesce(events.unsettled_events, 0) = 0 as is_settled
        from {{ ref('stg_oltp__dividend_contracts') }} as contracts
        left join events
            on events.dividend_contract_id = contracts.dividend_contract_id
        where coalesce(events.currencies, 1) = 1
    )
    select * from checked
    where (coalesce(total_revenue_deposited, 0) <> deposit_events_sum
        or coalesce(total_dividends_distributed, 0) <> distribution_events_sum)
        and {{ 'is_settled' if settled else 'not is_settled' }}
{% endtest %}


{#- INV-14: a balance's total_claimed = Σ its claims (wallet, master, chain); every claim
    event has a claim row with the same tx hash and amount, and vice versa. -#}
{% test eventual_inv_14(model=none, settled=true) %}
    with
    claims as (
        select
            claims.*,
            coalesce(claims.block_number <= safe.safe_block, false) as block_settled
        from {{ ref('stg_oltp__dividend_claims') }} as claims
        left join {{ chain_safe_blocks() }} as safe
            on safe.chain_id = claims.chain_id
    ),
    claim_events as (
        select
            events.*,
            coalesce(events.block_number <= safe.safe_block, false) as block_settled
        from {{ ref('stg_oltp__dividend_events') }} as events
        left join {{ chain_safe_blocks() }} as safe
            on safe.chain_id = events.chain_id
        where events.event_type = 'claim'
    ),
    claimed as (
        select
            wallet_address, master_id, chain_id, currency,
            sum(amount_claimed) as claims_sum,
            min(case when block_settled then 1 else 0 end) as all_settled
        from claims
        group by wallet_address, master_id, chain_id, currency
    ),
    balance_mismatch as (
        select
            'total_claimed differs from the sum of claims' as problem,
            cast(balances.wallet_dividend_balance_id as {{ dbt.type_string() }}) as offending_id,
            balances.updated_at <= {{ settle_cutoff() }}
                and coalesce(claimed.all_settled, 1) = 1 as is_settled
        from {{ ref('stg_oltp__wallet_dividend_balances') }} as balances
        left join claimed
            on claimed.wallet_address = balances.wallet_address
            and claimed.master_id = balances.master_id
            and claimed.chain_id = balances.chain_id
            and claimed.currency = balances.currency
        where balances.total_claimed <> coalesce(claimed.claims_sum, 0)
    ),
    event_without_claim as (
        select
            'claim event without a claim row' as problem,
            cast(claim_events.dividend_event_id as {{ dbt.type_string() }}) as offending_id,
            claim_events.block_settled as is_settled
        from claim_events
        left join claims
            on claims.tx_hash = claim_events.tx_hash
            and claims.amount_claimed = claim_events.total_amount
        where claims.dividend_claim_id is null
    ),
    claim_without_event as (
        select
            'claim row without a claim event' as problem,
            cast(claims.dividend_claim_id as {{ dbt.type_string() }}) as offending_id,
            claims.block_settled as is_settled
        from claims
        left join claim_events
            on claim_events.tx_hash = claims.tx_hash
            and claim_events.total_amount = claims.amount_claimed
        where claim_events.dividend_event_id is null
    ),
    violations as (
        select * from balance_mismatch
        union all select * from event_without_claim
        union all select * from claim_without_event
    )
    select * from violations where {{ 'is_settled' if settled else 'not is_settled' }}
{% endtest %}


{#- INV-15: revenue status lifecycle (verified_at, deposit columns and deposit event,
    distribution event, verified_at <= deposited_at). -#}
{% test eventual_inv_15(model=none, settled=true) %}
    with
    events as (
        select
            tx_hash, dividend_contract_id, revenue_event_id, event_type
        from {{ ref('stg_oltp__dividend_events') }}
    ),
    checked as (
        select
            revenue.revenue_event_id,
            revenue.status,
            case
                when revenue.status in ('verified', 'deposited', 'distributed')
                    and revenue.verified_at is null
                    then 'verified or later without verified_at'
                when revenue.status in ('deposited', 'distributed')
                    and (revenue.deposited_to_contract_id is null
                        or revenue.deposit_tx_hash is null or revenue.deposited_at is null)
                    then 'deposited without deposit columns'
                when revenue.deposited_at < revenue.verified_at
                    then 'deposited before verified'
                when revenue.status in ('deposited', 'distributed') and not exists (
                    select 1 from events
                    where events.event_type = 'deposit'
                        and events.tx_hash = revenue.deposit_tx_hash
                        and events.dividend_contract_id = revenue.deposited_to_contract_id)
                    then 'no deposit event with this contract and tx hash'
                when revenue.status = 'distributed' and not exists (
                    select 1 from events
                    where events.event_type = 'distribution'
                        and events.revenue_event_id = revenue.revenue_event_id)
                    then 'distributed without a distribution event'
            end as problem,
            revenue.updated_at <= {{ settle_cutoff() }} as is_settled
        from {{ ref('stg_oltp__revenue_events') }} as revenue
    )
    select * from checked
    where problem is not null and {{ 'is_settled' if settled else 'not is_settled' }}
{% endtest %}


{#- INV-21: Σ holder balances without ZERO = total_supply; circulating <= total <= 10^27. -#}
{% test eventual_inv_21(model=none, settled=true) %}
    with
    holders as (
        select
            artist_token_id,
            sum(case when wallet_address <> '{{ var("zero_address") }}' then balance else 0 end)
                as balances_sum,
            max(updated_at) as last_holder_update
        from {{ ref('stg_oltp__token_holders') }}
        group by artist_token_id
    ),
    checked as (
        select
            tokens.artist_token_id, tokens.total_supply, tokens.circulating_supply,
            coalesce(holders.balances_sum, 0) as balances_sum,
            coalesce(holders.last_holder_update <= {{ settle_cutoff() }}, true) as is_settled
        from {{ ref('stg_oltp__artist_tokens') }} as tokens
        left join holders
            on holders.artist_token_id = tokens.artist_token_id
    )
    select * from checked
    where (total_supply <> balances_sum
        or circulating_supply > total_supply
        or total_supply > 1e27)
        and {{ 'is_settled' if settled else 'not is_settled' }}
{% endtest %}


{#- INV-22: artist_tokens.holders_count = holders with balance > 0, ZERO excluded. -#}
{% test eventual_inv_22(model=none, settled=true) %}
    {{ test_cached_equals_recount(
        model=ref('stg_oltp__artist_tokens'), key_column='artist_token_id',
        cached_column='holders_count',
        child_model=ref('stg_oltp__token_holders'), child_key='artist_token_id',
        recount="sum(case when balance > 0 and wallet_address <> '" ~ var('zero_address')
            ~ "' then 1 else 0 end)",
        child_unsettled='updated_at > ' ~ settle_cutoff(),
        settled=settled) }}
{% endtest %}


{#- INV-23: artists.total_masters, total_sales and follower_count equal their recounts. -#}
{% test eventual_inv_23(model=none, settled=true) %}
    {%- set cutoff = settle_cutoff() %}
    with
    masters as (
        select artist_id, count(*) as masters, max(created_at) as last_change
        from {{ ref('stg_oltp__masters') }}
        group by artist_id
    ),
    sales as (
        select masters.artist_id, count(*) as sales, max(transfers.block_timestamp) as last_change
        from {{ ref('stg_oltp__nft_transfers') }} as transfers
        inner join {{ ref('stg_oltp__masters') }} as masters
            on masters.master_id = transfers.master_id
        where transfers.transfer_type = 'sale'
        group by masters.artist_id
    ),
    follows as (
        select artist_id, count(*) as follows, max(created_at) as last_change
        from {{ ref('stg_oltp__artist_follows') }}
        group by artist_id
    ),
    checked as (
        select
            artists.artist_id,
            artists.total_masters, coalesce(masters.masters, 0) as masters_recount,
            artists.total_sales, coalesce(sales.sales, 0) as sales_recount,
            artists.follower_count, coalesce(follows.follows, 0) as followers_recount,
            coalesce(masters.last_change <= {{ cutoff }}, true)
                and coalesce(sales.last_change <= {{ cutoff }}, true)
                and coalesce(follows.last_change <= {{ cutoff }}, true) as is_settled
        from {{ ref('stg_oltp__artists') }} as artists
        left join masters on masters.artist_id = artists.artist_id
        left join sales on sales.artist_id = artists.artist_id
        left join follows on follows.artist_id = artists.artist_id
    )
    select * from checked
    where (total_masters <> masters_recount
        or total_sales <> sales_recount
        or follower_count <> followers_recount)
        and {{ 'is_settled' if settled else 'not is_settled' }}
{% endtest %}


{#- INV-24: session participant_count / total_votes = recounts; peak viewers >= 0. -#}
{% test eventual_inv_24(model=none, settled=true) %}
    {%- set cutoff = settle_cutoff() %}
    with
    participants as (
        select vstudio_session_id, count(*) as participants, max(created_at) as last_change
        from {{ ref('stg_oltp__vstudio_participants') }}
        group by vstudio_session_id
    ),
    votes as (
        select vstudio_session_id, count(*) as votes, max(created_at) as last_change
        from {{ ref('stg_oltp__vstudio_votes') }}
        group by vstudio_session_id
    ),
    checked as (
        select
            sessions.vstudio_session_id,
            sessions.participant_count, coalesce(participants.participants, 0) as participants,
            sessions.total_votes, coalesce(votes.votes, 0) as votes,
            sessions.peak_concurrent_viewers,
            coalesce(participants.last_change <= {{ cutoff }}, true)
                and coalesce(votes.last_change <= {{ cutoff }}, true) as is_settled
        from {{ ref('stg_oltp__vstudio_sessions') }} as sessions
        left join participants
            on participants.vstudio_session_id = sessions.vstudio_session_id
        left join votes
            on votes.vstudio_session_id = sessions.vstudio_session_id
    )
    select * from checked
    where (participant_count <> participants
        or total_votes <> votes
        or peak_concurrent_viewers < 0)
        and {{ 'is_settled' if settled else 'not is_settled' }}
{% endtest %}


{#- INV-25: other cached values (participant votes_count, producer total_credits, results
    totalVotes, balance tokens_held, NFT total_dividends_received >= its claims). -#}
{% test eventual_inv_25(model=none, settled=true) %}
    {%- set cutoff = settle_cutoff() %}
    with
    votes as (
        select * from {{ ref('stg_oltp__vstudio_votes') }}
    ),
    participant_votes as (
        select
            'participant votes_count' as problem,
            cast(participants.vstudio_participant_id as {{ dbt.type_string() }}) as offending_id,
            max(participants.votes_count) as cached_value,
            count(votes.vstudio_vote_id) as recount,
            coalesce(max(votes.created_at) <= {{ cutoff }}, true) as is_settled
        from {{ ref('stg_oltp__vstudio_participants') }} as participants
        left join votes
            on votes.vstudio_session_id = participants.vstudio_session_id
            and votes.user_id = participants.user_id
        group by participants.vstudio_participant_id
        having max(participants.votes_count) <> count(votes.vstudio_vote_id)
    ),
    producer_credits as (
        select
            'producer total_credits' as problem,
            cast(producers.producer_id as {{ dbt.type_string() }}) as offending_id,
            max(producers.total_credits) as cached_value,
            count(distinct credits.master_id) as recount,
            coalesce(max(credits.updated_at) <= {{ cutoff }}, true) as is_settled
        from {{ ref('stg_oltp__producers') }} as producers
        left join {{ ref('stg_oltp__master_collaborators') }} as credits
            on credits.producer_id = producers.producer_id
        group by producers.producer_id
        having max(producers.total_credits) <> count(distinct credits.master_id)
    ),
    {% if target.type == 'postgres' %}
    results_totals as (
        select
            'decision point results totalVotes' as problem,
            cast(points.vstudio_decision_point_id as {{ dbt.type_string() }}) as offending_id,
            max(cast(points.results_json ->> 'totalVotes' as bigint)) as cached_value,
            count(votes.vstudio_vote_id) as recount,
            coalesce(max(points.results_computed_at) <= {{ cutoff }}, true)
                and coalesce(max(votes.created_at) <= {{ cutoff }}, true) as is_settled
        from {{ ref('stg_oltp__vstudio_decision_points') }} as points
        left join votes
            on votes.decision_point_id = points.vstudio_decision_point_id
        where points.results_json is not null
        group by points.vstudio_decision_point_id
        having max(cast(points.results_json ->> 'totalVotes' as bigint))
            <> count(votes.vstudio_vote_id)
    ),
    {% endif %}
    owned as (
        select
            nfts.current_owner_wallet, nfts.master_id, nfts.chain_id,
            count(*) as nfts_owned
        from {{ ref('stg_oltp__master_nfts') }} as nfts
        group by nfts.current_owner_wallet, nfts.master_id, nfts.chain_id
    ),
    master_activity as (
        select
            transfers.master_id,
            max(case when coalesce(transfers.block_number <= safe.safe_block, false)
                then 0 else 1 end) as unsettled_transfers
        from {{ ref('stg_oltp__nft_transfers') }} as transfers
        left join {{ chain_safe_blocks() }} as safe
            on safe.chain_id = transfers.chain_id
        group by transfers.master_id
    ),
    tokens_held as (
        select
            'balance tokens_held' as problem,
            cast(balances.wallet_dividend_balance_id as {{ dbt.type_string() }}) as offending_id,
            balances.tokens_held as cached_value,
            coalesce(owned.nfts_owned, 0) as recount,
            balances.updated_at <= {{ cutoff }}
                and coalesce(master_activity.unsettled_transfers, 0) = 0 as is_settled
        from {{ ref('stg_oltp__wallet_dividend_balances') }} as balances
        left join owned
            on owned.current_owner_wallet = balances.wallet_address
            and owned.master_id = balances.master_id
            and owned.chain_id = balances.chain_id
        left join master_activity
            on master_activity.master_id = balances.master_id
        where balances.tokens_held <> coalesce(owned.nfts_owned, 0)
    ),
    nft_claims as (
        select
            claims.master_nft_id,
            sum(claims.amount_claimed) as claimed,
            min(case when coalesce(claims.block_number <= safe.safe_block, false)
                then 1 else 0 end) as all_settled
        from {{ ref('stg_oltp__dividend_claims') }} as claims
        left join {{ chain_safe_blocks() }} as safe
            on safe.chain_id = claims.chain_id
        where claims.master_nft_id is not null
        group by claims.master_nft_id
    ),
    dividends_received as (
        select
            'NFT total_dividends_received below its claims' as problem,
            cast(nfts.master_nft_id as {{ dbt.type_string() }}) as offending_id,
            nfts.total_dividends_received as cached_value,
            nft_claims.claimed as recount,
            nft_claims.all_settled = 1 as is_settled
        from {{ ref('stg_oltp__master_nfts') }} as nfts
        inner join nft_claims
            on nft_claims.master_nft_id = nfts.master_nft_id
        where coalesce(nfts.total_dividends_received, 0) < nft_claims.claimed
    ),
    violations as (
        select * from participant_votes
        union all select * from producer_credits
        {# results_json is jsonb: read on PostgreSQL (the replica) only #}
        {% if target.type == 'postgres' %}union all select * from results_totals{% endif %}
        union all select * from tokens_held
        union all select * from dividends_received
    )
    select * from violations where {{ 'is_settled' if settled else 'not is_settled' }}
{% endtest %}


{#- INV-40: after a reorg rollback no derived state may point at an event that is no longer
    stored: a balance's last_claim_tx_hash is one of that wallet's stored claims for the
    master (the rollback must rebuild wallet_dividend_balances, not only delete events). -#}
{% test eventual_inv_40(model=none, settled=true) %}
    with checked as (
        select
            balances.wallet_dividend_balance_id,
            balances.wallet_address,
            balances.last_claim_tx_hash,
            balances.updated_at <= {{ settle_cutoff() }} as is_settled
        from {{ ref('stg_oltp__wallet_dividend_balances') }} as balances
        where balances.last_claim_tx_hash is not null
            and not exists (
                select 1 from {{ ref('stg_oltp__dividend_claims') }} as claims
                where claims.tx_hash = balances.last_claim_tx_hash
                    and claims.wallet_address = balances.wallet_address
                    and claims.master_id = balances.master_id
            )
    )
    select * from checked where {{ 'is_settled' if settled else 'not is_settled' }}
{% endtest %}
