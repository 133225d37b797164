{{
    config(
        materialized='table',
        indexes=[
            {'columns': ['user_id', 'activity_date'], 'unique': true},
            {'columns': ['activity_date']},
        ],
    )
}}

{#- The one definition of an active user (marts.md): a signed-in user is active on a UTC day
    when they streamed (int_streaming__plays.is_stream), voted, wrote a chat message or
    followed an artist that day.  fct_active_users_daily and fct_signup_cohorts both read it. -#}

with

streams as (

    select
        user_id,
        stream_date as activity_date
    from {{ ref('int_streaming__plays') }}
    where is_stream and user_id is not null

),

votes as (

    select
        user_id,
        {{ utc_date('created_at') }} as activity_date
    from {{ ref('stg_oltp__vstudio_votes') }}
    where user_id is not null

),

chat_messages as (

    select
        user_id,
        {{ utc_date('created_at') }} as activity_date
    from {{ ref('stg_oltp__vstudio_chat_messages') }}
    where user_id is not null

),

follows as (

    select
        follower_id as user_id,
        {{ utc_date('created_at') }} as activity_date
    from {{ ref('stg_oltp__artist_follows') }}

),

-- each kind aggregated to (user, day) before the union, so no kind multiplies another
activity as (

    select
        user_id,
        activity_date,
        count(*) as streams,
        0 as votes,
        0 as chat_messages,
        0 as follows
    from streams
    group by user_id, activity_date

    union all

    select
        user_id,
        activity_date,
        0 as streams,
        count(*) as votes,
        0 as chat_messages,
        0 as follows
    from votes
    group by user_id, activity_date

    union all

    select
        user_id,
        activity_date,
        0 as streams,
        0 as votes,
        count(*) as chat_messages,
        0 as follows
    from chat_messages
    group by user_id, activity_date

    union all

    select
        user_id,
        activity_date,
        0 as streams,
        0 as votes,
        0 as chat_messages,
        count(*) as follows
    from follows
    group by user_id, activity_date

),

user_days as (

    select
        user_id,
        activity_date,
        cast(sum(streams) as {{ dbt.type_bigint() }}) as streams,
        cast(sum(votes) as {{ dbt.type_bigint() }}) as votes,
        cast(sum(chat_messages) as {{ dbt.type_bigint() }}) as chat_messages,
        cast(sum(follows) as {{ dbt.type_bigint() }}) as follows
    from activity
    group by user_id, activity_date

)

select * from user_days
