{#- Models land in exactly the schema their folder names (staging, intermediate, marts,
    marts_finance, test_failures): the replica's schemas are created and owned up front by
    `audifi up`, and analysts' grants are per schema, so no target prefix. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
