with

source as (

    select * from {{ source('oltp', 'audit_logs') }}

),

renamed as (

    select
        -- ids
        id as audit_log_id,
        user_id,
        target_id,
        -- strings
        actor_type,
        action,
        description,
        target_type,
        changed_fields,
        request_id,
        error_message,
        -- categories
        cast(action_category as {{ dbt.type_string() }}) as action_category,
        -- booleans
        success,
        -- timestamps
        created_at

    from source

)

select * from renamed
