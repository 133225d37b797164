{#- Signup cohorts by UTC month: for every cohort, one row per month from its signup month
    (months_since_signup = 0) to the last month with activity or signups, with the cohort's
    users active that month (int_engagement__user_activity_daily: a stream, a vote, a chat
    message or a follow).  Activity before a user's signup month is not counted. -#}

with

users as (

    select
        user_id,
        {{ utc_month('created_at') }} as cohort_month
    from {{ ref('stg_oltp__users') }}

),

activity_months as (

    select distinct
        user_id,
        {{ utc_month('activity_date', is_date=true) }} as activity_month
    from {{ ref('int_engagement__user_activity_daily') }}

),

cohorts as (

    select
        cohort_month,
        count(*) as cohort_size
    from users
    group by cohort_month

),

last_month as (

    select max(month_start) as last_month
    from (
        select max(activity_month) as month_start from activity_months
        union all
        select max(cohort_month) as month_start from cohorts
    ) as ends

),

-- 0 … 1199 months after signup (100 years)
month_offsets as (

    select generated_number - 1 as months_since_signup
    from ({{ dbt.generate_series(1200) }}) as numbers

),

grid as (

    select
        cohorts.cohort_month,
        month_offsets.months_since_signup,
        cohorts.cohort_size
    from cohorts
    cross join last_month
    cross join month_offsets
    where
        month_offsets.months_since_signup
        <= cast({{ dbt.datediff('cohorts.cohort_month', 'last_month.last_month', 'month') }} as integer)

),

user_months as (

    select
        users.user_id,
        users.cohort_month,
        cast(
            {{ dbt.datediff('users.cohort_month', 'activity_months.activity_month', 'month') }}
            as integer
        ) as months_since_signup
    from activity_months
    inner join users on activity_months.user_id = users.user_id
    where activity_months.activity_month >= users.cohort_month

),

active as (

    select
        cohort_month,
        months_since_signup,
        count(distinct user_id) as active_users
    from user_months
    group by cohort_month, months_since_signup

),

final as (

    select
        grid.cohort_month,
        cast(grid.months_since_signup as integer) as months_since_signup,
        grid.cohort_size,
        coalesce(active.active_users, 0) as active_users,
        cast(
            cast(coalesce(active.active_users, 0) as numeric(38, 10)) * 100 / grid.cohort_size
            as numeric(38, 10)
        ) as retention_pct
    from grid
    left join active
        on
            grid.cohort_month = active.cohort_month
            and grid.months_since_signup = active.months_since_signup

)

select * from final
