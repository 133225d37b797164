{{ config(severity='error', tags=['invariant', 'hard']) }}

{#- webhooks_log is not replicated (restricted table): its event_id uniqueness is checked on
    the primary by pytest. -#}
with

invoices as (select * from {{ ref('stg_oltp__invoices') }}),
subscriptions as (select * from {{ ref('stg_oltp__subscriptions') }}),

unpaid_paid as (
    select
        'invoices' as offending_table,
        cast(invoice_id as {{ dbt.type_string() }}) as offending_id,
        'paid invoice without paid_at or paid less than due' as problem
    from invoices
    where status = 'paid' and (paid_at is null or amount_paid < amount_due)
),

wrong_user as (
    select
        'invoices' as offending_table,
        cast(invoices.invoice_id as {{ dbt.type_string() }}) as offending_id,
        'invoice user differs from its subscription''s user' as problem
    from invoices
    inner join subscriptions on subscriptions.subscription_id = invoices.subscription_id
    where invoices.user_id <> subscriptions.user_id
),

canceled as (
    select
        'subscriptions' as offending_table,
        cast(subscription_id as {{ dbt.type_string() }}) as offending_id,
        'canceled subscription without canceled_at' as problem
    from subscriptions
    where status = 'canceled' and canceled_at is null
)

select * from unpaid_paid
union all select * from wrong_user
union all select * from canceled
