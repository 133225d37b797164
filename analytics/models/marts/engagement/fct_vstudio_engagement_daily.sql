{{
    config(
        materialized='incremental',
        incremental_strategy=event_incremental_strategy(),
        unique_key=['event_date', 'session_id', 'event_type'],
        window_column='event_date',
        partition_by='event_date',
        full_refresh=false,
        on_schema_change='fail',
    )
}}

{#- Daily V Studio engagement per session and event type: the aggregate that governance F3
    keeps for two years while the primary keeps only 90 days of raw events.  Incremental by
    whole UTC days (the last var('incremental_lookback_days') days before the newest loaded day
    are recomputed), and full_refresh=false: a `--full-refresh` leaves it alone, so days whose
    raw events were purged are never recomputed from nothing. -#}

with

events as (

    select * from {{ ref('int_engagement__events') }}

),

windowed as (

    select * from events
    where {{ event_window_filter('event_date') }}

),

daily as (

    select
        event_date,
        vstudio_session_id as session_id,
        event_type,
        count(*) as events,
        count(distinct user_id) as users,
        sum(case when user_id is null then 1 else 0 end) as anonymous_events,
        min(created_at) as first_event_at,
        max(created_at) as last_event_at
    from windowed
    group by event_date, vstudio_session_id, event_type

),

final as (

    select
        event_date,
        session_id,
        event_type,
        events,
        users,
        cast(anonymous_events as {{ dbt.type_bigint() }}) as anonymous_events,
        first_event_at,
        last_event_at
    from daily

)

select * from final
