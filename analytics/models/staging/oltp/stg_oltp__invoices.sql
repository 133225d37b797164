with

source as (

    select * from {{ source('oltp', 'invoices') }}

),

renamed as (

    select
        -- ids
        id as invoice_id,
        subscription_id,
        user_id,
        -- strings
        currency,
        -- categories
        cast(status as {{ dbt.type_string() }}) as status,
        -- numerics
        amount_due,
        amount_paid,
        -- timestamps
        period_start,
        period_end,
        due_date,
        paid_at,
        created_at,
        updated_at

    from source

)

select * from renamed
