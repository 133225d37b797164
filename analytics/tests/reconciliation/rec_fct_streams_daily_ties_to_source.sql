{{ config(severity='error', tags=['reconciliation']) }}

{#- Own plays: Σ plays and Σ ms_played = play_events'; DSP: Σ streams, Σ listeners and
    Σ royalty_usd per platform = the statement lines'. -#}
{%- set own -%}
    (select * from {{ ref('fct_streams_daily') }} where platform = 'audifi') as mart
{%- endset -%}
{%- set dsp -%}
    (select * from {{ ref('fct_streams_daily') }} where platform <> 'audifi') as mart
{%- endset -%}

select * from (
{{ test_no_fanout(model=own, column='ms_played',
    source_model=ref('stg_oltp__play_events'), source_column='ms_played',
    count_expression='sum(plays)') }}
) as check_1

union all
select * from (
{{ test_no_fanout(model=dsp, column='streams',
    source_model=ref('stg_oltp__dsp_stream_reports'), source_column='stream_count',
    group_by=['platform'], count_expression='sum(0)', source_count_expression='sum(0)') }}
) as check_2

union all
select * from (
{{ test_no_fanout(model=dsp, column='royalty_usd',
    source_model=ref('stg_oltp__dsp_stream_reports'), source_column='royalty_amount_usd',
    group_by=['platform'], count_expression='sum(0)', source_count_expression='sum(0)') }}
) as check_3
