{{ config(severity='warn', tags=['invariant', 'unsettled_tail']) }}
{#- INV-11 on the unsettled tail: reported as a warning count, not an error. -#}
{{ test_eventual_inv_11(settled=false) }}
