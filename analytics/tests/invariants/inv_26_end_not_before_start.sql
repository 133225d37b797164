{{ config(severity='error', tags=['invariant', 'hard']) }}

{#- rate_limits is not replicated (restricted table): its window is checked by the primary's
    CHECK constraint only (see the coverage table). -#}
{%- set windows = [
    ('revenue_events', 'revenue_event_id', 'period_start', 'period_end'),
    ('invoices', 'invoice_id', 'period_start', 'period_end'),
    ('subscriptions', 'subscription_id', 'current_period_start', 'current_period_end'),
    ('subscriptions', 'subscription_id', 'trial_start', 'trial_end'),
    ('master_ipos', 'master_ipo_id', 'scheduled_start_at', 'scheduled_end_at'),
    ('master_ipos', 'master_ipo_id', 'actual_start_at', 'actual_end_at'),
    ('vstudio_sessions', 'vstudio_session_id', 'scheduled_start_at', 'scheduled_end_at'),
    ('vstudio_sessions', 'vstudio_session_id', 'actual_start_at', 'actual_end_at'),
    ('vstudio_decision_points', 'vstudio_decision_point_id', 'start_time', 'end_time'),
] %}

{% for table, key, start_column, end_column in windows %}
select
    '{{ table }}' as offending_table,
    cast({{ key }} as {{ dbt.type_string() }}) as offending_id,
    '{{ end_column }} < {{ start_column }}' as problem
from {{ ref('stg_oltp__' ~ table) }}
where {{ end_column }} < {{ start_column }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
