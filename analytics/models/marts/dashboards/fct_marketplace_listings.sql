{#- The marketplace page's rows: NFTs listed for sale on the platform, with their master and
    artist, so the page reads one table in listing order (analytics-notes §4). -#}

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
        -- timestamps
        nfts.listed_at

    from nfts
    inner join masters on nfts.master_id = masters.master_id
    where nfts.listing_status = 'listed'

)

select * from final
