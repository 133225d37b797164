{{ config(severity='error', tags=['invariant', 'hard']) }}

select
    ipos.master_ipo_id,
    contracts.master_contract_id,
    ipos.minted_supply,
    ipos.total_supply,
    contracts.contract_total_supply
from {{ ref('stg_oltp__master_ipos') }} as ipos
left join {{ ref('stg_oltp__master_contracts') }} as contracts
    on contracts.master_id = ipos.master_id
where ipos.minted_supply < 0
    or ipos.minted_supply > ipos.total_supply
    or contracts.contract_total_supply <> ipos.total_supply
