{#-
    Reads every `<extract>*.csv` file of the raw folder (var `raw_dir`) as text columns.

    Returns a parenthesised query with one column per declared column of the extract
    (lower-case names, values as delivered, missing optional columns as null) plus
    `source_file` (file name), `source_line` (line in the file; the header is line 1)
    and `source_encoding`. Header case, surrounding spaces, column order and extra
    columns may vary; the encoding (UTF-8 with or without BOM, or Windows-1252) is
    detected per file.

    Stops the build with an error naming the extract or file when a required extract has
    no file, a file is empty, is not `;`-separated or lacks a required column.

    What differs between engines (file listing, encodings, line numbers) lives in the
    adapter-specific implementations.
-#}
{% macro read_raw_extract(extract, required_columns, optional_columns=[], is_required=true) %}
    {{ return(adapter.dispatch('read_raw_extract', 'faellesborger')(
        extract, required_columns, optional_columns, is_required)) }}
{% endmacro %}


{% macro default__read_raw_extract(extract, required_columns, optional_columns, is_required) %}
    {{ exceptions.raise_compiler_error(
        "read_raw_extract is not implemented for adapter '" ~ adapter.type() ~ "'") }}
{% endmacro %}


{% macro raw_dir() %}
    {%- set folder = var('raw_dir') | string -%}
    {{ return(folder.rstrip('/')) }}
{% endmacro %}


{% macro duckdb__read_raw_extract(extract, required_columns, optional_columns, is_required) %}
    {%- set columns = required_columns + optional_columns -%}
    {%- set empty_query -%}
        (select
            {%- for column in columns %}
            cast(null as varchar) as {{ column }},
            {%- endfor %}
            cast(null as varchar) as source_file,
            cast(null as integer) as source_line,
            cast(null as varchar) as source_encoding
        where false)
    {%- endset -%}
    {%- if not execute -%}
        {{ return(empty_query) }}
    {%- endif -%}

    {%- set pattern = raw_dir() ~ '/' ~ extract ~ '*.csv' -%}
    {%- set found = run_query("select file from glob('" ~ pattern ~ "')") -%}
    {%- if found.rows | length == 0 -%}
        {%- if is_required -%}
            {{ exceptions.raise_compiler_error(
                "Required extract '" ~ extract ~ "' has no file: nothing matches "
                ~ pattern ~ " (raw folder '" ~ raw_dir() ~ "')") }}
        {%- endif -%}
        {{ return(empty_query) }}
    {%- endif -%}
    {#- a file that is not valid UTF-8 is read as Windows-1252 (Latin-1); a file with
        nothing but a byte-order mark and white space is as empty as one of 0 bytes (only
        small files can be: the text of a large one is not searched) -#}
    {%- set listing -%}
        select
            file,
            size = 0 or (size <= 64 and coalesce(trim(replace(text, chr(65279), ''),
                chr(9) || chr(10) || chr(13) || ' ') = '', false)) as is_empty,
            text is null as is_windows_1252
        from (
            select filename as file, size, try(decode(content)) as text
            from read_blob('{{ pattern }}')
        ) as blobs
        order by file
    {%- endset -%}
    {%- set files = run_query(listing) -%}

    {%- set selects = [] -%}
    {%- for row in files.rows -%}
        {%- set path = row[0] -%}
        {%- set file_name = path.split('/')[-1] -%}
        {%- if row[1] -%}
            {{ exceptions.raise_compiler_error(
                "Raw file " ~ path ~ " (extract '" ~ extract ~ "') is empty: no header row") }}
        {%- endif -%}
        {%- set encoding = 'latin-1' if row[2] else 'utf-8' -%}
        {%- set reader -%}
            read_csv('{{ path }}', delim = ';', quote = '"', escape = '"', header = true,
                all_varchar = true, encoding = '{{ encoding }}')
        {%- endset -%}
        {%- set header = run_query('describe select * from ' ~ reader) -%}
        {%- set delivered = {} -%}
        {%- for column in header.rows -%}
            {%- do delivered.update({column[0] | trim | lower: column[0]}) -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for column in required_columns if column not in delivered -%}
            {%- do missing.append(column) -%}
        {%- endfor -%}
        {%- if missing -%}
            {%- set hint = '' -%}
            {%- if header.rows | length == 1 -%}
                {%- set hint = " The header has a single column: the file does not seem to be"
                    ~ " ';'-separated." -%}
            {%- endif -%}
            {{ exceptions.raise_compiler_error(
                "Raw file " ~ path ~ " (extract '" ~ extract ~ "') lacks required column(s) "
                ~ missing | join(', ') ~ "." ~ hint) }}
        {%- endif -%}
        {%- set one -%}
            select
                {%- for column in columns %}
                {% if column in delivered -%}
                    "{{ delivered[column] }}"
                {%- else -%}
                    cast(null as varchar)
                {%- endif %} as {{ column }},
                {%- endfor %}
                '{{ file_name }}' as source_file,
                cast(ordinality + 1 as integer) as source_line,
                '{{ 'windows-1252' if row[2] else 'utf-8' }}' as source_encoding
            from {{ reader }} with ordinality
        {%- endset -%}
        {%- do selects.append(one) -%}
    {%- endfor -%}
    {{ return('(' ~ selects | join('\n    union all\n') ~ ')') }}
{% endmacro %}
