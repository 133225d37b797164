with

source as (

    select * from {{ source('oltp', 'user_roles') }}

),

renamed as (

    select
        -- ids
        id as user_role_id,
        user_id,
        role_id,
        -- strings
        assigned_by,
        -- timestamps
        assigned_at,
        expires_at

    from source

)

select * from renamed
