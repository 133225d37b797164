{#- What each wallet holds now, per master and chain: the portfolio page's holdings.  "Now" is
    the token's cached current owner (master_nfts.current_owner_wallet), the same reading as
    fct_master_ipo_metrics.unique_holders; burnt tokens (owner ZERO) are held by nobody. -#}

with

nfts as (

    select * from {{ ref('stg_oltp__master_nfts') }}

),

holdings as (

    select
        -- ids
        current_owner_wallet as wallet_address,
        master_id,
        -- strings
        chain_id,
        -- numerics
        count(*) as nfts_held,
        sum(case when listing_status = 'listed' then 1 else 0 end) as nfts_listed

    from nfts
    where current_owner_wallet <> '{{ var("zero_address") }}'
    group by current_owner_wallet, master_id, chain_id

)

select * from holdings
