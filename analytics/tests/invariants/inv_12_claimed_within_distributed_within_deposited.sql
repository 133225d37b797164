{{ config(severity='error', tags=['invariant', 'hard']) }}

{#- Claims are summed per contract and currency (never across currencies). -#}
with

claims as (
    select dividend_contract_id, currency, sum(amount_claimed) as claimed
    from {{ ref('stg_oltp__dividend_claims') }}
    group by dividend_contract_id, currency
)

select
    contracts.dividend_contract_id,
    claims.currency,
    claims.claimed,
    contracts.total_dividends_distributed,
    contracts.total_revenue_deposited
from {{ ref('stg_oltp__dividend_contracts') }} as contracts
left join claims
    on claims.dividend_contract_id = contracts.dividend_contract_id
where claims.claimed > coalesce(contracts.total_dividends_distributed, 0)
    or coalesce(contracts.total_dividends_distributed, 0)
    > coalesce(contracts.total_revenue_deposited, 0)
