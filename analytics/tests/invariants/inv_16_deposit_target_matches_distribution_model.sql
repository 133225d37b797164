{{ config(severity='error', tags=['invariant', 'hard']) }}

select
    revenue.revenue_event_id,
    revenue.master_id,
    contracts.dividend_contract_id,
    contracts.distribution_model
from {{ ref('stg_oltp__revenue_events') }} as revenue
inner join {{ ref('stg_oltp__masters') }} as masters
    on masters.master_id = revenue.master_id
inner join {{ ref('stg_oltp__dividend_contracts') }} as contracts
    on contracts.dividend_contract_id = revenue.deposited_to_contract_id
where not (
    (contracts.distribution_model = 'per_master' and contracts.master_id = revenue.master_id)
    or (contracts.distribution_model = 'per_artist' and contracts.artist_id = masters.artist_id)
    or contracts.distribution_model = 'platform'
)
