with

source as (

    select * from {{ source('oltp', 'accounts') }}

),

renamed as (

    select
        -- ids
        id as account_id,
        user_id,
        -- categories
        cast(provider as {{ dbt.type_string() }}) as provider,
        -- timestamps
        access_token_expires,
        created_at,
        updated_at

    from source

)

select * from renamed
