{{ config(severity='error', tags=['invariant', 'hard']) }}

select user_wallet_id, user_id, primary_wallets
from (
    select
        user_wallet_id, user_id,
        count(*) over (partition by user_id) as primary_wallets
    from {{ ref('stg_oltp__user_wallets') }}
    where is_primary
) as keyed
where primary_wallets > 1
