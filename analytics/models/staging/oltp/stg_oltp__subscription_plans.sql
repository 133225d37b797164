with

source as (

    select * from {{ source('oltp', 'subscription_plans') }}

),

renamed as (

    select
        -- ids
        id as subscription_plan_id,
        -- strings
        name,
        slug,
        description,
        stripe_price_id,
        stripe_product_id,
        features,
        feature_list,
        -- categories
        cast(interval as {{ dbt.type_string() }}) as interval,
        -- numerics
        price_usd,
        max_masters,
        max_ipos_per_month,
        vstudio_sessions_included,
        display_order,
        trial_days,
        -- booleans
        is_active,
        is_public,
        -- timestamps
        created_at,
        updated_at

    from source

)

select * from renamed
