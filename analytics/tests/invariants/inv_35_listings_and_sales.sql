{{ config(severity='error', tags=['invariant', 'hard']) }}

{#- The royalty is checked as royalty <= price; the spec's "≈ price × royalty bps / 10000" is
    an expectation, not a rule. -#}
with

ipos as (select * from {{ ref('stg_oltp__master_ipos') }}),

listings as (
    select
        'master_nfts' as offending_table,
        cast(nfts.master_nft_id as {{ dbt.type_string() }}) as offending_id,
        'listed without price, currency or time, or listed although resale is off' as problem
    from {{ ref('stg_oltp__master_nfts') }} as nfts
    left join ipos on ipos.master_id = nfts.master_id
    where nfts.listing_status = 'listed' and (
        nfts.listing_price_wei is null
        or nfts.listing_currency is null
        or nfts.listed_at is null
        or not coalesce(ipos.allow_secondary_resale, true))
),

sales as (
    select
        'nft_transfers' as offending_table,
        cast(transfers.nft_transfer_id as {{ dbt.type_string() }}) as offending_id,
        'sale without price, royalty above price, or sale although resale is off' as problem
    from {{ ref('stg_oltp__nft_transfers') }} as transfers
    left join ipos on ipos.master_id = transfers.master_id
    where transfers.transfer_type = 'sale' and (
        transfers.sale_price_wei is null
        or transfers.royalty_paid_wei > transfers.sale_price_wei
        or not coalesce(ipos.allow_secondary_resale, true))
)

select * from listings
union all select * from sales
