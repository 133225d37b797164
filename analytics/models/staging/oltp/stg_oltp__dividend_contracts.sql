with

source as (

    select * from {{ source('oltp', 'dividend_contracts') }}

),

renamed as (

    select
        -- ids
        id as dividend_contract_id,
        master_id,
        artist_id,
        -- strings
        chain_id,
        {{ normalize_address('contract_address') }} as contract_address,
        {{ normalize_address('deployment_tx_hash') }} as deployment_tx_hash,
        {{ normalize_address('linked_master_contract') }} as linked_master_contract,
        -- categories
        cast(distribution_model as {{ dbt.type_string() }}) as distribution_model,
        -- numerics
        deployed_at_block,
        total_revenue_deposited,
        total_dividends_distributed,
        last_indexed_block,
        -- timestamps
        deployed_at,
        last_indexed_at,
        created_at,
        updated_at

    from source

)

select * from renamed
