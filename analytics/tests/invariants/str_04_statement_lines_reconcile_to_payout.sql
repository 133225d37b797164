{{ config(severity='error', tags=['invariant', 'hard', 'streaming']) }}

{#- Payouts whose amount_usd is not known yet (e.g. pending) are not compared. -#}
select
    revenue.revenue_event_id,
    revenue.amount_usd,
    sum(lines.royalty_amount_usd) as lines_usd,
    min(lines.report_date) as first_report_date,
    max(lines.report_date) as last_report_date
from {{ ref('stg_oltp__revenue_events') }} as revenue
inner join {{ ref('stg_oltp__dsp_stream_reports') }} as lines
    on lines.revenue_event_id = revenue.revenue_event_id
where revenue.source_type = 'distributor'
group by revenue.revenue_event_id, revenue.amount_usd, revenue.period_start, revenue.period_end
having round(sum(lines.royalty_amount_usd), 2) <> round(revenue.amount_usd, 2)
    or min(lines.report_date) < {{ utc_date('revenue.period_start') }}
    or max(lines.report_date) > {{ utc_date('revenue.period_end') }}
