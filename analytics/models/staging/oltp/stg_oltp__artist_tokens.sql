with

source as (

    select * from {{ source('oltp', 'artist_tokens') }}

),

renamed as (

    select
        -- ids
        id as artist_token_id,
        artist_id,
        -- strings
        chain_id,
        {{ normalize_address('contract_address') }} as contract_address,
        name,
        symbol,
        decimals,
        {{ normalize_address('deployment_tx_hash') }} as deployment_tx_hash,
        logo_url,
        description,
        -- numerics
        total_supply,
        circulating_supply,
        deployed_at_block,
        last_price_usd,
        market_cap_usd,
        volume_24h_usd,
        price_change_24h,
        holders_count,
        last_indexed_block,
        -- booleans
        is_tradable,
        -- timestamps
        deployed_at,
        trading_enabled_at,
        last_market_data_update,
        last_indexed_at,
        created_at,
        updated_at

    from source

)

select * from renamed
