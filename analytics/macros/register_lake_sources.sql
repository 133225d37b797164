{#- Spark target only (on-run-start): the OLTP tables written to Parquet by `audifi spark
    export` become Spark tables named as on PostgreSQL (`oltp.<table>`), so source() resolves on
    both targets.  Each table is registered again on every run, so a new export is seen. -#}
{% macro register_lake_sources() -%}
    {%- if target.type != 'spark' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set lake = env_var('AUDIFI_SPARK_LAKE', '') -%}
    {%- if not lake -%}
        {{ exceptions.raise_compiler_error(
            'AUDIFI_SPARK_LAKE is not set: run `audifi spark export`, then `audifi spark build`') }}
    {%- endif -%}
    {%- set schema = env_var('AUDIFI_DBT_SOURCE_SCHEMA', 'oltp') -%}
    {#- "table" or "table:partition_column", comma-separated: set from the export's manifest -#}
    {%- set tables = env_var('AUDIFI_SPARK_LAKE_TABLES', '').split(',') | reject('equalto', '') -%}
    {%- do run_query('create database if not exists ' ~ schema) -%}
    {%- for entry in tables -%}
        {%- set name = entry.split(':')[0] -%}
        {%- set partitioned = entry.split(':')[1] if ':' in entry else none -%}
        {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ name) -%}
        {%- call statement('register_' ~ name) -%}
            create table {{ schema }}.{{ name }}
            using parquet
            location '{{ lake }}/{{ name }}'
        {%- endcall -%}
        {#- Spark infers the lake_date=… partitions; the catalog learns them here -#}
        {%- if partitioned -%}
            {%- do run_query('msck repair table ' ~ schema ~ '.' ~ name) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
