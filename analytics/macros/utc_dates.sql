{#- Every date, week and month of the marts is a UTC calendar date (marts.md, Time), whatever
    the session's time zone.  These macros are the one place that says how. -#}

{% macro utc_date(timestamp_column) -%}
    {{ return(adapter.dispatch('utc_date', 'audifi')(timestamp_column)) }}
{%- endmacro %}

{% macro default__utc_date(timestamp_column) -%}
    cast(({{ timestamp_column }} at time zone 'UTC') as date)
{%- endmacro %}

{#- Spark timestamps are instants; the spark target's session time zone is UTC (profiles.yml),
    and to_utc_timestamp keeps this right should a session run in another zone. -#}
{% macro spark__utc_date(timestamp_column) -%}
    cast(to_utc_timestamp({{ timestamp_column }}, current_timezone()) as date)
{%- endmacro %}

{#- First day of the UTC month of a timestamp or date. -#}
{% macro utc_month(column, is_date=false) -%}
    {%- set day = column if is_date else utc_date(column) -%}
    cast({{ dbt.date_trunc('month', day) }} as date)
{%- endmacro %}

{#- ISO week start (Monday) of a date. -#}
{% macro iso_week_start(date_column) -%}
    cast({{ dbt.date_trunc('week', date_column) }} as date)
{%- endmacro %}
