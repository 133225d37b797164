{{
    config(
        materialized='incremental',
        incremental_strategy=event_incremental_strategy(),
        unique_key='tx_hash',
        window_column='block_timestamp',
        partition_by='activity_date',
        on_schema_change='fail',
        indexes=[
            {'columns': ['tx_hash'], 'unique': true},
            {'columns': ['liquidity_pool_id', 'activity_date']},
        ],
    )
}}

{#- Every Artist Coin pool event (swap, liquidity added or removed), one row per
    pool_events row.  Stored once per tx_hash (INV-06: the table has no log index). -#}

with

pool_events as (

    select * from {{ ref('stg_oltp__pool_events') }}
    where {{ event_window_filter('block_timestamp') }}

),

final as (

    select
        -- ids
        pool_event_id,
        liquidity_pool_id,
        artist_token_id,
        -- strings
        chain_id,
        pool_address,
        tx_hash,
        sender,
        recipient,
        event_type,
        -- numerics
        block_number,
        amount0,
        amount1,
        amount_usd,
        -- timestamps
        {{ utc_date('block_timestamp') }} as activity_date,
        block_timestamp,
        created_at

    from pool_events

)

select * from final
