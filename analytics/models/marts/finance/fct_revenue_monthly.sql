{{
    config(
        indexes=[
            {'columns': ['revenue_month', 'master_id', 'source_type', 'currency'], 'unique': true},
            {'columns': ['artist_id', 'revenue_month']},
        ],
    )
}}

{#- Revenue per month, master, source and currency: amounts are summed within one currency
    only; USD is summed where the event carries it, and the events without it are counted. -#}

with

revenue_events as (

    select * from {{ ref('int_revenue__events') }}

),

monthly as (

    select
        revenue_month,
        master_id,
        source_type,
        currency,
        artist_id,
        count(*) as event_count,
        sum(amount) as amount,
        coalesce(sum(amount_usd), 0) as amount_usd,
        coalesce(
            sum(case when status = 'distributed' then amount_usd else 0 end), 0
        ) as amount_usd_distributed,
        sum(case when amount_usd is null then 1 else 0 end) as events_missing_usd

    from revenue_events
    -- a master has one artist: grouping by it does not split the grain
    group by revenue_month, master_id, source_type, currency, artist_id

)

select * from monthly
-- stored in the dashboard's access order, so one artist's months share a few pages
order by artist_id, revenue_month
