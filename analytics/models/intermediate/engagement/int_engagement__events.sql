{{
    config(
        materialized='incremental',
        incremental_strategy=event_incremental_strategy(),
        unique_key='vstudio_engagement_event_id',
        window_column='created_at',
        partition_by='event_date',
        on_schema_change='fail',
        indexes=[
            {'columns': ['vstudio_engagement_event_id'], 'unique': true},
            {'columns': ['created_at']},
            {'columns': ['vstudio_session_id', 'event_type']},
        ],
    )
}}

{#- Every V Studio engagement event with its UTC day, loaded once.  Incremental: each run
    replaces the last var('incremental_lookback_days') days before the newest loaded event, so
    late rows arrive and deleted rows leave; older rows stay, also once the primary has purged
    them (governance F3 keeps 90 days of detail there). -#}

with

events as (

    select * from {{ ref('stg_oltp__vstudio_engagement_events') }}
    where {{ event_window_filter('created_at') }}

),

dated as (

    select
        -- ids
        vstudio_engagement_event_id,
        vstudio_session_id,
        user_id,
        decision_point_id,
        -- categories
        event_type,
        -- timestamps
        {{ utc_date('created_at') }} as event_date,
        created_at

    from events

)

select * from dated
