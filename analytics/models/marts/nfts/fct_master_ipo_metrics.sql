{#- One row per live master: its IPO supply, the NFTs really minted, current holders and
    secondary sales.  Each child is aggregated to the master before the join (no fan-out,
    analytics-notes §3.1); nothing is summed across currencies (volumes: fct_nft_sales_daily). -#}

with

masters as (

    select * from {{ ref('dim_masters') }}
    where status = 'live'

),

ipos as (

    select * from {{ ref('stg_oltp__master_ipos') }}

),

nfts as (

    select * from {{ ref('stg_oltp__master_nfts') }}

),

ownership as (

    select * from {{ ref('int_nfts__ownership_intervals') }}

),

transfers as (

    select * from {{ ref('int_nfts__transfers') }}

),

nfts_per_master as (

    select
        master_id,
        count(*) as nfts_minted
    from nfts
    group by master_id

),

holders_per_master as (

    select
        master_id,
        count(distinct holder_wallet) as unique_holders
    from ownership
    where
        is_current
        and holder_wallet <> '{{ var("zero_address") }}'
    group by master_id

),

sales_per_master as (

    select
        master_id,
        sum(case when transfer_type = 'sale' then 1 else 0 end) as secondary_sales_count,
        count(*) as transfers_count
    from transfers
    group by master_id

),

final as (

    select
        -- ids
        masters.master_id,
        masters.artist_id,
        -- strings
        masters.title,
        ipos.status as ipo_status,
        ipos.mint_price_currency,
        -- numerics
        ipos.total_supply,
        ipos.minted_supply,
        coalesce(nfts_per_master.nfts_minted, 0) as nfts_minted,
        cast(coalesce(nfts_per_master.nfts_minted, 0) * 100 as numeric(38, 10))
        / ipos.total_supply as percent_minted,
        ipos.minted_supply - coalesce(nfts_per_master.nfts_minted, 0) as minted_supply_drift,
        ipos.mint_price_wei,
        coalesce(holders_per_master.unique_holders, 0) as unique_holders,
        coalesce(sales_per_master.secondary_sales_count, 0) as secondary_sales_count,
        coalesce(sales_per_master.transfers_count, 0) as transfers_count

    from masters
    left join ipos on masters.master_id = ipos.master_id
    left join nfts_per_master on masters.master_id = nfts_per_master.master_id
    left join holders_per_master on masters.master_id = holders_per_master.master_id
    left join sales_per_master on masters.master_id = sales_per_master.master_id

)

select * from final
