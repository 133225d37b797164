{{
    config(
        indexes=[
            {'columns': ['revenue_event_id'], 'unique': true},
            {'columns': ['artist_id', 'revenue_month']},
            {'columns': ['master_id', 'revenue_month']},
            {'columns': ['status']},
        ],
    )
}}

{#- One row per revenue event, as the revenue pipeline (int_revenue__events) shapes it. -#}

with

revenue_events as (

    select * from {{ ref('int_revenue__events') }}

)

select
    revenue_event_id,
    master_id,
    artist_id,
    source_type,
    source_name,
    status,
    amount,
    currency,
    amount_usd,
    revenue_month,
    period_start,
    period_end,
    created_at,
    verified_at,
    deposited_at,
    hours_to_verify,
    hours_to_deposit,
    deposited_to_contract_id,
    deposit_tx_hash
from revenue_events
