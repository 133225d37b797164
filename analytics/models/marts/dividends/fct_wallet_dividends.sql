{#- Each wallet's dividend position per contract, master, chain and currency, as the indexer's
    wallet_dividend_balances holds it (total_earned), with the claims recomputed from
    dividend_claims (the stored total_claimed is a running cache, INV-14). -#}

with

balances as (

    select * from {{ ref('stg_oltp__wallet_dividend_balances') }}

),

claims as (

    select * from {{ ref('stg_oltp__dividend_claims') }}

),

claim_totals as (

    select
        wallet_address,
        dividend_contract_id,
        master_id,
        chain_id,
        currency,
        sum(amount_claimed) as total_claimed,
        count(*) as claim_count,
        max(block_timestamp) as last_claimed_at
    from claims
    group by wallet_address, dividend_contract_id, master_id, chain_id, currency

),

final as (

    select
        -- grain
        balances.wallet_address,
        balances.dividend_contract_id,
        balances.master_id,
        balances.chain_id,
        balances.currency,
        -- numerics
        balances.total_earned,
        coalesce(claim_totals.total_claimed, 0) as total_claimed,
        balances.total_earned - coalesce(claim_totals.total_claimed, 0) as claimable,
        coalesce(claim_totals.claim_count, 0) as claim_count,
        balances.tokens_held as tokens_held_cached,
        -- timestamps
        claim_totals.last_claimed_at

    from balances
    left join claim_totals
        on
            balances.wallet_address = claim_totals.wallet_address
            and balances.dividend_contract_id = claim_totals.dividend_contract_id
            and balances.master_id = claim_totals.master_id
            and balances.chain_id = claim_totals.chain_id
            and balances.currency = claim_totals.currency

)

select * from final
