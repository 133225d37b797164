{{
    config(
        materialized='incremental',
        incremental_strategy=event_incremental_strategy(),
        unique_key=['stream_date', 'master_id', 'platform', 'country_code'],
        window_column='stream_date',
        partition_by='stream_date',
        on_schema_change='fail',
        indexes=[
            {'columns': ['stream_date', 'master_id', 'platform', 'country_code'], 'unique': true},
            {'columns': ['master_id', 'stream_date']},
        ],
    )
}}

{#- Streams per day, master, platform and country: own plays and DSP statement lines side by
    side (marts.md).  Incremental by day: a run replaces the days from
    var('incremental_lookback_days') before the newest loaded day on. -#}

with

plays as (

    select * from {{ ref('int_streaming__plays') }}
    where {{ event_window_filter('stream_date') }}

),

dsp_lines as (

    select
        report_date as stream_date,
        master_id,
        platform,
        country_code,
        stream_count,
        listener_count,
        royalty_amount_usd
    from {{ ref('stg_oltp__dsp_stream_reports') }}

),

dsp_lines_in_window as (

    select * from dsp_lines
    where {{ event_window_filter('stream_date') }}

),

own_daily as (

    select
        stream_date,
        master_id,
        platform,
        country_code,
        sum(case when is_stream then 1 else 0 end) as streams,
        count(*) as plays,
        count(distinct case when is_stream then listener_id end) as listeners,
        sum(ms_played) as ms_played,
        cast(null as numeric(28, 8)) as royalty_usd
    from plays
    group by stream_date, master_id, platform, country_code

),

dsp_daily as (

    -- royalty_amount_usd is USD by definition: summing it never mixes currencies.
    select
        stream_date,
        master_id,
        platform,
        country_code,
        sum(stream_count) as streams,
        cast(null as {{ dbt.type_bigint() }}) as plays,
        sum(listener_count) as listeners,
        cast(null as {{ dbt.type_bigint() }}) as ms_played,
        sum(royalty_amount_usd) as royalty_usd
    from dsp_lines_in_window
    group by stream_date, master_id, platform, country_code

),

unioned as (

    select * from own_daily
    union all
    select * from dsp_daily

),

final as (

    select
        -- grain
        cast(stream_date as date) as stream_date,
        master_id,
        cast(platform as {{ dbt.type_string() }}) as platform,
        cast(country_code as {{ dbt.type_string() }}) as country_code,
        -- measures
        cast(streams as {{ dbt.type_bigint() }}) as streams,
        cast(plays as {{ dbt.type_bigint() }}) as plays,
        cast(listeners as {{ dbt.type_bigint() }}) as listeners,
        cast(ms_played as {{ dbt.type_bigint() }}) as ms_played,
        cast(royalty_usd as numeric(28, 8)) as royalty_usd
    from unioned

)

select * from final
