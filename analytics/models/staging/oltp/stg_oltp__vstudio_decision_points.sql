with

source as (

    select * from {{ source('oltp', 'vstudio_decision_points') }}

),

renamed as (

    select
        -- ids
        id as vstudio_decision_point_id,
        vstudio_session_id,
        -- strings
        label,
        description,
        options,
        slider_labels,
        eligibility_config,
        results_json,
        -- categories
        cast(type as {{ dbt.type_string() }}) as type,
        cast(eligibility_rule as {{ dbt.type_string() }}) as eligibility_rule,
        -- numerics
        slider_min,
        slider_max,
        slider_step,
        superfan_weight_multiplier,
        nft_holder_weight,
        display_order,
        -- booleans
        is_active,
        -- timestamps
        start_time,
        end_time,
        results_computed_at,
        created_at,
        updated_at

    from source

)

select * from renamed
