{#- Followers per artist, every artist (0 when none): the V Studio notebook compares session
    turnout with the audience an artist has. -#}

with

artists as (

    select artist_id from {{ ref('dim_artists') }}

),

follows as (

    select
        artist_id,
        count(*) as followers

    from {{ ref('stg_oltp__artist_follows') }}
    group by artist_id

),

final as (

    select
        -- ids
        artists.artist_id,
        -- numerics
        coalesce(follows.followers, 0) as followers

    from artists
    left join follows on artists.artist_id = follows.artist_id

)

select * from final
