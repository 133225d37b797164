with

source as (

    select * from {{ source('oltp', 'user_wallets') }}

),

renamed as (

    select
        -- ids
        id as user_wallet_id,
        user_id,
        -- strings
        chain_id,
        -- booleans
        is_primary,
        verified,
        -- timestamps
        verified_at,
        created_at,
        updated_at

    from source

)

select * from renamed
