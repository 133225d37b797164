with

source as (

    select * from {{ source('oltp', 'vstudio_votes') }}

),

renamed as (

    select
        -- ids
        id as vstudio_vote_id,
        decision_point_id,
        vstudio_session_id,
        user_id,
        -- strings
        anonymous_id,
        option_selected,
        ranking_order,
        -- numerics
        slider_value,
        weight,
        -- booleans
        verified_nft_holder,
        verified_coin_holder,
        verified_subscriber,
        -- timestamps
        created_at,
        updated_at

    from source

)

select * from renamed
