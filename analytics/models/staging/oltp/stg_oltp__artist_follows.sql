with

source as (

    select * from {{ source('oltp', 'artist_follows') }}

),

renamed as (

    select
        -- ids
        id as artist_follow_id,
        artist_id,
        follower_id,
        -- timestamps
        created_at

    from source

)

select * from renamed
