{{ config(severity='error', tags=['invariant', 'hard']) }}

{#- Compared on the normalised (lower-cased) tx hash: the primary's unique indexes are
    case-sensitive, so the same event stored with a differently cased hash slips past them. -#}
{%- set keys = [
    ('nft_transfers', 'nft_transfer_id', ['tx_hash', 'log_index']),
    ('dividend_events', 'dividend_event_id', ['tx_hash', 'log_index']),
    ('dividend_claims', 'dividend_claim_id', ['tx_hash']),
    ('pool_events', 'pool_event_id', ['tx_hash']),
] %}

{% for table, key, columns in keys %}
select
    '{{ table }}' as offending_table,
    cast({{ key }} as {{ dbt.type_string() }}) as offending_id,
    tx_hash
from (
    select
        {{ key }},
        tx_hash,
        count(*) over (partition by {{ columns | join(', ') }}) as copies
    from {{ ref('stg_oltp__' ~ table) }}
) as keyed
where copies > 1
{% if not loop.last %}union all{% endif %}
{% endfor %}
