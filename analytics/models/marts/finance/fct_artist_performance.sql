{{
    config(
        indexes=[
            {'columns': ['artist_id'], 'unique': true},
        ],
    )
}}

{#- One row per artist, every artist.  Each child is aggregated to the artist BEFORE the joins
    (analytics-notes §3.1: joining the children first multiplies every sum), sessions and votes
    are attributed through the session's master (§3.2.6), and empty counts are 0 (§3.2.1). -#}

with

artists as (

    select
        artist_id,
        artist_name
    from {{ ref('dim_artists') }}

),

masters as (

    select
        master_id,
        artist_id,
        created_at
    from {{ ref('dim_masters') }}

),

ipos as (

    select
        master_ipo_id,
        master_id
    from {{ ref('stg_oltp__master_ipos') }}

),

nfts as (

    select
        master_nft_id,
        master_id
    from {{ ref('stg_oltp__master_nfts') }}

),

revenue_events as (

    select
        artist_id,
        status,
        amount_usd
    from {{ ref('int_revenue__events') }}

),

sessions as (

    select
        vstudio_session_id,
        master_id
    from {{ ref('stg_oltp__vstudio_sessions') }}

),

votes as (

    select
        vstudio_vote_id,
        vstudio_session_id
    from {{ ref('stg_oltp__vstudio_votes') }}

),

masters_per_artist as (

    select
        artist_id,
        count(*) as total_masters,
        min(created_at) as first_master_created_at,
        max(created_at) as last_master_created_at
    from masters
    group by artist_id

),

ipos_per_artist as (

    select
        masters.artist_id,
        count(*) as total_ipos
    from ipos
    inner join masters on ipos.master_id = masters.master_id
    group by masters.artist_id

),

nfts_per_artist as (

    select
        masters.artist_id,
        count(*) as total_nfts_minted
    from nfts
    inner join masters on nfts.master_id = masters.master_id
    group by masters.artist_id

),

revenue_per_artist as (

    select
        artist_id,
        sum(amount_usd) as total_revenue_usd
    from revenue_events
    where status = 'distributed'
    group by artist_id

),

-- the artist of a session is its master's artist, whatever vstudio_sessions.artist_id says
sessions_per_artist as (

    select
        masters.artist_id,
        count(*) as total_vstudio_sessions
    from sessions
    inner join masters on sessions.master_id = masters.master_id
    group by masters.artist_id

),

votes_per_artist as (

    select
        masters.artist_id,
        count(*) as total_vstudio_votes
    from votes
    inner join sessions on votes.vstudio_session_id = sessions.vstudio_session_id
    inner join masters on sessions.master_id = masters.master_id
    group by masters.artist_id

),

final as (

    select
        artists.artist_id,
        artists.artist_name,
        coalesce(masters_per_artist.total_masters, 0) as total_masters,
        coalesce(ipos_per_artist.total_ipos, 0) as total_ipos,
        coalesce(nfts_per_artist.total_nfts_minted, 0) as total_nfts_minted,
        coalesce(revenue_per_artist.total_revenue_usd, 0) as total_revenue_usd,
        coalesce(sessions_per_artist.total_vstudio_sessions, 0) as total_vstudio_sessions,
        coalesce(votes_per_artist.total_vstudio_votes, 0) as total_vstudio_votes,
        masters_per_artist.first_master_created_at,
        masters_per_artist.last_master_created_at

    from artists
    left join masters_per_artist on artists.artist_id = masters_per_artist.artist_id
    left join ipos_per_artist on artists.artist_id = ipos_per_artist.artist_id
    left join nfts_per_artist on artists.artist_id = nfts_per_artist.artist_id
    left join revenue_per_artist on artists.artist_id = revenue_per_artist.artist_id
    left join sessions_per_artist on artists.artist_id = sessions_per_artist.artist_id
    left join votes_per_artist on artists.artist_id = votes_per_artist.artist_id

)

select * from final
