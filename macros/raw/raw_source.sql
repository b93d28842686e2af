{#-
    The rows of a raw source table (see `read_raw_extract`), with the columns declared in
    the source's `meta` (required_columns, optional_columns, is_required). Values come
    trimmed of surrounding spaces, and a blank value as null: every cleaning rule starts
    from there, and trimming once here instead of in every expression is most of the
    parsing cost saved (BENCHMARKS.md). Only a value that begins or ends with a space is
    trimmed: `trim` copies every value it is given, and most values have nothing to
    trim (the same result as `nullif(trim(value), '')` at half its cost). `read_error`
    (null, or what the reader could not read in the line) comes along: every staging
    model quarantines such a row with it as the reason. `file_fingerprint` (the SHA-256
    of the file's bytes) comes along for the incremental base models. `files`: only the
    files of these names (a base model's new files, `incremental_raw_plan`); none reads
    every file. Also records the dependency of the calling model on the source.
-#}
{% macro raw_source(table_name, files=none) %}
    {%- set relation = source('raw', table_name) -%}
    {%- if not execute -%}
        {{ return('(select 1 as placeholder)') }}
    {%- endif -%}
    {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', 'raw')
        | selectattr('name', 'equalto', table_name) | first -%}
    {%- if node is not defined or node is none -%}
        {{ exceptions.raise_compiler_error("No raw source named " ~ table_name) }}
    {%- endif -%}
    {%- set meta = node.meta -%}
    {%- set columns = meta.required_columns + meta.get('optional_columns', []) -%}
    {%- set delivered = read_raw_extract(
        table_name,
        meta.required_columns,
        meta.get('optional_columns', []),
        meta.get('is_required', true),
        files) -%}
    {%- set trimmed -%}
        (select
            {%- for column in columns %}
            case
                when {{ column }} = '' then null
                when {{ column }} like ' %' or {{ column }} like '% '
                    then nullif(trim({{ column }}), '')
                else {{ column }}
            end as {{ column }},
            {%- endfor %}
            source_file,
            source_line,
            source_encoding,
            file_fingerprint,
            read_error
        from {{ delivered }} as delivered)
    {%- endset -%}
    {{ return(trimmed) }}
{% endmacro %}


{#-
    The hint that makes a common table expression stored once, written between its name
    and its query (`raw_rows as {{ materialized_cte() }} (...)`). The staging base models
    put it on the rows `raw_source` yields: on DuckDB the reader's chunks come out of one
    thread, and every projection after them (parsing, masking, the keyed hash) would run
    on that thread too; read back from the stored rows, they run on every thread
    (BENCHMARKS.md). Spark SQL has no such hint: nothing.
-#}
{% macro materialized_cte() %}
    {{ return(adapter.dispatch('materialized_cte', 'faellesborger')()) }}
{% endmacro %}

{% macro default__materialized_cte() %}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__materialized_cte() %}
    {{ return('materialized') }}
{% endmacro %}
