{#- Each holder's share of each per_master distribution (int_dividends__allocations: the as-of
    ownership and the exact base-unit product live there, once). -#}

with

allocations as (

    select * from {{ ref('int_dividends__allocations') }}

),

final as (

    select
        -- grain
        distribution_event_id,
        wallet_address,
        -- ids
        dividend_contract_id,
        master_id,
        -- strings
        chain_id,
        currency,
        -- numerics
        block_number,
        log_index,
        tokens_held,
        per_token_amount,
        allocated,
        -- timestamps
        block_timestamp

    from allocations

)

select * from final
