{{ config(severity='error', tags=['invariant', 'eventual']) }}
{#- INV-13 on settled data; the rule is defined once in tests/generic/eventual_invariants.sql. -#}
{{ test_eventual_inv_13(settled=true) }}
