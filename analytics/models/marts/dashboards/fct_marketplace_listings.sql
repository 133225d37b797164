{#- The marketplace page's rows: NFTs listed for sale on the platform, with their master and
    artist (analytics-notes §4).  Each row carries its position in the page order (newest
    listing first) over all listings, within its genre, its chain, and both: a page is then
    one unique-index range of 20 ranks, whatever the page number, instead of skipping
    (page - 1) x 20 rows. -#}

{%- set page_order = 'order by nfts.listed_at desc, nfts.master_nft_id desc' -%}

with

nfts as (

    select * from {{ ref('stg_oltp__master_nfts') }}

),

masters as (

    select * from {{ ref('dim_masters') }}

),

final as (

    select
        -- ids
        nfts.master_nft_id,
        nfts.master_id,
        masters.artist_id,
        -- strings
        masters.title,
        masters.artist_name,
        masters.genre,
        nfts.chain_id,
        nfts.contract_address,
        nfts.listing_currency,
        -- numerics
        nfts.token_id,
        nfts.listing_price_wei,
        -- row_number() is bigint on PostgreSQL but int on Spark: the contract says bigint
        cast(row_number() over ({{ page_order }}) as bigint) as listing_rank,
        cast(row_number() over (
            partition by masters.genre {{ page_order }}
        ) as bigint) as genre_listing_rank,
        cast(row_number() over (
            partition by nfts.chain_id {{ page_order }}
        ) as bigint) as chain_listing_rank,
        cast(row_number() over (
            partition by masters.genre, nfts.chain_id {{ page_order }}
        ) as bigint) as genre_chain_listing_rank,
        -- timestamps
        nfts.listed_at

    from nfts
    inner join masters on nfts.master_id = masters.master_id
    where nfts.listing_status = 'listed'

)

select * from final
