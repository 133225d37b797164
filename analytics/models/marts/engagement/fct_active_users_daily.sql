{#- Daily, weekly and monthly active users on every UTC day from the first to the last day
    with any activity (days without activity included).  Active = int_engagement__user_activity_daily
    (a stream, a vote, a chat message or a follow).  wau and mau count distinct users over the 7
    and 30 days ending that day.

    Rolling distinct counts without a days × activity range join: a user counts towards the
    window ending on day d while d is within N-1 days after one of their active days.  Those
    covered days form runs per user; each run adds +1 on its first day and -1 on the day after
    its last, and the running sum of these changes over the days is the count. -#}

with

activity as (

    select
        user_id,
        activity_date
    from {{ ref('int_engagement__user_activity_daily') }}

),

bounds as (

    select
        min(activity_date) as first_day,
        max(activity_date) as last_day
    from activity

),

-- 1 … 16384: the spine covers up to 44 years of activity
numbers as (

    {{ dbt.generate_series(16384) }}

),

days as (

    select
        cast(
            {{ dbt.dateadd('day', 'numbers.generated_number - 1', 'bounds.first_day') }} as date
        ) as activity_date
    from bounds
    cross join numbers
    where
        numbers.generated_number - 1
        <= {{ dbt.datediff('bounds.first_day', 'bounds.last_day', 'day') }}

),

daily as (

    select
        activity_date,
        count(*) as dau
    from activity
    group by activity_date

),

neighbours as (

    select
        activity_date,
        lag(activity_date) over (partition by user_id order by activity_date) as previous_date,
        lead(activity_date) over (partition by user_id order by activity_date) as next_date
    from activity

),

-- a run starts on an active day not covered by the previous one (the window is 7 days for
-- wau, 30 for mau), and ends N-1 days after an active day that the next one does not continue
changes as (

    select
        activity_date as change_date,
        'wau' as window_name,
        case
            when
                previous_date is null
                or {{ dbt.datediff('previous_date', 'activity_date', 'day') }} >= 7
                then 1
            else 0
        end as change
    from neighbours

    union all

    select
        cast({{ dbt.dateadd('day', 7, 'activity_date') }} as date) as change_date,
        'wau' as window_name,
        case
            when
                next_date is null
                or {{ dbt.datediff('activity_date', 'next_date', 'day') }} >= 7
                then -1
            else 0
        end as change
    from neighbours

    union all

    select
        activity_date as change_date,
        'mau' as window_name,
        case
            when
                previous_date is null
                or {{ dbt.datediff('previous_date', 'activity_date', 'day') }} >= 30
                then 1
            else 0
        end as change
    from neighbours

    union all

    select
        cast({{ dbt.dateadd('day', 30, 'activity_date') }} as date) as change_date,
        'mau' as window_name,
        case
            when
                next_date is null
                or {{ dbt.datediff('activity_date', 'next_date', 'day') }} >= 30
                then -1
            else 0
        end as change
    from neighbours

),

daily_changes as (

    select
        change_date,
        sum(case when window_name = 'wau' then change else 0 end) as wau_change,
        sum(case when window_name = 'mau' then change else 0 end) as mau_change
    from changes
    group by change_date

),

rolled as (

    select
        days.activity_date,
        coalesce(daily.dau, 0) as dau,
        cast(
            sum(coalesce(daily_changes.wau_change, 0)) over (
                order by days.activity_date rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as wau,
        cast(
            sum(coalesce(daily_changes.mau_change, 0)) over (
                order by days.activity_date rows between unbounded preceding and current row
            ) as {{ dbt.type_bigint() }}
        ) as mau
    from days
    left join daily on days.activity_date = daily.activity_date
    left join daily_changes on days.activity_date = daily_changes.change_date

)

select * from rolled
