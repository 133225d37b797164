with

source as (

    select * from {{ source('oltp', 'pool_events') }}

),

renamed as (

    select
        -- ids
        id as pool_event_id,
        liquidity_pool_id,
        artist_token_id,
        -- strings
        chain_id,
        {{ normalize_address('pool_address') }} as pool_address,
        {{ normalize_address('tx_hash') }} as tx_hash,
        {{ normalize_address('sender') }} as sender,
        {{ normalize_address('recipient') }} as recipient,
        -- categories
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        -- numerics
        block_number,
        amount0,
        amount1,
        amount_usd,
        -- timestamps
        block_timestamp,
        created_at

    from source

)

select * from renamed
