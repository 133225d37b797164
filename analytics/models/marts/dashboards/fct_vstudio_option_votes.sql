{#- Votes per option of each decision point (poll, binary and ranking votes name an option;
    slider and open-text votes do not and are counted only in fct_vstudio_decision_points). -#}

with

votes as (

    select * from {{ ref('stg_oltp__vstudio_votes') }}

),

per_option as (

    select
        -- ids
        decision_point_id,
        vstudio_session_id as session_id,
        -- strings
        option_selected as option_id,
        -- numerics
        count(*) as votes,
        cast(sum(weight) as numeric(28, 4)) as weighted_votes

    from votes
    where option_selected is not null
    group by decision_point_id, vstudio_session_id, option_selected

)

select * from per_option
