{{ config(severity='error', tags=['invariant', 'hard']) }}

{#- "At least one of user_id, wallet_address, anonymous_id is set" needs the wallet address,
    which never reaches the replica: tests/test_invariants.py checks that half on the primary. -#}
select
    votes.vstudio_vote_id,
    votes.vstudio_session_id,
    votes.anonymous_id
from {{ ref('stg_oltp__vstudio_votes') }} as votes
inner join {{ ref('stg_oltp__vstudio_sessions') }} as sessions
    on sessions.vstudio_session_id = votes.vstudio_session_id
where votes.anonymous_id is not null
    and not sessions.allow_anonymous
