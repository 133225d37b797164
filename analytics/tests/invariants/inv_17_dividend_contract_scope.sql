{{ config(severity='error', tags=['invariant', 'hard']) }}

select
    contracts.dividend_contract_id,
    contracts.distribution_model,
    contracts.master_id,
    contracts.artist_id
from {{ ref('stg_oltp__dividend_contracts') }} as contracts
where (contracts.distribution_model = 'per_master' and (
        contracts.master_id is null
        or not exists (
            select 1 from {{ ref('stg_oltp__master_contracts') }} as master_contracts
            where master_contracts.master_id = contracts.master_id
                and master_contracts.contract_address = contracts.linked_master_contract
        )))
    or (contracts.distribution_model = 'per_artist'
        and (contracts.artist_id is null or contracts.master_id is not null))
    or (contracts.distribution_model = 'platform'
        and (contracts.artist_id is not null or contracts.master_id is not null))
