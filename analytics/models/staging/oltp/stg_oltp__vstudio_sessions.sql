with

source as (

    select * from {{ source('oltp', 'vstudio_sessions') }}

),

renamed as (

    select
        -- ids
        id as vstudio_session_id,
        master_id,
        artist_id,
        -- strings
        title,
        description,
        slug,
        session_type,
        cover_image_url,
        background_color,
        -- categories
        cast(status as {{ dbt.type_string() }}) as status,
        -- numerics
        max_participants,
        participant_count,
        total_votes,
        peak_concurrent_viewers,
        -- booleans
        is_public,
        allow_anonymous,
        -- timestamps
        scheduled_start_at,
        scheduled_end_at,
        actual_start_at,
        actual_end_at,
        created_at,
        updated_at

    from source

)

select * from renamed
