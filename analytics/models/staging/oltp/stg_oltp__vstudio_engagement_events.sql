with

source as (

    select * from {{ source('oltp', 'vstudio_engagement_events') }}

),

renamed as (

    select
        -- ids
        id as vstudio_engagement_event_id,
        vstudio_session_id,
        user_id,
        decision_point_id,
        -- strings
        event_data,
        -- categories
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        -- timestamps
        created_at

    from source

)

select * from renamed
