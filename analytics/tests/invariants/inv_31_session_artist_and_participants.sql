{{ config(severity='error', tags=['invariant', 'hard']) }}

{#- The wallet half of "one participant row per user or wallet" needs
    vstudio_participants.wallet_address, kept off the replica: checked on the primary. -#}
with

sessions as (select * from {{ ref('stg_oltp__vstudio_sessions') }}),

wrong_artist_or_full as (
    select
        cast(sessions.vstudio_session_id as {{ dbt.type_string() }}) as offending_id,
        'session artist is not the master''s artist, or more participants than allowed'
            as problem
    from sessions
    inner join {{ ref('stg_oltp__masters') }} as masters
        on masters.master_id = sessions.master_id
    where sessions.artist_id <> masters.artist_id
        or sessions.participant_count > sessions.max_participants
),

duplicate_participants as (
    select
        cast(vstudio_participant_id as {{ dbt.type_string() }}) as offending_id,
        'user has several participant rows in the session' as problem
    from (
        select
            vstudio_participant_id,
            count(*) over (partition by vstudio_session_id, user_id) as rows_for_user
        from {{ ref('stg_oltp__vstudio_participants') }}
        where user_id is not null
    ) as keyed
    where rows_for_user > 1
)

select * from wrong_artist_or_full
union all select * from duplicate_participants
