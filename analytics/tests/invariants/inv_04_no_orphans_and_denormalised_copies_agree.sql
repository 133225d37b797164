{{ config(severity='error', tags=['invariant', 'hard']) }}

with

nfts as (select * from {{ ref('stg_oltp__master_nfts') }}),
contracts as (select * from {{ ref('stg_oltp__master_contracts') }}),
masters as (select * from {{ ref('stg_oltp__masters') }}),
dividend_contracts as (select * from {{ ref('stg_oltp__dividend_contracts') }}),

orphan_nfts as (
    select
        'master_nfts' as offending_table,
        cast(nfts.master_nft_id as {{ dbt.type_string() }}) as offending_id,
        'NFT whose master or contract is missing' as problem
    from nfts
    left join masters on masters.master_id = nfts.master_id
    left join contracts on contracts.master_contract_id = nfts.master_contract_id
    where masters.master_id is null or contracts.master_contract_id is null
),

nft_vs_contract as (
    select
        'master_nfts' as offending_table,
        cast(nfts.master_nft_id as {{ dbt.type_string() }}) as offending_id,
        'NFT master, chain or address differs from its contract' as problem
    from nfts
    inner join contracts on contracts.master_contract_id = nfts.master_contract_id
    where nfts.master_id <> contracts.master_id
        or nfts.chain_id <> contracts.chain_id
        or nfts.contract_address <> contracts.contract_address
),

transfer_vs_nft as (
    select
        'nft_transfers' as offending_table,
        cast(transfers.nft_transfer_id as {{ dbt.type_string() }}) as offending_id,
        'transfer master, chain, address or token differs from its NFT' as problem
    from {{ ref('stg_oltp__nft_transfers') }} as transfers
    left join nfts on nfts.master_nft_id = transfers.master_nft_id
    where nfts.master_nft_id is null
        or transfers.master_id <> nfts.master_id
        or transfers.chain_id <> nfts.chain_id
        or transfers.contract_address <> nfts.contract_address
        or transfers.token_id <> nfts.token_id
),

event_vs_contract as (
    select
        'dividend_events' as offending_table,
        cast(events.dividend_event_id as {{ dbt.type_string() }}) as offending_id,
        'dividend event master, chain or address differs from its contract' as problem
    from {{ ref('stg_oltp__dividend_events') }} as events
    left join dividend_contracts
        on dividend_contracts.dividend_contract_id = events.dividend_contract_id
    where dividend_contracts.dividend_contract_id is null
        or events.master_id is distinct from dividend_contracts.master_id
        or events.chain_id <> dividend_contracts.chain_id
        or events.contract_address <> dividend_contracts.contract_address
),

claim_vs_contract as (
    select
        'dividend_claims' as offending_table,
        cast(claims.dividend_claim_id as {{ dbt.type_string() }}) as offending_id,
        'claim master or chain differs from its dividend contract' as problem
    from {{ ref('stg_oltp__dividend_claims') }} as claims
    left join dividend_contracts
        on dividend_contracts.dividend_contract_id = claims.dividend_contract_id
    where dividend_contracts.dividend_contract_id is null
        or claims.master_id is distinct from dividend_contracts.master_id
        or claims.chain_id <> dividend_contracts.chain_id
),

pool_event_vs_pool as (
    select
        'pool_events' as offending_table,
        cast(events.pool_event_id as {{ dbt.type_string() }}) as offending_id,
        'pool event token or address differs from its pool' as problem
    from {{ ref('stg_oltp__pool_events') }} as events
    left join {{ ref('stg_oltp__liquidity_pools') }} as pools
        on pools.liquidity_pool_id = events.liquidity_pool_id
    where pools.liquidity_pool_id is null
        or events.artist_token_id <> pools.artist_token_id
        or events.pool_address <> pools.pool_address
),

vote_vs_decision_point as (
    select
        'vstudio_votes' as offending_table,
        cast(votes.vstudio_vote_id as {{ dbt.type_string() }}) as offending_id,
        'vote session differs from its decision point''s session' as problem
    from {{ ref('stg_oltp__vstudio_votes') }} as votes
    left join {{ ref('stg_oltp__vstudio_decision_points') }} as points
        on points.vstudio_decision_point_id = votes.decision_point_id
    where points.vstudio_decision_point_id is null
        or votes.vstudio_session_id <> points.vstudio_session_id
)

select * from orphan_nfts
union all select * from nft_vs_contract
union all select * from transfer_vs_nft
union all select * from event_vs_contract
union all select * from claim_vs_contract
union all select * from pool_event_vs_pool
union all select * from vote_vs_decision_point
