{{ config(severity='error', tags=['invariant', 'hard', 'streaming']) }}

select play_event_id, ms_played, track_duration_ms
from {{ ref('stg_oltp__play_events') }}
where ms_played < 0
    or track_duration_ms <= 0
    or ms_played > 2 * track_duration_ms
