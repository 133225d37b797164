{#- The revenue pipeline, once: every revenue event with its artist, its revenue month and
    how long it took from receipt to verification and from verification to deposit. -#}

with

revenue_events as (

    select * from {{ ref('stg_oltp__revenue_events') }}

),

masters as (

    select
        master_id,
        artist_id
    from {{ ref('stg_oltp__masters') }}

),

enriched as (

    select
        -- ids
        revenue_events.revenue_event_id,
        revenue_events.master_id,
        masters.artist_id,
        revenue_events.deposited_to_contract_id,
        -- strings
        revenue_events.source_type,
        revenue_events.source_name,
        revenue_events.status,
        revenue_events.currency,
        revenue_events.deposit_tx_hash,
        -- numerics
        revenue_events.amount,
        revenue_events.amount_usd,
        -- revenue month: the period the revenue is for, else when it was recorded (marts.md)
        {{ utc_month('coalesce(revenue_events.period_start, revenue_events.created_at)') }}
            as revenue_month,
        -- lags in hours, from whole seconds (dbt.datediff), null while the later step is open
        cast(
            cast(
                {{ dbt.datediff('revenue_events.created_at', 'revenue_events.verified_at', 'second') }}
                as numeric(38, 10)
            ) / 3600
            as {{ dbt.type_numeric() }}
        ) as hours_to_verify,
        cast(
            cast(
                {{ dbt.datediff('revenue_events.verified_at', 'revenue_events.deposited_at', 'second') }}
                as numeric(38, 10)
            ) / 3600
            as {{ dbt.type_numeric() }}
        ) as hours_to_deposit,
        -- timestamps
        revenue_events.period_start,
        revenue_events.period_end,
        revenue_events.created_at,
        revenue_events.verified_at,
        revenue_events.deposited_at

    from revenue_events
    -- left join: an event whose master is missing keeps its row and fails the artist test
    left join masters on revenue_events.master_id = masters.master_id

)

select * from enriched
