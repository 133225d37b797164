{{
    config(
        indexes=[
            {'columns': ['week_start', 'rank'], 'unique': true},
            {'columns': ['master_id', 'week_start']},
        ],
    )
}}

{#- The week's most streamed masters, all platforms: ISO weeks (Monday start, UTC), ranks
    1…var('top_masters_per_week') among masters with at least one stream that week, ties
    broken by master_id ascending so the ranking is deterministic. -#}

with

streams_daily as (

    select * from {{ ref('fct_streams_daily') }}

),

weekly as (

    select
        {{ iso_week_start('stream_date') }} as week_start,
        master_id,
        sum(streams) as streams
    from streams_daily
    group by {{ iso_week_start('stream_date') }}, master_id

),

ranked as (

    select
        week_start,
        master_id,
        streams,
        row_number() over (
            partition by week_start order by streams desc, master_id asc
        ) as week_rank
    from weekly
    where streams >= 1

),

final as (

    select
        -- grain
        week_start,
        cast(week_rank as {{ dbt.type_int() }}) as rank,
        -- attributes
        master_id,
        -- measures
        cast(streams as {{ dbt.type_bigint() }}) as streams
    from ranked
    where week_rank <= {{ var('top_masters_per_week') }}

)

select * from final
