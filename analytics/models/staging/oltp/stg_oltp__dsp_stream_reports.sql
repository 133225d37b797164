with

source as (

    select * from {{ source('oltp', 'dsp_stream_reports') }}

),

renamed as (

    select
        -- ids
        id as dsp_stream_report_id,
        master_id,
        revenue_event_id,
        -- strings
        country_code,
        currency,
        statement_id,
        -- categories
        cast(platform as {{ dbt.type_string() }}) as platform,
        -- numerics
        stream_count,
        listener_count,
        royalty_amount,
        royalty_amount_usd,
        -- timestamps
        report_date,
        ingested_at

    from source

)

select * from renamed
