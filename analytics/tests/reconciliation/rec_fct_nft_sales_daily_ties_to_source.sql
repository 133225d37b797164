{{ config(severity='error', tags=['reconciliation']) }}

{#- Secondary sales: Σ sales_count / volume / royalties per currency = the sale transfers';
    primary sales: Σ sales_count / volume per currency = the minted NFTs at the IPO price. -#}
{%- set sales -%}
    (select * from {{ ref('fct_nft_sales_daily') }} where sale_kind = 'secondary') as mart
{%- endset -%}
{%- set sale_transfers -%}
    (select sale_currency as currency, sale_price_wei, royalty_paid_wei
     from {{ ref('stg_oltp__nft_transfers') }}
     where transfer_type = 'sale' and sale_currency is not null) as source_rows
{%- endset -%}
{%- set mints -%}
    (select * from {{ ref('fct_nft_sales_daily') }} where sale_kind = 'primary') as mart
{%- endset -%}
{%- set minted -%}
    (select ipos.mint_price_currency as currency, nfts.mint_price_wei
     from {{ ref('stg_oltp__master_nfts') }} as nfts
     inner join {{ ref('stg_oltp__master_ipos') }} as ipos on ipos.master_id = nfts.master_id
     where nfts.minted_at is not null and ipos.mint_price_currency is not null) as source_rows
{%- endset -%}

select * from (
{{ test_no_fanout(model=sales, column='volume_wei', source_model=sale_transfers,
    source_column='coalesce(sale_price_wei, 0)', group_by=['currency'],
    count_expression='sum(sales_count)') }}
) as check_1

union all
select * from (
{{ test_no_fanout(model=sales, column='royalties_wei', source_model=sale_transfers,
    source_column='coalesce(royalty_paid_wei, 0)', group_by=['currency'],
    count_expression='sum(sales_count)') }}
) as check_2

union all
select * from (
{{ test_no_fanout(model=mints, column='volume_wei', source_model=minted,
    source_column='coalesce(mint_price_wei, 0)', group_by=['currency'],
    count_expression='sum(sales_count)') }}
) as check_3
