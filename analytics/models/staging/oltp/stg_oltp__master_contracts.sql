with

source as (

    select * from {{ source('oltp', 'master_contracts') }}

),

renamed as (

    select
        -- ids
        id as master_contract_id,
        master_id,
        -- strings
        chain_id,
        {{ normalize_address('contract_address') }} as contract_address,
        {{ normalize_address('deployment_tx_hash') }} as deployment_tx_hash,
        {{ normalize_address('first_minter_wallet') }} as first_minter_wallet,
        {{ normalize_address('second_minter_wallet') }} as second_minter_wallet,
        {{ normalize_address('third_minter_wallet') }} as third_minter_wallet,
        abi_version,
        -- numerics
        deployed_at_block,
        contract_total_supply,
        contract_royalty_bps,
        last_indexed_block,
        -- timestamps
        deployed_at,
        last_indexed_at,
        created_at,
        updated_at

    from source

)

select * from renamed
