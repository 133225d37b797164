with

source as (

    select * from {{ source('oltp', 'nft_transfers') }}

),

renamed as (

    select
        -- ids
        id as nft_transfer_id,
        master_nft_id,
        master_id,
        -- strings
        chain_id,
        {{ normalize_address('contract_address') }} as contract_address,
        {{ normalize_address('from_wallet') }} as from_wallet,
        {{ normalize_address('to_wallet') }} as to_wallet,
        {{ normalize_address('tx_hash') }} as tx_hash,
        sale_currency,
        marketplace,
        {{ normalize_address('royalty_recipient') }} as royalty_recipient,
        -- categories
        cast(transfer_type as {{ dbt.type_string() }}) as transfer_type,
        -- numerics
        token_id,
        block_number,
        log_index,
        sale_price_wei,
        royalty_paid_wei,
        -- timestamps
        block_timestamp,
        created_at

    from source

)

select * from renamed
