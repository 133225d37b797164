with

masters as (

    select * from {{ ref('stg_oltp__masters') }}

),

artists as (

    select
        artist_id,
        artist_name
    from {{ ref('stg_oltp__artists') }}

)

select
    masters.master_id,
    masters.artist_id,
    artists.artist_name,
    masters.title,
    masters.genre,
    masters.master_type,
    masters.status,
    masters.duration as duration_seconds,
    masters.release_date,
    masters.published_at,
    masters.created_at
from masters
inner join artists on masters.artist_id = artists.artist_id
