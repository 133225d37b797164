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
    {#- joins rather than a subquery inside the case: that one would run once per vote -#}
    select
        votes.vstudio_vote_id,
        'vote content does not match the ' || points.type || ' decision point' as problem
    from votes
    inner join points on points.vstudio_decision_point_id = votes.decision_point_id
    left join option_sets
        on option_sets.vstudio_decision_point_id = points.vstudio_decision_point_id
    left join ranking_sets on ranking_sets.vstudio_vote_id = votes.vstudio_vote_id
    left join option_ids as selected
        on selected.vstudio_decision_point_id = points.vstudio_decision_point_id
        and selected.option_id = votes.option_selected
    where case points.type
        when 'poll' then selected.option_id is null
        when 'binary' then selected.option_id is null
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

vote_rules as (
    select
        votes.vstudio_vote_id,
        votes.user_id,
        votes.created_at,
        points.eligibility_rule,
        points.eligibility_config,
        sessions.artist_id
    from votes
    inner join points on points.vstudio_decision_point_id = votes.decision_point_id
    inner join sessions on sessions.vstudio_session_id = points.vstudio_session_id
),

paid_periods as (
    select
        subscriptions.user_id,
        invoices.period_start,
        least(invoices.period_end, coalesce(subscriptions.canceled_at, invoices.period_end))
            as period_end
    from {{ ref('stg_oltp__subscriptions') }} as subscriptions
    inner join {{ ref('stg_oltp__subscription_plans') }} as plans
        on plans.subscription_plan_id = subscriptions.plan_id
    inner join {{ ref('stg_oltp__invoices') }} as invoices
        on invoices.subscription_id = subscriptions.subscription_id
    where plans.price_usd > 0
        and invoices.status = 'paid'
        and invoices.amount_due > 0
),

{#- one branch per rule, each an anti-join the planner can hash -#}
ineligible as (
    select vstudio_vote_id, 'voter not allowed by the authenticated rule' as problem
    from vote_rules
    where eligibility_rule = 'authenticated' and user_id is null

    union all
    select vstudio_vote_id, 'voter not allowed by the subscribers rule' as problem
    from vote_rules
    where eligibility_rule = 'subscribers' and not exists (
        select 1 from paid_periods
        where paid_periods.user_id = vote_rules.user_id
            and vote_rules.created_at >= paid_periods.period_start
            and vote_rules.created_at <= paid_periods.period_end)

    union all
    select vstudio_vote_id, 'voter not allowed by the superfans rule' as problem
    from vote_rules
    where eligibility_rule = 'superfans' and not exists (
        select 1 from {{ ref('stg_oltp__artist_follows') }} as follows
        where follows.artist_id = vote_rules.artist_id
            and follows.follower_id = vote_rules.user_id
            and follows.created_at <= vote_rules.created_at)

    union all
    select vstudio_vote_id, 'voter not allowed by the whitelist rule' as problem
    from vote_rules
    where eligibility_rule = 'whitelist' and not coalesce(
        eligibility_config -> 'userIds' ? cast(user_id as {{ dbt.type_string() }}), false)
)

select * from content
union all select * from outside_window
union all select * from ineligible
