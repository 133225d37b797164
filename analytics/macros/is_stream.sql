{#- The stream rule (streaming.md): a play counts as a stream from
    var('stream_min_ms_played') milliseconds on. -#}
{% macro is_stream(ms_played_column) -%}
    ({{ ms_played_column }} >= {{ var('stream_min_ms_played') }})
{%- endmacro %}
