{#- One row per V Studio decision point with its vote count: the live session page lists
    them in display order. -#}

with

decision_points as (

    select * from {{ ref('stg_oltp__vstudio_decision_points') }}

),

sessions as (

    select
        vstudio_session_id,
        master_id
    from {{ ref('stg_oltp__vstudio_sessions') }}

),

votes as (

    select
        decision_point_id,
        count(*) as votes,
        sum(case when option_selected is not null then 1 else 0 end) as option_votes

    from {{ ref('stg_oltp__vstudio_votes') }}
    group by decision_point_id

),

final as (

    select
        -- ids
        decision_points.vstudio_decision_point_id as decision_point_id,
        decision_points.vstudio_session_id as session_id,
        sessions.master_id,
        -- strings
        decision_points.label,
        decision_points.type as decision_point_type,
        -- numerics
        decision_points.display_order,
        coalesce(votes.votes, 0) as votes,
        coalesce(votes.option_votes, 0) as option_votes,
        -- booleans
        decision_points.is_active,
        -- timestamps
        decision_points.start_time,
        decision_points.end_time

    from decision_points
    inner join sessions on decision_points.vstudio_session_id = sessions.vstudio_session_id
    left join votes on decision_points.vstudio_decision_point_id = votes.decision_point_id

)

select * from final
