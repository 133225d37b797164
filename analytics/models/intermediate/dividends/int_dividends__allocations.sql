{{
    config(
        materialized='table',
        indexes=[
            {'columns': ['distribution_event_id', 'wallet_address'], 'unique': true},
            {'columns': ['wallet_address']},
        ],
    )
}}

{#- Each holder's share of each distribution of a per_master Dividend Contract (marts.md,
    fct_dividend_allocations): the tokens of the contract's master, on the contract's chain,
    held by the wallet just before the distribution (macro held_at_position; ZERO excluded),
    times the distribution's per_token_amount, in exact base units. -#}

with

events as (

    select * from {{ ref('int_dividends__events') }}

),

contracts as (

    select * from {{ ref('stg_oltp__dividend_contracts') }}

),

ownership as (

    select * from {{ ref('int_nfts__ownership_intervals') }}

),

distributions as (

    select
        events.dividend_event_id,
        events.dividend_contract_id,
        contracts.master_id,
        events.chain_id,
        events.currency,
        events.block_number,
        events.log_index,
        events.block_timestamp,
        events.per_token_amount
    from events
    inner join contracts
        on events.dividend_contract_id = contracts.dividend_contract_id
    where
        events.event_type = 'distribution'
        and contracts.distribution_model = 'per_master'

),

holdings as (

    select
        distributions.dividend_event_id,
        ownership.holder_wallet,
        count(*) as tokens_held
    from distributions
    inner join ownership
        on
            distributions.master_id = ownership.master_id
            and distributions.chain_id = ownership.chain_id
            and {{ held_at_position('ownership', 'distributions.block_number', 'distributions.log_index') }}
    where ownership.holder_wallet <> '{{ var("zero_address") }}'
    group by
        distributions.dividend_event_id,
        ownership.holder_wallet

),

final as (

    select
        -- grain
        distributions.dividend_event_id as distribution_event_id,
        holdings.holder_wallet as wallet_address,
        -- ids
        distributions.dividend_contract_id,
        distributions.master_id,
        -- strings
        distributions.chain_id,
        distributions.currency,
        -- numerics
        distributions.block_number,
        distributions.log_index,
        holdings.tokens_held,
        distributions.per_token_amount,
        holdings.tokens_held * distributions.per_token_amount as allocated,
        -- timestamps
        distributions.block_timestamp

    from distributions
    inner join holdings
        on distributions.dividend_event_id = holdings.dividend_event_id

)

select * from final
