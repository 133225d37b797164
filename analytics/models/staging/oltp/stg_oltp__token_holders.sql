with

source as (

    select * from {{ source('oltp', 'token_holders') }}

),

renamed as (

    select
        -- ids
        id as token_holder_id,
        artist_token_id,
        -- strings
        {{ normalize_address('wallet_address') }} as wallet_address,
        chain_id,
        {{ normalize_address('first_acquired_tx_hash') }} as first_acquired_tx_hash,
        -- numerics
        balance,
        -- timestamps
        first_acquired_at,
        created_at,
        updated_at

    from source

)

select * from renamed
