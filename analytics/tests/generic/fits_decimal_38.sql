{#- Base-unit amounts are numeric(78,0) on PostgreSQL, but Spark decimals stop at 38 digits and
    dbt-spark runs with ANSI mode off, where an overflowing cast gives NULL without a word.
    `audifi spark export` writes a column holding a longer value as text; this test returns
    every such value, so the Spark build stops here (error) instead of computing on NULLs.
    On PostgreSQL the value is exact and legal: the test warns that Spark could not take it. -#}
{% test fits_decimal_38(model, column_name) %}
    {{ config(severity=('error' if target.type == 'spark' else 'warn')) }}

    select {{ column_name }} as amount
    from {{ model }}
    where length(
        replace(cast({{ column_name }} as {{ dbt.type_string() }}), '-', '')
    ) > 38
{% endtest %}
