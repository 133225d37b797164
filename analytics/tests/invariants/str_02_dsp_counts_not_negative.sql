{{ config(severity='error', tags=['invariant', 'hard', 'streaming']) }}

select dsp_stream_report_id, stream_count, listener_count, royalty_amount, royalty_amount_usd
from {{ ref('stg_oltp__dsp_stream_reports') }}
where listener_count > stream_count
    or stream_count < 0
    or listener_count < 0
    or royalty_amount < 0
    or royalty_amount_usd < 0
