with

source as (

    select * from {{ source('oltp', 'pool_positions') }}

),

renamed as (

    select
        -- ids
        id as pool_position_id,
        liquidity_pool_id,
        -- strings
        {{ normalize_address('wallet_address') }} as wallet_address,
        chain_id,
        {{ normalize_address('entry_tx_hash') }} as entry_tx_hash,
        -- numerics
        lp_token_balance,
        token0_amount,
        token1_amount,
        position_value_usd,
        -- timestamps
        entered_at,
        created_at,
        updated_at

    from source

)

select * from renamed
