with

source as (

    select * from {{ source('oltp', 'dividend_events') }}

),

renamed as (

    select
        -- ids
        id as dividend_event_id,
        master_id,
        dividend_contract_id,
        revenue_event_id,
        -- strings
        chain_id,
        {{ normalize_address('contract_address') }} as contract_address,
        {{ normalize_address('tx_hash') }} as tx_hash,
        currency,
        {{ normalize_address('claimant_wallet') }} as claimant_wallet,
        -- categories
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        -- numerics
        block_number,
        log_index,
        total_amount,
        claimant_token_id,
        total_holders_at_distribution,
        per_token_amount,
        -- timestamps
        block_timestamp,
        created_at

    from source

)

select * from renamed
