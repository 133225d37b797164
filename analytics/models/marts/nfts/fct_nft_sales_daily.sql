{#- NFT sales per UTC day, master, chain, currency and kind: primary sales are the mints at
    the NFT's mint_price_wei in the IPO's mint_price_currency, secondary sales the transfers of
    type 'sale'.  Amounts stay exact base units and are never added across currencies. -#}

with

nfts as (

    select * from {{ ref('stg_oltp__master_nfts') }}

),

ipos as (

    select
        master_id,
        mint_price_currency
    from {{ ref('stg_oltp__master_ipos') }}

),

transfers as (

    select * from {{ ref('int_nfts__transfers') }}

),

primary_sales as (

    -- an NFT without a mint time or an IPO currency has no sale_date or currency to go under
    select
        {{ utc_date('nfts.minted_at') }} as sale_date,
        nfts.master_id,
        nfts.chain_id,
        ipos.mint_price_currency as currency,
        cast('primary' as {{ dbt.type_string() }}) as sale_kind,
        count(*) as sales_count,
        coalesce(sum(nfts.mint_price_wei), 0) as volume_wei,
        cast(0 as {{ base_units_type() }}) as royalties_wei,
        sum(case when nfts.mint_price_wei is null then 1 else 0 end) as unpriced_sales_count
    from nfts
    inner join ipos on nfts.master_id = ipos.master_id
    where
        nfts.minted_at is not null
        and ipos.mint_price_currency is not null
    group by 1, 2, 3, 4

),

secondary_sales as (

    select
        transfer_date as sale_date,
        master_id,
        chain_id,
        sale_currency as currency,
        cast('secondary' as {{ dbt.type_string() }}) as sale_kind,
        count(*) as sales_count,
        coalesce(sum(sale_price_wei), 0) as volume_wei,
        coalesce(sum(royalty_paid_wei), 0) as royalties_wei,
        sum(case when sale_price_wei is null then 1 else 0 end) as unpriced_sales_count
    from transfers
    where
        transfer_type = 'sale'
        and sale_currency is not null
    group by 1, 2, 3, 4

),

final as (

    select * from primary_sales
    union all
    select * from secondary_sales

)

select * from final
