{{ config(severity='error', tags=['invariant', 'hard']) }}

{#- The unique keys of INV-32 that the replica can see.  Slugs are compared lower-cased (a
    URL that differs only in case names the same page; the primary's indexes are
    case-sensitive).  Keys on columns kept off the replica (users.email,
    accounts.provider_account_id, user_wallets.wallet_address) and on unpublished tables
    (identity_providers, payment_providers) are checked on the primary by pytest. -#}
{%- set keys = [
    ('master_ipos', 'master_ipo_id', ['master_id']),
    ('master_contracts', 'master_contract_id', ['master_id', 'chain_id']),
    ('master_contracts', 'master_contract_id', ['chain_id', 'contract_address']),
    ('artist_tokens', 'artist_token_id', ['artist_id', 'chain_id']),
    ('artist_tokens', 'artist_token_id', ['chain_id', 'contract_address']),
    ('artists', 'artist_id', ['user_id']),
    ('producers', 'producer_id', ['user_id']),
    ('artist_follows', 'artist_follow_id', ['artist_id', 'follower_id']),
    ('user_roles', 'user_role_id', ['user_id', 'role_id']),
    ('roles', 'role_id', ['name']),
    ('artists', 'artist_id', ['lower(slug)']),
    ('producers', 'producer_id', ['lower(slug)']),
    ('subscription_plans', 'subscription_plan_id', ['lower(slug)']),
    ('vstudio_sessions', 'vstudio_session_id', ['lower(slug)']),
] %}

{% for table, key, columns in keys %}
select
    '{{ table }}' as offending_table,
    cast({{ key }} as {{ dbt.type_string() }}) as offending_id,
    '{{ columns | join(", ") }}' as duplicated_key
from (
    select
        {{ key }},
        count(*) over (partition by {{ columns | join(', ') }}) as copies
    from {{ ref('stg_oltp__' ~ table) }}
    where {{ columns | join(' is not null and ') }} is not null
) as keyed
where copies > 1
{% if not loop.last %}union all{% endif %}
{% endfor %}
