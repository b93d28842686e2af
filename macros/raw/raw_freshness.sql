{#-
    The freshness query of a raw extract (`loaded_at_query` of the sources in
    models/staging/_raw__sources.yml, `make freshness`): the latest extraction date
    (`udtraeksdato`, either date format staging reads) of the rows the reader could
    read, as a timestamp. Null when the extract has no such row (an optional extract
    not delivered).
-#}
{% macro raw_extraction_date_query(table_name) %}
    {%- set query -%}
        select cast(max({{ parse_date('udtraeksdato') }}) as timestamp) as max_loaded_at
        from {{ raw_source(table_name) }} as raw_rows
        where read_error is null
    {%- endset -%}
    {{ return(query) }}
{% endmacro %}
