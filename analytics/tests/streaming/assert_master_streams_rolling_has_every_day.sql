{#- fct_master_streams_rolling has exactly one row per day from each master's first stream to
    the last loaded day: no master missing, no day missing (its day spine has a ceiling), none
    extra.  Returns the masters whose rows do not match. -#}

with

streams_daily as (

    select * from {{ ref('fct_streams_daily') }}

),

rolling as (

    select * from {{ ref('fct_master_streams_rolling') }}

),

expected as (

    select
        master_id,
        min(stream_date) as first_day,
        (select max(stream_date) from streams_daily) as last_day
    from streams_daily
    where streams > 0
    group by master_id

),

actual as (

    select
        master_id,
        min(stream_date) as first_day,
        max(stream_date) as last_day,
        count(*) as day_rows
    from rolling
    group by master_id

)

select
    coalesce(expected.master_id, actual.master_id) as master_id,
    expected.first_day as expected_first_day,
    expected.last_day as expected_last_day,
    actual.first_day,
    actual.last_day,
    actual.day_rows
from expected
full outer join actual
    on expected.master_id = actual.master_id
where expected.master_id is null
    or actual.master_id is null
    or actual.first_day <> expected.first_day
    or actual.last_day <> expected.last_day
    or actual.day_rows <> {{ dbt.datediff('expected.first_day', 'expected.last_day', 'day') }} + 1
