{#- One row per `distribution` dividend event, with its contract's scope and, for per_master
    contracts, how much of total_amount the holders' allocations (int_dividends__allocations)
    account for and the remainder left unallocated. -#}

with

events as (

    select * from {{ ref('int_dividends__events') }}
    where event_type = 'distribution'

),

contracts as (

    select * from {{ ref('stg_oltp__dividend_contracts') }}

),

allocations as (

    select * from {{ ref('int_dividends__allocations') }}

),

allocations_per_distribution as (

    select
        distribution_event_id,
        count(*) as allocated_holders,
        cast(sum(tokens_held) as {{ dbt.type_bigint() }}) as allocated_tokens,
        sum(allocated) as allocated_amount
    from allocations
    group by distribution_event_id

),

final as (

    select
        -- ids
        events.dividend_event_id,
        events.dividend_contract_id,
        events.master_id,
        contracts.artist_id,
        events.revenue_event_id,
        -- strings
        contracts.distribution_model,
        events.chain_id,
        events.currency,
        events.tx_hash,
        -- numerics
        events.block_number,
        events.log_index,
        events.total_amount,
        events.per_token_amount,
        events.total_holders_at_distribution,
        case
            when contracts.distribution_model = 'per_master'
                then coalesce(allocations_per_distribution.allocated_holders, 0)
        end as allocated_holders,
        case
            when contracts.distribution_model = 'per_master'
                then coalesce(allocations_per_distribution.allocated_tokens, 0)
        end as allocated_tokens,
        case
            when contracts.distribution_model = 'per_master'
                then coalesce(allocations_per_distribution.allocated_amount, 0)
        end as allocated_amount,
        case
            when contracts.distribution_model = 'per_master'
                then events.total_amount - coalesce(allocations_per_distribution.allocated_amount, 0)
        end as unallocated_amount,
        -- timestamps
        events.event_date as distribution_date,
        events.block_timestamp

    from events
    inner join contracts
        on events.dividend_contract_id = contracts.dividend_contract_id
    left join allocations_per_distribution
        on events.dividend_event_id = allocations_per_distribution.distribution_event_id

)

select * from final
