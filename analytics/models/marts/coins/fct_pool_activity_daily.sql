{#- Daily activity of each Artist Coin pool, per event type.  Token amounts stay in each
    pool token's base units (numeric(78,0)); they are summed only within one pool, where
    amount0 and amount1 always denote the same two tokens. -#}

with

pool_events as (

    select * from {{ ref('int_coins__pool_events') }}

),

pools as (

    select
        liquidity_pool_id,
        token0_symbol,
        token1_symbol
    from {{ ref('stg_oltp__liquidity_pools') }}

),

daily as (

    select
        activity_date,
        liquidity_pool_id,
        artist_token_id,
        chain_id,
        event_type,
        count(*) as events,
        count(distinct sender) as distinct_senders,
        sum(amount0) as amount0,
        sum(amount1) as amount1,
        sum(amount_usd) as amount_usd,
        sum(case when amount_usd is null then 1 else 0 end) as events_missing_usd
    from pool_events
    group by activity_date, liquidity_pool_id, artist_token_id, chain_id, event_type

)

select
    daily.activity_date,
    daily.liquidity_pool_id,
    daily.artist_token_id,
    daily.chain_id,
    daily.event_type,
    pools.token0_symbol,
    pools.token1_symbol,
    daily.events,
    daily.distinct_senders,
    daily.amount0,
    daily.amount1,
    daily.amount_usd,
    daily.events_missing_usd
from daily
left join pools on daily.liquidity_pool_id = pools.liquidity_pool_id
