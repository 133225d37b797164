{{ config(severity='error', tags=['invariant', 'hard']) }}

with

ipos as (select * from {{ ref('stg_oltp__master_ipos') }}),

ipo_state as (
    select
        'master_ipos' as offending_table,
        cast(master_ipo_id as {{ dbt.type_string() }}) as offending_id,
        'live/closed IPO without actual start, or closed without actual end' as problem
    from ipos
    where (status in ('live', 'closed') and actual_start_at is null)
        or (status = 'closed' and actual_end_at is null)
),

mint_outside_window as (
    select
        'master_nfts' as offending_table,
        cast(nfts.master_nft_id as {{ dbt.type_string() }}) as offending_id,
        'NFT minted outside its IPO''s actual window' as problem
    from {{ ref('stg_oltp__master_nfts') }} as nfts
    inner join ipos on ipos.master_id = nfts.master_id
    where nfts.minted_at < ipos.actual_start_at
        or nfts.minted_at > ipos.actual_end_at
        or (nfts.minted_at is not null and ipos.actual_start_at is null)
)

select * from ipo_state
union all select * from mint_outside_window
