{{ config(severity='error', tags=['invariant', 'hard']) }}

{#- On the normalised contract address: the primary's unique index is case-sensitive. -#}
select master_nft_id, chain_id, contract_address, token_id, copies
from (
    select
        master_nft_id, chain_id, contract_address, token_id,
        count(*) over (partition by chain_id, contract_address, token_id) as copies
    from {{ ref('stg_oltp__master_nfts') }}
) as keyed
where copies > 1
