{{
    config(
        materialized='incremental',
        incremental_strategy=event_incremental_strategy(),
        unique_key=['stream_date', 'master_id'],
        window_column='stream_date',
        partition_by='stream_date',
        on_schema_change='fail',
        indexes=[
            {'columns': ['master_id', 'stream_date'], 'unique': true},
            {'columns': ['stream_date']},
        ],
    )
}}

{#- Rolling streams per master: one row for EVERY day from the master's first stream to the
    last loaded day (the data's last day, never the clock), so the 7- and 28-day windows are
    counted in days, not in rows that happen to exist.  Incremental: a run rebuilds the days
    of the event window and reads the 27 days before them, the longest look-back of a row
    (growth compares days d-13…d-7). -#}

{%- set longest_lookback_days = 27 -%}
{#- Ceiling of the day spine (2^15 days ≈ 89 years); a singular test checks every day is there. -#}
{%- set max_spine_days = 32768 -%}
{#- A full build spans from the first stream; an incremental one from the look-back's start. -#}
{%- if is_incremental() -%}
    {%- set spine_start = 'cast(' ~ dbt.dateadd('day', -1 * longest_lookback_days, event_window_start('stream_date')) ~ ' as date)' -%}
{%- else -%}
    {%- set spine_start = '(select min(first_streams.first_stream_date) from first_streams)' -%}
{%- endif %}

with

streams_daily as (

    select * from {{ ref('fct_streams_daily') }}

),

last_loaded_day as (

    select {{ last_loaded_stream_date() }} as last_stream_date

),

first_streams as (

    select
        master_id,
        min(stream_date) as first_stream_date
    from streams_daily
    where streams > 0
    group by master_id

),

spine_bounds as (

    select
        {{ spine_start }} as spine_start,
        last_stream_date as spine_end
    from last_loaded_day

),

day_numbers as (

    {{ dbt.generate_series(max_spine_days) }}

),

days as (

    select
        cast({{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'spine_bounds.spine_start') }} as date) as stream_date
    from day_numbers
    cross join spine_bounds
    where
        day_numbers.generated_number - 1
        <= {{ dbt.datediff('spine_bounds.spine_start', 'spine_bounds.spine_end', 'day') }}

),

master_days as (

    select
        first_streams.master_id,
        days.stream_date
    from first_streams
    inner join days
        on first_streams.first_stream_date <= days.stream_date

),

master_daily_streams as (

    select
        master_id,
        stream_date,
        sum(streams) as streams
    from streams_daily
    where stream_date >= (select spine_bounds.spine_start from spine_bounds)
    group by master_id, stream_date

),

filled as (

    select
        master_days.master_id,
        master_days.stream_date,
        coalesce(master_daily_streams.streams, 0) as streams
    from master_days
    left join master_daily_streams
        on
            master_days.master_id = master_daily_streams.master_id
            and master_days.stream_date = master_daily_streams.stream_date

),

windowed as (

    -- One row per day (the spine has no gaps), so N rows are N days.
    select
        master_id,
        stream_date,
        streams,
        sum(streams) over (
            partition by master_id order by stream_date
            rows between 6 preceding and current row
        ) as streams_7d,
        sum(streams) over (
            partition by master_id order by stream_date
            rows between 27 preceding and current row
        ) as streams_28d,
        sum(streams) over (
            partition by master_id order by stream_date
            rows between 13 preceding and 7 preceding
        ) as streams_prev_7d
    from filled

),

final as (

    select
        -- grain
        stream_date,
        master_id,
        -- measures
        cast(streams as {{ dbt.type_bigint() }}) as streams,
        cast(streams_7d as {{ dbt.type_bigint() }}) as streams_7d,
        cast(streams_28d as {{ dbt.type_bigint() }}) as streams_28d,
        cast(coalesce(streams_prev_7d, 0) as {{ dbt.type_bigint() }}) as streams_prev_7d,
        cast(
            cast(streams_7d - streams_prev_7d as numeric(38, 10)) * 100
            / nullif(streams_prev_7d, 0)
            as numeric(38, 10)
        ) as growth_7d_pct
    from windowed

)

select * from final
where {{ event_window_filter('stream_date') }}
