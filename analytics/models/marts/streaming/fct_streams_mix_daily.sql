{{
    config(
        materialized='incremental',
        incremental_strategy=event_incremental_strategy(),
        unique_key=['stream_date', 'platform', 'country_code'],
        window_column='stream_date',
        partition_by='stream_date',
        on_schema_change='fail',
        indexes=[
            {'columns': ['stream_date', 'platform', 'country_code'], 'unique': true},
        ],
    )
}}

{#- The day's platform and country mix, all masters: where the streams came from and each
    slice's share of the day.  Listeners are left out on purpose: distinct listeners of
    different masters do not add up. -#}

with

streams_daily as (

    select * from {{ ref('fct_streams_daily') }}
    where {{ event_window_filter('stream_date') }}

),

mix as (

    select
        stream_date,
        platform,
        country_code,
        sum(case when streams > 0 then 1 else 0 end) as masters_streamed,
        sum(streams) as streams,
        sum(plays) as plays,
        sum(ms_played) as ms_played,
        sum(royalty_usd) as royalty_usd
    from streams_daily
    group by stream_date, platform, country_code

),

with_day_totals as (

    select
        mix.*,
        sum(mix.streams) over (partition by mix.stream_date) as day_streams
    from mix

),

final as (

    select
        -- grain
        stream_date,
        platform,
        country_code,
        -- measures
        cast(masters_streamed as {{ dbt.type_bigint() }}) as masters_streamed,
        cast(streams as {{ dbt.type_bigint() }}) as streams,
        cast(plays as {{ dbt.type_bigint() }}) as plays,
        cast(ms_played as {{ dbt.type_bigint() }}) as ms_played,
        cast(royalty_usd as numeric(28, 8)) as royalty_usd,
        cast(
            cast(streams as numeric(38, 10)) * 100 / nullif(day_streams, 0)
            as numeric(38, 10)
        ) as share_of_day_streams_pct
    from with_day_totals

)

select * from final
