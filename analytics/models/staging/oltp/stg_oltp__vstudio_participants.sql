with

source as (

    select * from {{ source('oltp', 'vstudio_participants') }}

),

renamed as (

    select
        -- ids
        id as vstudio_participant_id,
        vstudio_session_id,
        user_id,
        -- numerics
        votes_count,
        messages_count,
        reactions_count,
        total_time_seconds,
        -- timestamps
        joined_at,
        left_at,
        created_at,
        updated_at

    from source

)

select * from renamed
