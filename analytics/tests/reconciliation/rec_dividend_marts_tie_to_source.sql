{{ config(severity='error', tags=['reconciliation']) }}

{#- Per currency: contract balances' deposited / distributed / claimed = Σ of the deposit /
    distribution events and claims; one distribution row per distribution event with the
    same Σ total_amount; one wallet row per balance row with the same Σ total_earned. -#}
{%- set events = ref('stg_oltp__dividend_events') -%}
{%- set deposits -%}
    (select * from {{ events }} where event_type = 'deposit') as source_rows
{%- endset -%}
{%- set distributions -%}
    (select * from {{ events }} where event_type = 'distribution') as source_rows
{%- endset -%}

select * from (
{{ test_no_fanout(model=ref('fct_dividend_contract_balances'), column='deposited',
    source_model=deposits, source_column='total_amount', group_by=['currency'],
    count_expression='sum(deposit_count)') }}
) as check_1

union all
select * from (
{{ test_no_fanout(model=ref('fct_dividend_contract_balances'), column='distributed',
    source_model=distributions, source_column='total_amount', group_by=['currency'],
    count_expression='sum(distribution_count)') }}
) as check_2

union all
select * from (
{{ test_no_fanout(model=ref('fct_dividend_contract_balances'), column='claimed',
    source_model=ref('stg_oltp__dividend_claims'), source_column='amount_claimed',
    group_by=['currency'], count_expression='sum(claim_count)') }}
) as check_3

union all
select * from (
{{ test_no_fanout(model=ref('fct_dividend_distributions'), column='total_amount',
    source_model=distributions, source_column='total_amount', group_by=['currency']) }}
) as check_4

union all
select * from (
{{ test_no_fanout(model=ref('fct_wallet_dividends'), column='total_earned',
    source_model=ref('stg_oltp__wallet_dividend_balances'), source_column='total_earned',
    group_by=['currency']) }}
) as check_5
