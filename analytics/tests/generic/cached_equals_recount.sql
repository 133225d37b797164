{#- A cached value on a parent row must equal its recount from the child rows ([derived]
    columns, invariants.md §C).  A failing row is a parent whose `cached_value` differs from
    `recount`.

    Arguments (SQL expressions, evaluated on the parent or the child):
      key_column / child_key   how a child row belongs to its parent
      cached_column            the cached value on the parent
      recount                  aggregate over the children (default count(*)); parents
                               without children compare with `empty_value` (default 0)
      child_where              which children count
      compare                  the relation that must hold: cached_value <compare> recount
      parent_unsettled / child_unsettled
                               when the parent row / a child row is still unsettled
                               (macros/settled_data.sql); `settled` picks the rows:
                               none = all (hard rules), true = settled, false = unsettled -#}
{% test cached_equals_recount(
        model, key_column, cached_column, child_model, child_key,
        recount='count(*)', child_where='1 = 1', compare='=', empty_value='0',
        parent_unsettled='1 = 0', child_unsettled='1 = 0', settled=none) %}

    with

    parents as (

        select
            {{ key_column }} as parent_key,
            {{ cached_column }} as cached_value,
            case when {{ parent_unsettled }} then 1 else 0 end as parent_unsettled
        from {{ model }}

    ),

    children as (

        select
            {{ child_key }} as parent_key,
            {{ recount }} as recount,
            max(case when {{ child_unsettled }} then 1 else 0 end) as child_unsettled
        from {{ child_model }}
        where {{ child_where }}
        group by {{ child_key }}

    ),

    compared as (

        select
            parents.parent_key as {{ key_column }},
            parents.cached_value,
            coalesce(children.recount, {{ empty_value }}) as recount,
            greatest(parents.parent_unsettled, coalesce(children.child_unsettled, 0)) = 0
                as is_settled
        from parents
        left join children
            on parents.parent_key = children.parent_key

    )

    select * from compared
    where not coalesce(cached_value {{ compare }} recount, false)
    {%- if settled is not none %}
        and is_settled = {{ 'true' if settled else 'false' }}
    {%- endif %}

{% endtest %}
