with

source as (

    select * from {{ source('oltp', 'master_collaborators') }}

),

renamed as (

    select
        -- ids
        id as master_collaborator_id,
        master_id,
        producer_id,
        -- strings
        collaborator_name,
        role,
        -- numerics
        split_basis_points,
        display_order,
        -- timestamps
        created_at,
        updated_at

    from source

)

select * from renamed
