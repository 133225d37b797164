{{ config(severity='error', tags=['invariant', 'hard', 'streaming']) }}

{#- "Never in the future" is judged against the play's own ingestion time (created_at), not
    now(): a play cannot start after it was recorded. -#}
with

masters as (select * from {{ ref('stg_oltp__masters') }}),

plays as (
    select
        'play_events' as offending_table,
        cast(plays.play_event_id as {{ dbt.type_string() }}) as offending_id,
        'play before the master existed, after its ingestion, or of a draft/pending master'
            as problem
    from {{ ref('stg_oltp__play_events') }} as plays
    inner join masters on masters.master_id = plays.master_id
    where plays.started_at < masters.created_at
        or plays.started_at > plays.created_at
        or masters.status in ('draft', 'pending')
),

lines as (
    select
        'dsp_stream_reports' as offending_table,
        cast(lines.dsp_stream_report_id as {{ dbt.type_string() }}) as offending_id,
        'statement line before the master''s release date' as problem
    from {{ ref('stg_oltp__dsp_stream_reports') }} as lines
    inner join masters on masters.master_id = lines.master_id
    where masters.release_date is null
        or {{ utc_date('masters.release_date') }} > lines.report_date
)

select * from plays
union all select * from lines
