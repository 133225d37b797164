{#- A mart must not multiply its source rows: per group (always including the currency or
    unit), the mart's sum of `column` equals the source's sum of `source_column`, and the
    mart's row count (or `count_expression`) equals the source's.  A failing row is a group
    whose sums or counts differ (group_key: the group's values joined by " | "), so several
    checks can be stacked with union all; look for a join to a one-to-many child made before
    aggregating (analytics-notes.md §3.1). -#}
{% test no_fanout(
        model, column, source_model, source_column, group_by=[],
        where='1 = 1', source_where='1 = 1',
        count_expression=none, source_count_expression=none) %}

    {%- set groups = group_by | join(', ') %}

    with

    mart as (

        select
            {% if groups %}{{ groups }},{% endif %}
            sum({{ column }}) as total,
            {{ count_expression or 'count(*)' }} as row_count
        from {{ model }}
        where {{ where }}
        {% if groups %}group by {{ groups }}{% endif %}

    ),

    source_rows as (

        select
            {% if groups %}{{ groups }},{% endif %}
            sum({{ source_column }}) as total,
            {{ source_count_expression or 'count(*)' }} as row_count
        from {{ source_model }}
        where {{ source_where }}
        {% if groups %}group by {{ groups }}{% endif %}

    )

    select
        {% for g in group_by -%}
        cast(coalesce(mart.{{ g }}, source_rows.{{ g }}) as {{ dbt.type_string() }})
        {%- if not loop.last %} || ' | ' || {% endif %}
        {%- else -%}
        'all rows'
        {%- endfor %} as group_key,
        mart.total as mart_total,
        source_rows.total as source_total,
        mart.row_count as mart_rows,
        source_rows.row_count as source_rows
    from mart
    full outer join source_rows
        on {% for g in group_by %}mart.{{ g }} = source_rows.{{ g }}{% if not loop.last %} and {% endif %}{% else %}1 = 1{% endfor %}
    where mart.total is distinct from source_rows.total
        or mart.row_count is distinct from source_rows.row_count

{% endtest %}
