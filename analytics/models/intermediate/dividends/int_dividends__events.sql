{{
    config(
        materialized='incremental',
        incremental_strategy=event_incremental_strategy(),
        unique_key=['tx_hash', 'log_index'],
        window_column='block_timestamp',
        partition_by='event_date',
        on_schema_change='fail',
        indexes=[
            {'columns': ['tx_hash', 'log_index'], 'unique': true},
            {'columns': ['dividend_event_id'], 'unique': true},
            {'columns': ['block_timestamp']},
            {'columns': ['dividend_contract_id', 'event_type']},
        ],
    )
}}

{#- Every indexed Dividend Contract event (deposit, distribution, claim), one row per on-chain
    log.  Incremental on block_timestamp: late rows arrive and reorged rows leave (INV-40). -#}

with

events as (

    select * from {{ ref('stg_oltp__dividend_events') }}
    where {{ event_window_filter('block_timestamp') }}

),

final as (

    select
        -- keys
        tx_hash,
        log_index,
        -- ids
        dividend_event_id,
        dividend_contract_id,
        master_id,
        revenue_event_id,
        -- strings
        event_type,
        chain_id,
        contract_address,
        currency,
        claimant_wallet,
        -- numerics
        block_number,
        total_amount,
        per_token_amount,
        total_holders_at_distribution,
        claimant_token_id,
        -- timestamps
        {{ utc_date('block_timestamp') }} as event_date,
        block_timestamp,
        created_at

    from events

)

select * from final
