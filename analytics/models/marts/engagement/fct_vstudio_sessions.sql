{#- One row per V Studio session (analytics-notes.md §2.3, rebuilt without its fan-out):
    each child table is counted per session first, then joined one-to-one. -#}

with

sessions as (

    select * from {{ ref('stg_oltp__vstudio_sessions') }}

),

masters as (

    select
        master_id,
        title as master_title
    from {{ ref('dim_masters') }}

),

artists as (

    select
        artist_id,
        artist_name
    from {{ ref('dim_artists') }}

),

participants as (

    select
        vstudio_session_id,
        count(*) as participants,
        cast(
            cast(sum(total_time_seconds) as numeric(38, 10)) / count(*) as numeric(38, 10)
        ) as avg_time_seconds
    from {{ ref('stg_oltp__vstudio_participants') }}
    group by vstudio_session_id

),

votes as (

    select
        vstudio_session_id,
        count(*) as votes
    from {{ ref('stg_oltp__vstudio_votes') }}
    group by vstudio_session_id

),

decision_points as (

    select
        vstudio_session_id,
        count(*) as decision_points
    from {{ ref('stg_oltp__vstudio_decision_points') }}
    group by vstudio_session_id

),

chat_messages as (

    select
        vstudio_session_id,
        count(*) as chat_messages
    from {{ ref('stg_oltp__vstudio_chat_messages') }}
    group by vstudio_session_id

),

final as (

    select
        -- ids
        sessions.vstudio_session_id as session_id,
        sessions.master_id,
        sessions.artist_id,
        -- strings
        sessions.title,
        masters.master_title,
        artists.artist_name,
        sessions.session_type,
        sessions.status,
        -- booleans
        sessions.is_public,
        sessions.allow_anonymous,
        -- recomputed counts
        coalesce(participants.participants, 0) as participants,
        coalesce(votes.votes, 0) as votes,
        coalesce(decision_points.decision_points, 0) as decision_points,
        coalesce(chat_messages.chat_messages, 0) as chat_messages,
        participants.avg_time_seconds as avg_time_per_participant_seconds,
        -- cached counters as stored on the session (INV-24), beside their recomputed twins
        sessions.participant_count,
        sessions.total_votes,
        sessions.peak_concurrent_viewers,
        sessions.max_participants,
        (
            sessions.participant_count = coalesce(participants.participants, 0)
            and sessions.total_votes = coalesce(votes.votes, 0)
        ) as cached_counters_match,
        -- timestamps
        sessions.scheduled_start_at,
        sessions.scheduled_end_at,
        sessions.actual_start_at,
        sessions.actual_end_at,
        sessions.created_at

    from sessions
    left join masters on sessions.master_id = masters.master_id
    left join artists on sessions.artist_id = artists.artist_id
    left join participants on sessions.vstudio_session_id = participants.vstudio_session_id
    left join votes on sessions.vstudio_session_id = votes.vstudio_session_id
    left join decision_points on sessions.vstudio_session_id = decision_points.vstudio_session_id
    left join chat_messages on sessions.vstudio_session_id = chat_messages.vstudio_session_id

)

select * from final
