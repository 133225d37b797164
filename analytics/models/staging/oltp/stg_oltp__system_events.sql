with

source as (

    select * from {{ source('oltp', 'system_events') }}

),

renamed as (

    select
        -- ids
        id as system_event_id,
        entity_id,
        -- strings
        event_type,
        source,
        message,
        job_id,
        entity_type,
        error_message,
        error_stack,
        metadata,
        -- numerics
        duration_ms,
        records_processed,
        -- booleans
        success,
        -- timestamps
        created_at

    from source

)

select * from renamed
