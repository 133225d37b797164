{#- Uniqueness on exactly a model's grain: no two rows share the same values of
    `combination_of_columns` (dbt core's `unique` takes one column only, and the project uses
    no hub packages).  Returns one row per duplicated key, with how often it occurs. -#}
{% test unique_combination(model, combination_of_columns) %}

    {%- set columns = combination_of_columns | join(', ') %}

    select
        {{ columns }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns }}
    having count(*) > 1

{% endtest %}
