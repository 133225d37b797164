{#- The grain test: no two rows share the same values of `combination` (a list of columns).
    A failing row is one duplicated grain key with the number of rows that share it: look for
    a join that fans out upstream, or a source duplicate the model did not collapse. -#}
{% test unique_combination(model, combination) %}

select
    {{ combination | join(', ') }},
    count(*) as rows_sharing_the_key
from {{ model }}
group by {{ combination | join(', ') }}
having count(*) > 1

{% endtest %}
