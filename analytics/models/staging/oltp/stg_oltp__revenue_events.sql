with

source as (

    select * from {{ source('oltp', 'revenue_events') }}

),

renamed as (

    select
        -- ids
        id as revenue_event_id,
        master_id,
        deposited_to_contract_id,
        -- strings
        source_name,
        external_reference,
        currency,
        verified_by,
        {{ normalize_address('deposit_tx_hash') }} as deposit_tx_hash,
        document_url,
        notes,
        metadata,
        -- categories
        cast(source_type as {{ dbt.type_string() }}) as source_type,
        cast(status as {{ dbt.type_string() }}) as status,
        -- numerics
        amount,
        amount_usd,
        -- timestamps
        period_start,
        period_end,
        verified_at,
        deposited_at,
        created_at,
        updated_at

    from source

)

select * from renamed
