{#- Money in and out of each Dividend Contract, per currency: deposited, distributed and
    claimed, each summed from its own source before the join (no fan-out), never across
    currencies. -#}

with

events as (

    select * from {{ ref('int_dividends__events') }}

),

claims as (

    select * from {{ ref('stg_oltp__dividend_claims') }}

),

contracts as (

    select * from {{ ref('stg_oltp__dividend_contracts') }}

),

event_totals as (

    select
        dividend_contract_id,
        currency,
        sum(case when event_type = 'deposit' then total_amount else 0 end) as deposited,
        sum(case when event_type = 'distribution' then total_amount else 0 end) as distributed,
        sum(case when event_type = 'deposit' then 1 else 0 end) as deposit_count,
        sum(case when event_type = 'distribution' then 1 else 0 end) as distribution_count
    from events
    where event_type in ('deposit', 'distribution')
    group by dividend_contract_id, currency

),

claim_totals as (

    select
        dividend_contract_id,
        currency,
        sum(amount_claimed) as claimed,
        count(*) as claim_count
    from claims
    group by dividend_contract_id, currency

),

contract_currencies as (

    select
        dividend_contract_id,
        currency
    from event_totals
    union
    select
        dividend_contract_id,
        currency
    from claim_totals

),

final as (

    select
        -- grain
        contract_currencies.dividend_contract_id,
        contract_currencies.currency,
        -- ids
        contracts.master_id,
        contracts.artist_id,
        -- strings
        contracts.distribution_model,
        contracts.chain_id,
        contracts.contract_address,
        -- numerics
        coalesce(event_totals.deposited, 0) as deposited,
        coalesce(event_totals.distributed, 0) as distributed,
        coalesce(claim_totals.claimed, 0) as claimed,
        coalesce(event_totals.deposited, 0) - coalesce(event_totals.distributed, 0)
            as undistributed,
        coalesce(event_totals.distributed, 0) - coalesce(claim_totals.claimed, 0)
            as unclaimed_liability,
        coalesce(event_totals.deposit_count, 0) as deposit_count,
        coalesce(event_totals.distribution_count, 0) as distribution_count,
        coalesce(claim_totals.claim_count, 0) as claim_count

    from contract_currencies
    inner join contracts
        on contract_currencies.dividend_contract_id = contracts.dividend_contract_id
    left join event_totals
        on
            contract_currencies.dividend_contract_id = event_totals.dividend_contract_id
            and contract_currencies.currency = event_totals.currency
    left join claim_totals
        on
            contract_currencies.dividend_contract_id = claim_totals.dividend_contract_id
            and contract_currencies.currency = claim_totals.currency

)

select * from final
