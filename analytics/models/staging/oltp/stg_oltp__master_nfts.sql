with

source as (

    select * from {{ source('oltp', 'master_nfts') }}

),

renamed as (

    select
        -- ids
        id as master_nft_id,
        master_id,
        master_contract_id,
        -- strings
        chain_id,
        {{ normalize_address('contract_address') }} as contract_address,
        {{ normalize_address('current_owner_wallet') }} as current_owner_wallet,
        {{ normalize_address('original_minter_wallet') }} as original_minter_wallet,
        {{ normalize_address('mint_tx_hash') }} as mint_tx_hash,
        listing_currency,
        token_uri,
        -- categories
        cast(listing_status as {{ dbt.type_string() }}) as listing_status,
        -- numerics
        token_id,
        minted_at_block,
        mint_price_wei,
        listing_price_wei,
        total_dividends_received,
        last_indexed_block,
        -- booleans
        is_first_minter,
        is_second_minter,
        is_third_minter,
        -- timestamps
        minted_at,
        listed_at,
        last_dividend_claimed_at,
        last_indexed_at,
        created_at,
        updated_at

    from source

)

select * from renamed
