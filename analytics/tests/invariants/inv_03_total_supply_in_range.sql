{{ config(severity='error', tags=['invariant', 'hard']) }}

select master_ipo_id, total_supply
from {{ ref('stg_oltp__master_ipos') }}
where total_supply < 1 or total_supply > 1000000
