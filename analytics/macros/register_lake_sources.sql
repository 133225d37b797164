{#- Spark target only (on-run-start): the OLTP tables written to Parquet by `audifi spark
    export` become Spark tables named as on PostgreSQL (`oltp.<table>`), so source() resolves on
    both targets.

    AUDIFI_SPARK_LAKE_TABLES lists `table=version` (set from the export's manifest; the version
    changes with the table's location or columns).  A table registered with the same version is
    only refreshed, so files a new export added (new day partitions, an append-only table's new
    rows) are seen; any other is dropped and created again.  The day partitions (lake_date=…)
    are found by listing the folders when a query reads them (profiles.yml sets
    spark.sql.hive.manageFilesourcePartitions=false): nothing to repair after an export. -#}
{% macro register_lake_sources() -%}
    {%- if target.type != 'spark' or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set lake = env_var('AUDIFI_SPARK_LAKE', '') -%}
    {%- if not lake -%}
        {{ exceptions.raise_compiler_error(
            'AUDIFI_SPARK_LAKE is not set: run `audifi spark export`, then `audifi spark build`') }}
    {%- endif -%}
    {%- set schema = env_var('AUDIFI_DBT_SOURCE_SCHEMA', 'oltp') -%}
    {%- set tables = env_var('AUDIFI_SPARK_LAKE_TABLES', '').split(',') | reject('equalto', '') -%}
    {%- do run_query('create database if not exists ' ~ schema) -%}
    {%- set existing = run_query('show tables in ' ~ schema).columns['tableName'].values()
                       | map('lower') | list -%}
    {%- for entry in tables -%}
        {%- set name, version = entry.split('=') -%}
        {%- set registered = none -%}
        {%- if name | lower in existing -%}
            {%- set props = run_query('show tblproperties ' ~ schema ~ '.' ~ name
                                      ~ " ('audifi.lake_version')") -%}
            {%- set registered = props.rows[0][1] if props.rows | length > 0 else none -%}
        {%- endif -%}
        {%- if registered == version -%}
            {%- do run_query('refresh table ' ~ schema ~ '.' ~ name) -%}
        {%- else -%}
            {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ name) -%}
            {%- call statement('register_' ~ name) -%}
                create table {{ schema }}.{{ name }}
                using parquet
                location '{{ lake }}/{{ name }}'
                tblproperties ('audifi.lake_version' = '{{ version }}')
            {%- endcall -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
