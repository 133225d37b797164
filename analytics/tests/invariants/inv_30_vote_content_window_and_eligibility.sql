{{ config(severity='error', tags=['invariant', 'hard'], enabled=target.type == 'postgres') }}
{#- Options, rankings and whitelists are jsonb: PostgreSQL (the replica) only. -#}

{#- What the replica can see of INV-30.  Not here (columns kept off the replica, checked on
    the primary by tests/test_invariants.py): open_text votes need text_response; the
    nft_holders / coin_holders eligibility rules need the voter's wallet_address. -#}
with

votes as (select * from {{ ref('stg_oltp__vstudio_votes') }}),
points as (select * from {{ ref('stg_oltp__vstudio_decision_points') }}),
sessions as (select * from {{ ref('stg_oltp__vstudio_sessions') }}),

option_ids as (
    select points.vstudio_decision_point_id, options.option_value ->> 'id' as option_id
    from points
    cross join lateral jsonb_array_elements(points.options) as options (option_value)
    where jsonb_typeof(points.options) = 'array'
),

option_sets as (
    select
        vstudio_decision_point_id,
        array_agg(option_id order by option_id) as option_set
    from option_ids
    group by vstudio_decision_point_id
),

ranking_sets as (
    select
        votes.vstudio_vote_id,
        array_agg(ranked.option_id order by ranked.option_id) as ranking_set
    from votes
    cross join lateral jsonb_array_elements_text(votes.ranking_order) as ranked (option_id)
    where jsonb_typeof(votes.ranking_order) = 'array'
    group by votes.vstudio_vote_id
),

content as (
    select
        votes.vstudio_vote_id,
        'vote content does not match the ' || points.type || ' decision point' as problem
    from votes
    inner join points on points.vstudio_decision_point_id = votes.decision_point_id
    left join option_sets
        on option_sets.vstudio_decision_point_id = points.vstudio_decision_point_id
    left join ranking_sets on ranking_sets.vstudio_vote_id = votes.vstudio_vote_id
    where case points.type
        when 'poll' then votes.option_selected is null or not exists (
            select 1 from option_ids
            where option_ids.vstudio_decision_point_id = points.vstudio_decision_point_id
                and option_ids.option_id = votes.option_selected)
        when 'binary' then votes.option_selected is null or not exists (
            select 1 from option_ids
            where option_ids.vstudio_decision_point_id = points.vstudio_decision_point_id
                and option_ids.option_id = votes.option_selected)
        when 'slider' then votes.slider_value is null
            or votes.slider_value < points.slider_min or votes.slider_value > points.slider_max
        when 'ranking' then ranking_sets.ranking_set is distinct from option_sets.option_set
        else false
    end
),

outside_window as (
    select
        votes.vstudio_vote_id,
        'vote cast outside the decision point''s window' as problem
    from votes
    inner join points on points.vstudio_decision_point_id = votes.decision_point_id
    where votes.created_at < points.start_time or votes.created_at > points.end_time
),

ineligible as (
    select
        votes.vstudio_vote_id,
        'voter not allowed by the ' || points.eligibility_rule || ' rule' as problem
    from votes
    inner join points on points.vstudio_decision_point_id = votes.decision_point_id
    inner join sessions on sessions.vstudio_session_id = points.vstudio_session_id
    where case points.eligibility_rule
        when 'authenticated' then votes.user_id is null
        when 'subscribers' then not exists (
            select 1
            from {{ ref('stg_oltp__subscriptions') }} as subscriptions
            inner join {{ ref('stg_oltp__subscription_plans') }} as plans
                on plans.subscription_plan_id = subscriptions.plan_id
            inner join {{ ref('stg_oltp__invoices') }} as invoices
                on invoices.subscription_id = subscriptions.subscription_id
            where subscriptions.user_id = votes.user_id
                and plans.price_usd > 0
                and invoices.status = 'paid'
                and invoices.amount_due > 0
                and votes.created_at >= invoices.period_start
                and votes.created_at <= least(
                    invoices.period_end, coalesce(subscriptions.canceled_at, invoices.period_end)))
        when 'superfans' then not exists (
            select 1 from {{ ref('stg_oltp__artist_follows') }} as follows
            where follows.artist_id = sessions.artist_id
                and follows.follower_id = votes.user_id
                and follows.created_at <= votes.created_at)
        when 'whitelist' then not coalesce(
            points.eligibility_config -> 'userIds' ? cast(votes.user_id as {{ dbt.type_string() }}),
            false)
        else false
    end
)

select * from content
union all select * from outside_window
union all select * from ineligible
