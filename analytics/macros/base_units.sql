{#- The SQL type of a base-unit / wei amount: numeric(78,0) on PostgreSQL (exact, uint256).
    Spark decimals stop at 38 digits: decimal(38,0) there, guarded by the fits_decimal_38
    test on the sources so no longer value is ever cast (it would become NULL). -#}
{% macro base_units_type() -%}
    {{ return(adapter.dispatch('base_units_type', 'audifi')()) }}
{%- endmacro %}

{% macro default__base_units_type() -%}
    numeric(78, 0)
{%- endmacro %}

{% macro spark__base_units_type() -%}
    decimal(38, 0)
{%- endmacro %}
