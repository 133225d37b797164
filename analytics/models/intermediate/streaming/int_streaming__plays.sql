{{
    config(
        materialized='incremental',
        incremental_strategy=event_incremental_strategy(),
        unique_key='play_event_id',
        window_column='started_at',
        partition_by='stream_date',
        on_schema_change='fail',
        indexes=[
            {'columns': ['play_event_id'], 'unique': true},
            {'columns': ['started_at']},
            {'columns': ['master_id', 'stream_date']},
        ],
    )
}}

{#- Every own-platform play, classified once: is it a stream, who listened, which day. -#}

with

plays as (

    select * from {{ ref('stg_oltp__play_events') }}
    where {{ event_window_filter('started_at') }}

),

classified as (

    select
        -- ids
        play_event_id,
        master_id,
        user_id,
        anonymous_id,
        coalesce(cast(user_id as {{ dbt.type_string() }}), anonymous_id) as listener_id,
        -- strings
        'audifi' as platform,
        source,
        coalesce(country_code, '{{ var("unknown_country_code") }}') as country_code,
        -- numerics
        ms_played,
        track_duration_ms,
        -- booleans
        {{ is_stream('ms_played') }} as is_stream,
        -- timestamps
        {{ utc_date('started_at') }} as stream_date,
        started_at,
        created_at

    from plays

)

select * from classified
