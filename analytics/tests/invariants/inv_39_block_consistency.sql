{{ config(severity='error', tags=['invariant', 'hard']) }}

{%- set ranges = [
    ('nft_transfers', 'nft_transfer_id', 'master_contracts',
        'parent.chain_id = events.chain_id and parent.contract_address = events.contract_address',
        'deployed_at_block'),
    ('dividend_events', 'dividend_event_id', 'dividend_contracts',
        'parent.dividend_contract_id = events.dividend_contract_id', 'deployed_at_block'),
    ('dividend_claims', 'dividend_claim_id', 'dividend_contracts',
        'parent.dividend_contract_id = events.dividend_contract_id', 'deployed_at_block'),
    ('pool_events', 'pool_event_id', 'liquidity_pools',
        'parent.liquidity_pool_id = events.liquidity_pool_id', 'created_at_block'),
] %}

with

{% for table, key, parent, join_condition, first_block in ranges %}
{{ table }}_range as (
    select
        '{{ table }}' as offending_table,
        cast(events.{{ key }} as {{ dbt.type_string() }}) as offending_id,
        'event before its contract''s first block or after its last indexed block' as problem
    from {{ ref('stg_oltp__' ~ table) }} as events
    inner join {{ ref('stg_oltp__' ~ parent) }} as parent
        on {{ join_condition }}
    where events.block_number < parent.{{ first_block }}
        or events.block_number > parent.last_indexed_block
),
{% endfor %}

blocks as (
    select chain_id, block_number, min(block_timestamp) as earliest, max(block_timestamp) as latest
    from (
        {% for table, key, parent, join_condition, first_block in ranges %}
        select chain_id, block_number, block_timestamp from {{ ref('stg_oltp__' ~ table) }}
        {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ) as events
    group by chain_id, block_number
),

block_times as (
    select
        'blocks' as offending_table,
        chain_id || ':' || cast(block_number as {{ dbt.type_string() }}) as offending_id,
        case
            when earliest <> latest then 'events of one block disagree on its timestamp'
            else 'block timestamp earlier than a lower block''s'
        end as problem
    from (
        select
            chain_id, block_number, earliest, latest,
            max(latest) over (
                partition by chain_id order by block_number
                rows between unbounded preceding and 1 preceding
            ) as latest_before
        from blocks
    ) as ordered
    where earliest <> latest or earliest < latest_before
)

{% for table, key, parent, join_condition, first_block in ranges %}
select * from {{ table }}_range
union all
{% endfor %}
select * from block_times
