{#- The streaming marts' "today": the newest stream_date loaded into fct_streams_daily (the
    data's last day, never the clock).  Rolling windows and top charts end on it. -#}
{% macro last_loaded_stream_date() -%}
    (select max(stream_date) from {{ ref('fct_streams_daily') }})
{%- endmacro %}
