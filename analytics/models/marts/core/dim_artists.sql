with

artists as (

    select * from {{ ref('stg_oltp__artists') }}

)

select
    artist_id,
    artist_name,
    slug,
    genre,
    location,
    is_verified,
    is_active,
    verified_at,
    created_at
from artists
