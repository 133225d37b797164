{#- The V Studio funnel per session, from the engagement log: distinct signed-in users who
    viewed, joined and voted; anonymous views counted as events (they carry no user). -#}

with

sessions as (

    select
        vstudio_session_id,
        master_id,
        artist_id
    from {{ ref('stg_oltp__vstudio_sessions') }}

),

events as (

    select * from {{ ref('int_engagement__events') }}

),

funnel as (

    select
        vstudio_session_id,
        count(distinct case when event_type = 'session_view' then user_id end) as viewers,
        count(distinct case when event_type = 'session_join' then user_id end) as joiners,
        count(distinct case when event_type = 'vote_cast' then user_id end) as voters,
        sum(
            case when event_type = 'session_view' and user_id is null then 1 else 0 end
        ) as anonymous_views,
        sum(case when event_type = 'session_view' then 1 else 0 end) as view_events
    from events
    group by vstudio_session_id

),

final as (

    select
        -- ids
        sessions.vstudio_session_id as session_id,
        sessions.master_id,
        sessions.artist_id,
        -- counts
        coalesce(funnel.viewers, 0) as viewers,
        coalesce(funnel.joiners, 0) as joiners,
        coalesce(funnel.voters, 0) as voters,
        cast(coalesce(funnel.anonymous_views, 0) as {{ dbt.type_bigint() }}) as anonymous_views,
        cast(coalesce(funnel.view_events, 0) as {{ dbt.type_bigint() }}) as view_events,
        -- conversion between the steps, in percent; null when the earlier step is empty
        case
            when funnel.viewers > 0
                then cast(
                    cast(funnel.joiners as numeric(38, 10)) * 100 / funnel.viewers
                    as numeric(38, 10)
                )
        end as join_rate_pct,
        case
            when funnel.joiners > 0
                then cast(
                    cast(funnel.voters as numeric(38, 10)) * 100 / funnel.joiners
                    as numeric(38, 10)
                )
        end as vote_rate_pct

    from sessions
    left join funnel on sessions.vstudio_session_id = funnel.vstudio_session_id

)

select * from final
