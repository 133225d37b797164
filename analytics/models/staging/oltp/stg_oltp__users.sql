with

source as (

    select * from {{ source('oltp', 'users') }}

),

renamed as (

    select
        -- ids
        id as user_id,
        -- categories
        cast(status as {{ dbt.type_string() }}) as status,
        -- booleans
        email_verified,
        two_factor_enabled,
        -- timestamps
        created_at,
        updated_at,
        last_login_at,
        deleted_at

    from source

)

select * from renamed
