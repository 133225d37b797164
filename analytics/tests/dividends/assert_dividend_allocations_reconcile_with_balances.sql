{{ config(tags=['reconciliation']) }}

{#- marts.md: Σ fct_dividend_allocations.allocated per (wallet, contract) equals the indexer's
    wallet_dividend_balances.total_earned, to the base unit.  Compared per (wallet, contract,
    master, chain, currency) for per_master contracts (the only ones allocated per token);
    a pair on one side only counts as 0 on the other.  Returns the pairs that differ. -#}

with

allocated as (

    select
        wallet_address,
        dividend_contract_id,
        master_id,
        chain_id,
        currency,
        sum(allocated) as allocated
    from {{ ref('fct_dividend_allocations') }}
    group by wallet_address, dividend_contract_id, master_id, chain_id, currency

),

earned as (

    select
        wallets.wallet_address,
        wallets.dividend_contract_id,
        wallets.master_id,
        wallets.chain_id,
        wallets.currency,
        wallets.total_earned
    from {{ ref('fct_wallet_dividends') }} as wallets
    inner join {{ ref('stg_oltp__dividend_contracts') }} as contracts
        on wallets.dividend_contract_id = contracts.dividend_contract_id
    where contracts.distribution_model = 'per_master'

)

select
    coalesce(allocated.wallet_address, earned.wallet_address) as wallet_address,
    coalesce(allocated.dividend_contract_id, earned.dividend_contract_id) as dividend_contract_id,
    coalesce(allocated.master_id, earned.master_id) as master_id,
    coalesce(allocated.chain_id, earned.chain_id) as chain_id,
    coalesce(allocated.currency, earned.currency) as currency,
    coalesce(allocated.allocated, 0) as allocated,
    coalesce(earned.total_earned, 0) as total_earned
from allocated
full outer join earned
    on allocated.wallet_address = earned.wallet_address
    and allocated.dividend_contract_id = earned.dividend_contract_id
    and allocated.master_id = earned.master_id
    and allocated.chain_id = earned.chain_id
    and allocated.currency = earned.currency
where coalesce(allocated.allocated, 0) <> coalesce(earned.total_earned, 0)
