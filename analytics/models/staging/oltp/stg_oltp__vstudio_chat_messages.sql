with

source as (

    select * from {{ source('oltp', 'vstudio_chat_messages') }}

),

renamed as (

    select
        -- ids
        id as vstudio_chat_message_id,
        vstudio_session_id,
        user_id,
        -- strings
        moderated_by,
        moderation_reason,
        -- booleans
        is_moderated,
        is_highlighted,
        is_pinned,
        -- timestamps
        moderated_at,
        created_at

    from source

)

select * from renamed
