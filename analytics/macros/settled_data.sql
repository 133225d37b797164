{#- Eventual invariants (invariants.md, kind "eventual") are errors only on settled data
    (issue 8, analytics-notes §8):
    * a chain event is settled once it lies deeper than var('confirmation_depth_blocks')[chain]
      below the newest block stored for that chain;
    * any other row is settled once it is older than var('settle_window_hours') before the
      newest timestamp in the data (never now(): a replica of old data is still settled).
    These macros are the one place that says how; the invariant tests and any mart that
    needs "settled" use them. -#}

{#- The chain-event tables whose newest block is the chain's head. -#}
{% macro chain_event_models() -%}
    {{ return(['stg_oltp__nft_transfers', 'stg_oltp__dividend_events',
               'stg_oltp__dividend_claims', 'stg_oltp__pool_events']) }}
{%- endmacro %}

{#- Confirmation depth of a chain id column; an unknown chain gets the deepest known depth. -#}
{% macro confirmation_depth(chain_id_column) -%}
    {%- set depths = var('confirmation_depth_blocks') -%}
    case {{ chain_id_column }}
    {%- for chain, depth in depths.items() %}
        when '{{ chain }}' then {{ depth }}
    {%- endfor %}
        else {{ depths.values() | max }}
    end
{%- endmacro %}

{#- A relation (chain_id, head_block, safe_block): blocks <= safe_block are final. -#}
{% macro chain_safe_blocks() -%}
    (
        select
            chain_id,
            max(block_number) as head_block,
            max(block_number) - {{ confirmation_depth('chain_id') }} as safe_block
        from (
            {%- for model in chain_event_models() %}
            select chain_id, max(block_number) as block_number
            from {{ ref(model) }}
            group by chain_id
            {%- if not loop.last %}
            union all
            {%- endif %}
            {%- endfor %}
        ) as chain_blocks
        group by chain_id
    )
{%- endmacro %}

{#- The newest timestamp in the data: the clock the settle window counts back from.  Read
    from the source tables, whose indexes answer max() at once (through the staging views
    PostgreSQL scans every row: 1.3 s for play_events on `large`, in every eventual test). -#}
{% macro data_clock() -%}
    (
        select max(ts) from (
            select max(created_at) as ts from {{ source('oltp', 'play_events') }}
            union all select max(block_timestamp) from {{ source('oltp', 'nft_transfers') }}
            union all select max(block_timestamp) from {{ source('oltp', 'dividend_events') }}
            union all select max(created_at) from {{ source('oltp', 'vstudio_votes') }}
            union all select max(created_at) from {{ source('oltp', 'artist_follows') }}
            union all select max(updated_at) from {{ source('oltp', 'revenue_events') }}
            union all select max(created_at) from {{ source('oltp', 'audit_logs') }}
        ) as newest
    )
{%- endmacro %}

{#- Rows at or before this timestamp are settled. -#}
{% macro settle_cutoff() -%}
    {{ dbt.dateadd('hour', -1 * var('settle_window_hours'), data_clock()) }}
{%- endmacro %}
