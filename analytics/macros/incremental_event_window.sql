{#- Incremental loading of the big event tables: one choice, made here.

    Each incremental event model re-reads the last var('incremental_lookback_days') days before
    its newest loaded row (by the model's `window_column`) and *replaces* that window in the
    target: late rows arrive, and rows deleted on the primary (a chain reorg, INV-40) leave.
    A run after new data therefore equals a full refresh, as long as rows change only inside
    the window.

    Models use:
        config(materialized='incremental', incremental_strategy=event_incremental_strategy(),
               unique_key=[...natural key...], window_column='block_timestamp')
        ... where {{ event_window_filter('block_timestamp') }}
-#}

{% macro event_incremental_strategy() -%}
    {{ return(adapter.dispatch('event_incremental_strategy', 'audifi')()) }}
{%- endmacro %}

{% macro default__event_incremental_strategy() -%}
    {{ return('event_window') }}
{%- endmacro %}

{#- Spark tables are Parquet (no Delta: no merge, no delete): the window's date partitions
    are overwritten instead (dbt-spark sets partitionOverwriteMode=dynamic). -#}
{% macro spark__event_incremental_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{#- Start of the window to replace: lookback days before the newest loaded row. -#}
{% macro event_window_start(window_column, relation=this) -%}
    {{ return(adapter.dispatch('event_window_start', 'audifi')(window_column, relation)) }}
{%- endmacro %}

{#- Spark overwrites whole date partitions (`partition_by` = the UTC date of window_column), so
    its window starts at midnight: the first day it replaces is re-read in full. -#}
{% macro spark__event_window_start(window_column, relation) -%}
    cast(cast({{ default__event_window_start(window_column, relation) }} as date) as timestamp)
{%- endmacro %}

{% macro default__event_window_start(window_column, relation) -%}
    {%- set newest -%}
        coalesce(
            (select max({{ window_column }}) from {{ relation }}),
            cast('1900-01-01' as {{ dbt.type_timestamp() }})
        )
    {%- endset -%}
    {{ dbt.dateadd('day', -1 * var('incremental_lookback_days'), newest) }}
{%- endmacro %}

{#- The model's own filter: everything on a full build, the window on an incremental one. -#}
{% macro event_window_filter(window_column) -%}
    {%- if is_incremental() -%}
        {{ window_column }} >= {{ event_window_start(window_column) }}
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- Custom strategy `event_window`: delete the window from the target, insert what the model
    selected for it.  Both statements run in the materialization's transaction, and the window
    start is evaluated before the delete, exactly as the model's filter saw it. -#}
{% macro get_incremental_event_window_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set window_column = config.require('window_column') -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where {{ window_column }} >= {{ event_window_start(window_column, target) }};

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }};
{%- endmacro %}
