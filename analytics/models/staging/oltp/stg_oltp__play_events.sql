with

source as (

    select * from {{ source('oltp', 'play_events') }}

),

renamed as (

    select
        -- ids
        id as play_event_id,
        master_id,
        user_id,
        -- strings
        anonymous_id,
        country_code,
        -- categories
        cast(source as {{ dbt.type_string() }}) as source,
        -- numerics
        ms_played,
        track_duration_ms,
        -- timestamps
        started_at,
        created_at

    from source

)

select * from renamed
