{{ config(severity='error', tags=['reconciliation']) }}

{#- Σ event_count = source rows and Σ amount / Σ amount_usd per currency = the source's. -#}
select * from (
{{ test_no_fanout(
    model=ref('fct_revenue_monthly'), column='amount',
    source_model=ref('stg_oltp__revenue_events'), source_column='amount',
    group_by=['currency'], count_expression='sum(event_count)') }}
) as check_1

union all
select * from (
{{ test_no_fanout(
    model=ref('fct_revenue_monthly'), column='amount_usd',
    source_model=ref('stg_oltp__revenue_events'), source_column='coalesce(amount_usd, 0)',
    group_by=['currency'], count_expression='sum(event_count)') }}
) as check_2
