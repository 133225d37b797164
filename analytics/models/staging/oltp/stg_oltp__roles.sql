with

source as (

    select * from {{ source('oltp', 'roles') }}

),

renamed as (

    select
        -- ids
        id as role_id,
        -- strings
        description,
        permissions,
        -- categories
        cast(name as {{ dbt.type_string() }}) as name,
        -- timestamps
        created_at,
        updated_at

    from source

)

select * from renamed
