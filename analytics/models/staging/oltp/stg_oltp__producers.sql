with

source as (

    select * from {{ source('oltp', 'producers') }}

),

renamed as (

    select
        -- ids
        id as producer_id,
        user_id,
        -- strings
        producer_name,
        slug,
        bio,
        specialty,
        profile_image_url,
        social_links,
        -- numerics
        total_credits,
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
