with

source as (

    select * from {{ source('oltp', 'subscriptions') }}

),

renamed as (

    select
        -- ids
        id as subscription_id,
        user_id,
        plan_id,
        -- strings
        cancellation_reason,
        -- categories
        cast(status as {{ dbt.type_string() }}) as status,
        -- booleans
        cancel_at_period_end,
        -- timestamps
        current_period_start,
        current_period_end,
        trial_start,
        trial_end,
        canceled_at,
        created_at,
        updated_at

    from source

)

select * from renamed
