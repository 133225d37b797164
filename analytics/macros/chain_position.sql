{#- Ownership as of a point on the chain (marts.md, fct_dividend_allocations): a token's holder
    at (block, log index) is the receiver of its latest transfer strictly BEFORE that point,
    ordered by block number, then log index.  `intervals` is an alias of
    int_nfts__ownership_intervals, whose rows hold from their transfer (inclusive of nothing
    before it) until the token's next transfer; both ends are compared here, once. -#}
{% macro held_at_position(intervals, block_number, log_index) -%}
    (
        (
            {{ intervals }}.from_block_number < {{ block_number }}
            or (
                {{ intervals }}.from_block_number = {{ block_number }}
                and {{ intervals }}.from_log_index < {{ log_index }}
            )
        )
        and (
            {{ intervals }}.until_block_number is null
            or {{ intervals }}.until_block_number > {{ block_number }}
            or (
                {{ intervals }}.until_block_number = {{ block_number }}
                and {{ intervals }}.until_log_index >= {{ log_index }}
            )
        )
    )
{%- endmacro %}
