{#- Daily, weekly and monthly active users on every UTC day from the first to the last day
    with any activity (days without activity included).  Active = int_engagement__user_activity_daily
    (a stream, a vote, a chat message or a follow).  wau and mau count distinct users over the 7
    and 30 days ending that day. -#}

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

-- each day with the activity of the 30 days ending on it
windows as (

    select
        days.activity_date,
        activity.activity_date as active_on,
        activity.user_id
    from days
    left join activity
        on
            days.activity_date >= activity.activity_date
            and activity.activity_date
            >= cast({{ dbt.dateadd('day', -29, 'days.activity_date') }} as date)

),

rolled as (

    select
        activity_date,
        count(distinct case when active_on = activity_date then user_id end) as dau,
        count(distinct case
            when active_on >= cast({{ dbt.dateadd('day', -6, 'activity_date') }} as date)
                then user_id
        end) as wau,
        count(distinct user_id) as mau
    from windows
    group by activity_date

)

select * from rolled
