with

source as (

    select * from {{ source('oltp', 'nft_ownership_snapshots') }}

),

renamed as (

    select
        -- ids
        id as nft_ownership_snapshot_id,
        master_id,
        -- strings
        chain_id,
        {{ normalize_address('contract_address') }} as contract_address,
        {{ normalize_address('owner_wallet') }} as owner_wallet,
        snapshot_reason,
        -- numerics
        token_id,
        snapshot_block_number,
        -- timestamps
        snapshot_timestamp,
        created_at

    from source

)

select * from renamed
