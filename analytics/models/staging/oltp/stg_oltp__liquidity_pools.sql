with

source as (

    select * from {{ source('oltp', 'liquidity_pools') }}

),

renamed as (

    select
        -- ids
        id as liquidity_pool_id,
        artist_token_id,
        -- strings
        chain_id,
        {{ normalize_address('pool_address') }} as pool_address,
        {{ normalize_address('token0_address') }} as token0_address,
        {{ normalize_address('token1_address') }} as token1_address,
        token0_symbol,
        token1_symbol,
        {{ normalize_address('created_at_tx_hash') }} as created_at_tx_hash,
        -- categories
        cast(pool_type as {{ dbt.type_string() }}) as pool_type,
        -- numerics
        reserve0,
        reserve1,
        fee,
        total_value_locked_usd,
        volume_24h_usd,
        created_at_block,
        last_indexed_block,
        -- timestamps
        last_indexed_at,
        created_at,
        updated_at

    from source

)

select * from renamed
