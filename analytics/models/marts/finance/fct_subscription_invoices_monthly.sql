{{
    config(
        indexes=[
            {'columns': ['invoice_month', 'currency'], 'unique': true},
        ],
    )
}}

{#- Billing per month and currency: invoices by the month of their period, and the MRR
    bridge of the subscriptions (definitions in _finance__models.yml).

    MRR is measured at each month's end from the subscriptions and their plans: a
    subscription pays from the end of its trial (else its creation) until it is canceled;
    its monthly value is the plan price per month.  Subscriptions still trialing, or never
    paid (incomplete, incomplete_expired), or canceled before their trial ended, never pay.
    Plans are priced in one currency (var plan_price_currency), so MRR sits on that
    currency's rows and is 0 on the others. -#}

with

invoices as (

    select * from {{ ref('stg_oltp__invoices') }}

),

subscriptions as (

    select * from {{ ref('stg_oltp__subscriptions') }}

),

plans as (

    select * from {{ ref('stg_oltp__subscription_plans') }}

),

dated_invoices as (

    select
        {{ utc_month('coalesce(period_start, created_at)') }} as invoice_month,
        currency,
        status,
        amount_due,
        amount_paid
    from invoices

),

invoices_monthly as (

    select
        invoice_month,
        currency,
        count(*) as invoice_count,
        sum(case when status = 'paid' then 1 else 0 end) as paid_invoice_count,
        sum(amount_due) as amount_due,
        sum(amount_paid) as amount_paid
    from dated_invoices
    group by invoice_month, currency

),

paying_periods as (

    select
        subscriptions.subscription_id,
        coalesce(subscriptions.trial_end, subscriptions.created_at) as paying_from,
        case
            when subscriptions.status = 'canceled'
                then coalesce(subscriptions.canceled_at, subscriptions.current_period_end)
        end as paying_until,
        case plans.interval
            when 'monthly' then cast(plans.price_usd as numeric(28, 8))
            when 'yearly' then cast(cast(plans.price_usd as numeric(38, 10)) / 12 as numeric(28, 8))
            -- a lifetime plan is paid once: no recurring revenue
            else cast(0 as numeric(28, 8))
        end as monthly_value
    from subscriptions
    inner join plans on subscriptions.plan_id = plans.subscription_plan_id
    where subscriptions.status not in ('trialing', 'incomplete', 'incomplete_expired')

),

paying_subscriptions as (

    select
        subscription_id,
        monthly_value,
        {{ utc_month('paying_from') }} as first_paying_month,
        -- the first month at whose end the subscription no longer pays
        case when paying_until is not null then {{ utc_month('paying_until') }} end
            as first_lapsed_month
    from paying_periods
    where paying_until is null or paying_until > paying_from

),

month_bounds as (

    select
        min(month_start) as first_month,
        max(month_start) as last_month
    from (
        select invoice_month as month_start from invoices_monthly
        union all
        select first_paying_month from paying_subscriptions
        union all
        select first_lapsed_month from paying_subscriptions
        where first_lapsed_month is not null
    ) as months

),

numbers as (

    {{ dbt.generate_series(1200) }}

),

month_offsets as (

    select generated_number - 1 as month_offset from numbers

),

spine_candidates as (

    select
        {{ dbt.dateadd('month', 'month_offsets.month_offset', 'month_bounds.first_month') }}
            as month_start,
        month_bounds.last_month
    from month_bounds
    cross join month_offsets

),

month_spine as (

    select cast(month_start as date) as invoice_month
    from spine_candidates
    where month_start <= last_month

),

-- what each subscription pays per month at the end of every month it pays through
subscription_months as (

    select
        paying_subscriptions.subscription_id,
        month_spine.invoice_month,
        cast({{ dbt.dateadd('month', 1, 'month_spine.invoice_month') }} as date) as next_month,
        paying_subscriptions.monthly_value
    from paying_subscriptions
    inner join month_spine
        on
            paying_subscriptions.first_paying_month <= month_spine.invoice_month
            and (
                paying_subscriptions.first_lapsed_month is null
                or paying_subscriptions.first_lapsed_month > month_spine.invoice_month
            )

),

-- each subscription's month-end value next to its value a month earlier
movements as (

    select
        coalesce(current_month.invoice_month, previous_month.next_month) as invoice_month,
        current_month.monthly_value as current_value,
        previous_month.monthly_value as previous_value
    from subscription_months as current_month
    full outer join subscription_months as previous_month
        on
            current_month.subscription_id = previous_month.subscription_id
            and current_month.invoice_month = previous_month.next_month

),

mrr_monthly as (

    select
        movements.invoice_month,
        '{{ var("plan_price_currency") }}' as currency,
        coalesce(sum(movements.current_value), 0) as mrr,
        coalesce(sum(
            case when movements.previous_value is null then movements.current_value end
        ), 0) as new_mrr,
        coalesce(sum(
            case
                when movements.current_value > movements.previous_value
                    then movements.current_value - movements.previous_value
            end
        ), 0) as expansion_mrr,
        coalesce(sum(
            case
                when movements.current_value < movements.previous_value
                    then movements.previous_value - movements.current_value
            end
        ), 0) as contraction_mrr,
        coalesce(sum(
            case when movements.current_value is null then movements.previous_value end
        ), 0) as churned_mrr
    from movements
    -- the month after the last one is not measured yet
    inner join month_spine on movements.invoice_month = month_spine.invoice_month
    group by movements.invoice_month

),

month_currencies as (

    select
        invoice_month,
        currency
    from invoices_monthly
    union
    select
        invoice_month,
        '{{ var("plan_price_currency") }}' as currency
    from month_spine

),

final as (

    select
        month_currencies.invoice_month,
        month_currencies.currency,
        coalesce(invoices_monthly.invoice_count, 0) as invoice_count,
        coalesce(invoices_monthly.paid_invoice_count, 0) as paid_invoice_count,
        coalesce(invoices_monthly.amount_due, 0) as amount_due,
        coalesce(invoices_monthly.amount_paid, 0) as amount_paid,
        coalesce(mrr_monthly.mrr, 0) as mrr,
        coalesce(mrr_monthly.new_mrr, 0) as new_mrr,
        coalesce(mrr_monthly.expansion_mrr, 0) as expansion_mrr,
        coalesce(mrr_monthly.contraction_mrr, 0) as contraction_mrr,
        coalesce(mrr_monthly.churned_mrr, 0) as churned_mrr
    from month_currencies
    left join invoices_monthly
        on
            month_currencies.invoice_month = invoices_monthly.invoice_month
            and month_currencies.currency = invoices_monthly.currency
    left join mrr_monthly
        on
            month_currencies.invoice_month = mrr_monthly.invoice_month
            and month_currencies.currency = mrr_monthly.currency

)

select * from final
