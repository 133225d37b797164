{{ config(severity='error', tags=['reconciliation']) }}

{#- One mart row per revenue event; Σ amount and Σ amount_usd per currency equal the source's. -#}
select * from (
{{ test_no_fanout(
    model=ref('fct_revenue_events'), column='amount',
    source_model=ref('stg_oltp__revenue_events'), source_column='amount',
    group_by=['currency']) }}
) as check_1

union all
select * from (
{{ test_no_fanout(
    model=ref('fct_revenue_events'), column='amount_usd',
    source_model=ref('stg_oltp__revenue_events'), source_column='amount_usd',
    group_by=['currency']) }}
) as check_2
