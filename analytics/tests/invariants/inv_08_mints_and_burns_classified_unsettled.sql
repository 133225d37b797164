{{ config(severity='warn', tags=['invariant', 'unsettled_tail']) }}
{#- INV-08 on the unsettled tail: reported as a warning count, not an error. -#}
{{ test_eventual_inv_08(settled=false) }}
