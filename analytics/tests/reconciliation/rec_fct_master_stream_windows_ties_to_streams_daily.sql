{{ config(severity='error', tags=['reconciliation']) }}

{#- Per window of var('top_masters_window_days') and platform scope: Σ streams and the number
    of masters with streams equal fct_streams_daily's over the same days ('all' = every
    platform).  A failing row names the window and scope whose chart is off. -#}
{%- set last_day = last_loaded_stream_date() -%}

{% for days in var('top_masters_window_days') %}
{%- set mart -%}
    (select * from {{ ref('fct_master_stream_windows') }} where window_days = {{ days }}) as mart
{%- endset -%}
{%- set daily -%}
    (select * from {{ ref('fct_streams_daily') }}
     where streams > 0
        and stream_date > cast({{ dbt.dateadd('day', -1 * days, last_day) }} as date))
{%- endset -%}
{%- set source_rows -%}
    (select platform as platform_scope, master_id, streams from {{ daily }} as by_platform
     union all
     select 'all' as platform_scope, master_id, streams from {{ daily }} as every_platform)
    as source_rows
{%- endset -%}
{% if not loop.first %}union all{% endif %}
select '{{ days }} days: ' || group_key as group_key, mart_total, source_total, mart_rows, source_rows
from (
{{ test_no_fanout(model=mart, column='streams', source_model=source_rows, source_column='streams',
    group_by=['platform_scope'],
    source_count_expression='count(distinct master_id)') }}
) as window_{{ days }}
{% endfor %}
