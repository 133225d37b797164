with

source as (

    select * from {{ source('oltp', 'wallet_dividend_balances') }}

),

renamed as (

    select
        -- ids
        id as wallet_dividend_balance_id,
        master_id,
        dividend_contract_id,
        -- strings
        {{ normalize_address('wallet_address') }} as wallet_address,
        chain_id,
        currency,
        {{ normalize_address('last_claim_tx_hash') }} as last_claim_tx_hash,
        -- numerics
        total_earned,
        total_claimed,
        claimable_amount,
        tokens_held,
        -- timestamps
        last_claimed_at,
        created_at,
        updated_at

    from source

)

select * from renamed
