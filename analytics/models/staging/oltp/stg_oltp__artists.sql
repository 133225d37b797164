with

source as (

    select * from {{ source('oltp', 'artists') }}

),

renamed as (

    select
        -- ids
        id as artist_id,
        user_id,
        -- strings
        artist_name,
        slug,
        bio,
        short_bio,
        genre,
        location,
        profile_image_url,
        banner_image_url,
        social_links,
        music_platforms,
        -- numerics
        total_masters,
        total_sales,
        follower_count,
        -- booleans
        is_verified,
        is_active,
        -- timestamps
        verified_at,
        created_at,
        updated_at

    from source

)

select * from renamed
