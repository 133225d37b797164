with

source as (

    select * from {{ source('oltp', 'masters') }}

),

renamed as (

    select
        -- ids
        id as master_id,
        artist_id,
        -- strings
        title,
        description,
        genre,
        isrc,
        mood_tags,
        audio_file_name,
        audio_ipfs_hash,
        cover_image_url,
        cover_image_ipfs_hash,
        metadata_ipfs_hash,
        metadata,
        -- categories
        cast(master_type as {{ dbt.type_string() }}) as master_type,
        cast(status as {{ dbt.type_string() }}) as status,
        -- numerics
        bpm,
        duration,
        -- timestamps
        release_date,
        created_at,
        updated_at,
        published_at

    from source

)

select * from renamed
