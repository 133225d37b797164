with

source as (

    select * from {{ source('oltp', 'dividend_claims') }}

),

renamed as (

    select
        -- ids
        id as dividend_claim_id,
        master_id,
        dividend_contract_id,
        master_nft_id,
        -- strings
        {{ normalize_address('wallet_address') }} as wallet_address,
        currency,
        {{ normalize_address('tx_hash') }} as tx_hash,
        chain_id,
        -- numerics
        token_id,
        amount_claimed,
        block_number,
        gas_used,
        gas_price_wei,
        -- timestamps
        block_timestamp,
        created_at

    from source

)

select * from renamed
