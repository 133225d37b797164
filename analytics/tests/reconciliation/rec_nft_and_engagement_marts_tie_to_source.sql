{{ config(severity='error', tags=['reconciliation']) }}

{#- Row counts and counts summed over the marts equal their sources: IPO metrics (live
    masters, their minted NFTs), artist performance (every artist, all NFTs, all votes),
    V Studio sessions (every session, all votes and participants), pool activity (all pool
    events, Σ amount_usd). -#}
{%- set live_masters -%}
    (select masters.master_id, count(nfts.master_nft_id) as nfts
     from {{ ref('stg_oltp__masters') }} as masters
     left join {{ ref('stg_oltp__master_nfts') }} as nfts on nfts.master_id = masters.master_id
     where masters.status = 'live'
     group by masters.master_id) as source_rows
{%- endset -%}
{%- set artists -%}
    {#- grouped joins, not a count per artist: a correlated subquery re-scans the NFTs per row -#}
    (select artists.artist_id, count(nfts.master_nft_id) as nfts
     from {{ ref('stg_oltp__artists') }} as artists
     left join {{ ref('stg_oltp__masters') }} as masters on masters.artist_id = artists.artist_id
     left join {{ ref('stg_oltp__master_nfts') }} as nfts on nfts.master_id = masters.master_id
     group by artists.artist_id) as source_rows
{%- endset -%}
{%- set sessions -%}
    (select sessions.vstudio_session_id, count(votes.vstudio_vote_id) as votes
     from {{ ref('stg_oltp__vstudio_sessions') }} as sessions
     left join {{ ref('stg_oltp__vstudio_votes') }} as votes
        on votes.vstudio_session_id = sessions.vstudio_session_id
     group by sessions.vstudio_session_id) as source_rows
{%- endset -%}

select * from (
{{ test_no_fanout(model=ref('fct_master_ipo_metrics'), column='nfts_minted',
    source_model=live_masters, source_column='nfts') }}
) as check_1

union all
select * from (
{{ test_no_fanout(model=ref('fct_artist_performance'), column='total_nfts_minted',
    source_model=artists, source_column='nfts') }}
) as check_2

union all
select * from (
{{ test_no_fanout(model=ref('fct_vstudio_sessions'), column='votes',
    source_model=sessions, source_column='votes') }}
) as check_3

union all
select * from (
{{ test_no_fanout(model=ref('fct_pool_activity_daily'), column='amount_usd',
    source_model=ref('stg_oltp__pool_events'), source_column='amount_usd',
    group_by=['event_type'], count_expression='sum(events)') }}
) as check_4
