{{
    config(
        materialized='table',
        indexes=[
            {'columns': ['nft_transfer_id'], 'unique': true},
            {'columns': ['master_id', 'chain_id', 'from_block_number']},
            {'columns': ['holder_wallet']},
        ],
    )
}}

{#- Who held each token when: one row per transfer, the receiver holding the token from that
    transfer's (block_number, log_index) until the token's next transfer (null: still holds).
    Burns give an interval held by ZERO; users of this model exclude ZERO themselves.  Ask
    "who held it at point P" with macro held_at_position. -#}

with

transfers as (

    select * from {{ ref('int_nfts__transfers') }}

),

intervals as (

    select
        -- ids
        nft_transfer_id,
        master_nft_id,
        master_id,
        -- strings
        chain_id,
        contract_address,
        to_wallet as holder_wallet,
        transfer_type as acquired_by,
        -- numerics
        token_id,
        block_number as from_block_number,
        log_index as from_log_index,
        lead(block_number) over token_history as until_block_number,
        lead(log_index) over token_history as until_log_index,
        -- timestamps
        block_timestamp as from_block_timestamp,
        lead(block_timestamp) over token_history as until_block_timestamp

    from transfers
    -- tx_hash only makes the order total if two logs ever share a position
    window token_history as (partition by master_nft_id order by block_number, log_index, tx_hash)

),

final as (

    select
        *,
        until_block_number is null as is_current
    from intervals

)

select * from final
