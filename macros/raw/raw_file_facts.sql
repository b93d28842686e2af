{#-
    The raw files' facts kept from one build to the next (src/faellesborger/raw_intake.py):
    the listing reads every file's bytes to count its lines, check its encoding and
    fingerprint it; a build on an existing warehouse takes the facts of the files whose
    status (size, times, inode) is unchanged from `main.raw_file_facts`, so that it reads
    only the new or changed files. The table holds one JSON text: per file its status, its
    counts, encoding, chunks and SHA-256, no header and nothing else of its content. On
    DuckDB only; Spark lists the folder its own way.
-#}

{#- on-run-start: the kept facts, before any model lists the raw folder. -#}
{% macro load_raw_file_facts() %}
    {%- if execute -%}
        {%- do adapter.dispatch('load_raw_file_facts', 'faellesborger')() -%}
    {%- endif -%}
    select 1
{% endmacro %}

{% macro default__load_raw_file_facts() %}
{% endmacro %}

{% macro duckdb__load_raw_file_facts() %}
    {%- set kept = adapter.get_relation(
        database=target.database, schema='main', identifier='raw_file_facts') -%}
    {%- if kept is not none -%}
        {%- set taken = run_query('select faellesborger_raw_facts_import(kept_facts) from '
            ~ kept) -%}
        {{ log('Raw files whose kept facts were taken (not read again): '
            ~ (taken.rows | map('first') | sum), info=false) }}
    {%- endif -%}
{% endmacro %}


{#- on-run-end: the facts of the files this build listed, for the next build. -#}
{% macro save_raw_file_facts() %}
    {%- if execute and flags.WHICH in ['run', 'build', 'seed', 'snapshot'] -%}
        {%- do adapter.dispatch('save_raw_file_facts', 'faellesborger')() -%}
    {%- endif -%}
    select 1
{% endmacro %}

{% macro default__save_raw_file_facts() %}
{% endmacro %}

{% macro duckdb__save_raw_file_facts() %}
    {%- do run_query('create schema if not exists main') -%}
    {%- do run_query('create or replace table main.raw_file_facts as'
        ~ ' select faellesborger_raw_facts_export() as kept_facts') -%}
    {%- do adapter.commit() -%}
{% endmacro %}
