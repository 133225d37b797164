{{
    config(
        indexes=[
            {'columns': ['window_days', 'platform_scope', 'stream_rank'], 'unique': true},
            {'columns': ['window_days', 'platform_scope', 'master_id'], 'unique': true},
        ],
    )
}}

{#- The top-charts page's rows: every master's streams over each window of
    var('top_masters_window_days') ending on the last loaded day, per platform and over all
    platforms, ranked.  A chart is then one index range (window, scope, rank <= N) instead of
    a sum over millions of fct_streams_daily rows. -#}

{%- set windows = var('top_masters_window_days') -%}

with

streams_daily as (

    select * from {{ ref('fct_streams_daily') }}

),

last_loaded_day as (

    select {{ last_loaded_stream_date() }} as as_of_date

),

windows as (

    {{ dbt.generate_series(windows | max) }}

),

window_bounds as (

    select
        windows.generated_number as window_days,
        cast({{ dbt.dateadd('day', '-1 * windows.generated_number', 'last_loaded_day.as_of_date') }} as date)
            as window_start
    from windows
    cross join last_loaded_day
    where windows.generated_number in ({{ windows | join(', ') }})

),

in_longest_window as (

    select
        streams_daily.master_id,
        streams_daily.platform,
        streams_daily.stream_date,
        streams_daily.streams
    from streams_daily
    cross join last_loaded_day
    where streams_daily.stream_date > cast({{ dbt.dateadd('day', -1 * (windows | max), 'last_loaded_day.as_of_date') }} as date)

),

per_platform as (

    {#- a window's days are those after its start (the start is excluded: d-N+1 … d) -#}
    select
        window_bounds.window_days,
        in_longest_window.platform as platform_scope,
        in_longest_window.master_id,
        sum(in_longest_window.streams) as streams
    from in_longest_window
    inner join window_bounds on in_longest_window.stream_date > window_bounds.window_start
    group by window_bounds.window_days, in_longest_window.platform, in_longest_window.master_id

),

all_platforms as (

    select
        window_days,
        'all' as platform_scope,
        master_id,
        sum(streams) as streams
    from per_platform
    group by window_days, master_id

),

scopes as (

    select * from per_platform
    union all
    select * from all_platforms

),

final as (

    select
        -- ids
        scopes.master_id,
        -- strings
        cast(scopes.platform_scope as {{ dbt.type_string() }}) as platform_scope,
        -- numerics
        cast(scopes.window_days as integer) as window_days,
        cast(row_number() over (
            partition by scopes.window_days, scopes.platform_scope
            order by scopes.streams desc, scopes.master_id asc
        ) as bigint) as stream_rank,
        cast(scopes.streams as bigint) as streams,
        -- dates
        last_loaded_day.as_of_date

    from scopes
    cross join last_loaded_day
    where scopes.streams > 0

)

select * from final
