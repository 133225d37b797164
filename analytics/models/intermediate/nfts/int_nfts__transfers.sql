{{
    config(
        materialized='incremental',
        incremental_strategy=event_incremental_strategy(),
        unique_key=['tx_hash', 'log_index'],
        window_column='block_timestamp',
        partition_by='transfer_date',
        on_schema_change='fail',
        indexes=[
            {'columns': ['tx_hash', 'log_index'], 'unique': true},
            {'columns': ['block_timestamp']},
            {'columns': ['master_nft_id', 'block_number', 'log_index']},
            {'columns': ['master_id']},
        ],
    )
}}

{#- Every indexed NFT transfer (mints, transfers, sales, burns), one row per on-chain log.
    Incremental on block_timestamp: late rows arrive and reorged rows leave (INV-40). -#}

with

transfers as (

    select * from {{ ref('stg_oltp__nft_transfers') }}
    where {{ event_window_filter('block_timestamp') }}

),

final as (

    select
        -- keys
        tx_hash,
        log_index,
        -- ids
        nft_transfer_id,
        master_nft_id,
        master_id,
        -- strings
        chain_id,
        contract_address,
        from_wallet,
        to_wallet,
        transfer_type,
        sale_currency,
        marketplace,
        royalty_recipient,
        -- numerics
        token_id,
        block_number,
        sale_price_wei,
        royalty_paid_wei,
        -- timestamps
        {{ utc_date('block_timestamp') }} as transfer_date,
        block_timestamp,
        created_at

    from transfers

)

select * from final
