{{ config(severity='error', tags=['invariant', 'hard', 'streaming']) }}

select dsp_stream_report_id, platform
from {{ ref('stg_oltp__dsp_stream_reports') }}
where platform = 'audifi'
