{{ config(severity='error', tags=['invariant', 'hard']) }}

{#- The wallet half of INV-28 needs vstudio_votes.wallet_address, which never reaches the
    replica (PII-linkable): tests/test_invariants.py checks it on the primary. -#}
select vstudio_vote_id, user_id, decision_point_id, votes_by_user
from (
    select
        vstudio_vote_id, user_id, decision_point_id,
        count(*) over (partition by user_id, decision_point_id) as votes_by_user
    from {{ ref('stg_oltp__vstudio_votes') }}
    where user_id is not null
) as keyed
where votes_by_user > 1
