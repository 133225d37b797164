{#- A stored running total on a parent equals the sum of a child amount (e.g. a dividend
    contract's total_revenue_deposited = Σ its deposit events).  A thin case of
    cached_equals_recount: a failing row is a parent whose total differs from the sum. -#}
{% test sums_to(
        model, key_column, total_column, child_model, child_key, child_column,
        child_where='1 = 1', parent_unsettled='1 = 0', child_unsettled='1 = 0', settled=none) %}

    {{ test_cached_equals_recount(
        model=model, key_column=key_column, cached_column=total_column,
        child_model=child_model, child_key=child_key,
        recount='coalesce(sum(' ~ child_column ~ '), 0)', child_where=child_where,
        parent_unsettled=parent_unsettled, child_unsettled=child_unsettled,
        settled=settled) }}

{% endtest %}
