{{ config(severity='error', tags=['invariant', 'eventual']) }}
{#- INV-14 on settled data; the rule is defined once in tests/generic/eventual_invariants.sql. -#}
{{ test_eventual_inv_14(settled=true) }}
