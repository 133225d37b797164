with

source as (

    select * from {{ source('oltp', 'master_ipos') }}

),

renamed as (

    select
        -- ids
        id as master_ipo_id,
        master_id,
        -- strings
        mint_price_currency,
        -- categories
        cast(status as {{ dbt.type_string() }}) as status,
        -- numerics
        total_supply,
        minted_supply,
        mint_price_wei,
        revenue_share_nft_holders_bps,
        retained_artist_bps,
        retained_platform_bps,
        first_minter_bonus_bps,
        second_minter_bonus_bps,
        third_minter_bonus_bps,
        secondary_royalty_bps,
        -- booleans
        mover_advantage_enabled,
        allow_secondary_resale,
        -- timestamps
        scheduled_start_at,
        scheduled_end_at,
        actual_start_at,
        actual_end_at,
        created_at,
        updated_at

    from source

)

select * from renamed
