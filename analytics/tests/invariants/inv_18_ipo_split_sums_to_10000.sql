{{ config(severity='error', tags=['invariant', 'hard']) }}

select
    master_ipo_id,
    revenue_share_nft_holders_bps,
    retained_artist_bps,
    retained_platform_bps
from {{ ref('stg_oltp__master_ipos') }}
where revenue_share_nft_holders_bps + retained_artist_bps + retained_platform_bps <> 10000
    or revenue_share_nft_holders_bps not between 0 and 10000
    or retained_artist_bps not between 0 and 10000
    or retained_platform_bps not between 0 and 10000
    or secondary_royalty_bps not between 0 and 10000
    or first_minter_bonus_bps not between 0 and 10000
    or second_minter_bonus_bps not between 0 and 10000
    or third_minter_bonus_bps not between 0 and 10000
