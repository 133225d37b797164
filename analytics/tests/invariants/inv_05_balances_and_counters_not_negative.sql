{{ config(severity='error', tags=['invariant', 'hard']) }}

{%- set checks = [
    ('token_holders', 'token_holder_id', 'balance < 0'),
    ('wallet_dividend_balances', 'wallet_dividend_balance_id',
        'total_earned < 0 or total_claimed < 0 or claimable_amount < 0 or tokens_held < 0'),
    ('pool_positions', 'pool_position_id',
        'lp_token_balance < 0 or token0_amount < 0 or token1_amount < 0'),
    ('liquidity_pools', 'liquidity_pool_id', 'reserve0 < 0 or reserve1 < 0'),
    ('master_ipos', 'master_ipo_id', 'minted_supply < 0'),
    ('artist_tokens', 'artist_token_id',
        'total_supply < 0 or circulating_supply < 0 or holders_count < 0'),
    ('artists', 'artist_id', 'total_masters < 0 or total_sales < 0 or follower_count < 0'),
    ('producers', 'producer_id', 'total_credits < 0'),
    ('vstudio_sessions', 'vstudio_session_id',
        'participant_count < 0 or total_votes < 0 or peak_concurrent_viewers < 0'),
    ('vstudio_participants', 'vstudio_participant_id',
        'votes_count < 0 or messages_count < 0 or reactions_count < 0 or total_time_seconds < 0'),
    ('dividend_contracts', 'dividend_contract_id',
        'total_revenue_deposited < 0 or total_dividends_distributed < 0'),
    ('master_nfts', 'master_nft_id', 'total_dividends_received < 0'),
] %}

{% for table, key, condition in checks %}
select
    '{{ table }}' as offending_table,
    cast({{ key }} as {{ dbt.type_string() }}) as offending_id
from {{ ref('stg_oltp__' ~ table) }}
where {{ condition }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
