{#- Wallets, contract addresses and tx hashes are stored as received (analytics-notes §5);
    compare them lower-cased everywhere.  The one place that says how. -#}
{% macro normalize_address(column) -%}
    lower({{ column }})
{%- endmacro %}
