{{ config(severity='error', tags=['invariant', 'hard', 'streaming']) }}

select dsp_stream_report_id, statement_id, master_id, platform, country_code, report_date, copies
from (
    select
        dsp_stream_report_id, statement_id, master_id, platform, country_code, report_date,
        count(*) over (
            partition by statement_id, master_id, platform, upper(country_code), report_date
        ) as copies
    from {{ ref('stg_oltp__dsp_stream_reports') }}
) as keyed
where copies > 1
