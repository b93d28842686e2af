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


{#- An extract with no rows, in the shape `read_raw_extract` returns (both engines). -#}
{% macro empty_raw_extract(columns) %}
    {%- set empty_query -%}
        (select
            {%- for column in columns %}
            cast(null as {{ dbt.type_string() }}) as {{ column }},
            {%- endfor %}
            cast(null as {{ dbt.type_string() }}) as source_file,
            cast(null as integer) as source_line,
            cast(null as {{ dbt.type_string() }}) as source_encoding
        where false)
    {%- endset -%}
    {{ return(empty_query) }}
{% endmacro %}


{% macro raw_dir() %}
    {%- set folder = var('raw_dir') | string -%}
    {{ return(folder.rstrip('/')) }}
{% endmacro %}


{% macro duckdb__read_raw_extract(extract, required_columns, optional_columns, is_required) %}
    {%- set columns = required_columns + optional_columns -%}
    {%- set empty_query = empty_raw_extract(columns) -%}
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


{#-
    On Spark every file is read whole with the `binaryFile` source: decoded as UTF-8, or
    as ISO-8859-1 (DuckDB's latin-1) when it is not valid UTF-8, split into lines, the
    header dropped, and each line parsed with `from_csv`. As DuckDB's reader does, empty
    lines are skipped and `source_line` numbers the rows that are read (the first data
    row is line 2). The files of an extract are found by listing the raw folder (paths
    from the query plan and matching the names in Jinja, so that a missing extract is an
    error that names it rather than Spark's PATH_NOT_FOUND.
-#}
{% macro spark__read_raw_extract(extract, required_columns, optional_columns, is_required) %}
    {%- set columns = required_columns + optional_columns -%}
    {%- set empty_query = empty_raw_extract(columns) -%}
    {%- if not execute -%}
        {{ return(empty_query) }}
    {%- endif -%}

    {%- set pattern = raw_dir() ~ '/' ~ extract ~ '*.csv' -%}
    {#- Spark's file sources skip files of 0 bytes, so the files are listed from the plan:
        the file index of a scan names every file the pattern matches, or says that none
        does (PATH_NOT_FOUND, which EXPLAIN reports as text instead of failing). -#}
    {%- do run_query('set spark.sql.maxMetadataStringLength = 1000000') -%}
    {%- set plan = run_query("explain select path from binaryFile.`" ~ pattern ~ "`") -%}
    {%- set plan_text = plan.rows | map(attribute=0) | join('\n') -%}
    {%- set index = modules.re.search('InMemoryFileIndex[(][0-9]+ paths[)]\\[(.*?)\\], PartitionFilters',
        plan_text) -%}
    {%- set matching = [] -%}
    {%- if index -%}
        {%- set name_pattern = '^' ~ modules.re.escape(extract) ~ '.*[.]csv$' -%}
        {%- for found in index.group(1).split(', ') | sort
            if modules.re.match(name_pattern, found.split('/')[-1]) -%}
            {%- do matching.append(found) -%}
        {%- endfor -%}
    {%- elif 'PATH_NOT_FOUND' not in plan_text -%}
        {{ exceptions.raise_compiler_error(
            "Cannot list the raw files " ~ pattern ~ " (extract '" ~ extract ~ "'): " ~ plan_text) }}
    {%- endif -%}
    {%- if matching | length == 0 -%}
        {%- if is_required -%}
            {{ exceptions.raise_compiler_error(
                "Required extract '" ~ extract ~ "' has no file: nothing matches "
                ~ pattern ~ " (raw folder '" ~ raw_dir() ~ "')") }}
        {%- endif -%}
        {{ return(empty_query) }}
    {%- endif -%}
    {#- a file that is not valid UTF-8 is read as Windows-1252 (ISO-8859-1); a file with
        nothing but a byte-order mark and white space is as empty as one of 0 bytes -#}
    {%- set listing -%}
        select
            path,
            length = 0
            or coalesce(trim(both '\t\n\r ' from replace(text, '\uFEFF', '')) = '', false)
                as is_empty,
            not is_utf8 as is_windows_1252,
            regexp_extract(text, '^\uFEFF?([^\r\n]*)', 1) as header_line
        from (
            select
                path,
                length,
                is_utf8,
                case
                    when is_utf8 then decode(content, 'UTF-8')
                    else decode(content, 'ISO-8859-1')
                end as text
            from (
                select path, length, content, is_valid_utf8(cast(content as string)) as is_utf8
                from binaryFile.`{{ pattern }}`
            ) as blobs
        ) as decoded
    {%- endset -%}
    {%- set read = {} -%}
    {%- for row in run_query(listing).rows -%}
        {%- do read.update({row[0]: row}) -%}
    {%- endfor -%}
    {#- a file of 0 bytes has no row: Spark reads nothing from it -#}
    {%- set files = [] -%}
    {%- for found in matching -%}
        {%- do files.append(read.get(found, [found, true, false, ''])) -%}
    {%- endfor -%}

    {%- set selects = [] -%}
    {%- for row in files -%}
        {%- set file_name = row[0].split('/')[-1] -%}
        {%- set path = raw_dir() ~ '/' ~ file_name -%}
        {%- if row[1] -%}
            {{ exceptions.raise_compiler_error(
                "Raw file " ~ path ~ " (extract '" ~ extract ~ "') is empty: no header row") }}
        {%- endif -%}
        {%- set header = [] -%}
        {%- set delivered = {} -%}
        {%- for name in row[3].split(';') -%}
            {%- set name = name | trim -%}
            {%- if name | length >= 2 and name.startswith('"') and name.endswith('"') -%}
                {%- set name = name[1:-1] -%}
            {%- endif -%}
            {%- do delivered.update({name | trim | lower: 'c' ~ loop.index0}) -%}
            {%- do header.append('c' ~ loop.index0 ~ ' string') -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for column in required_columns if column not in delivered -%}
            {%- do missing.append(column) -%}
        {%- endfor -%}
        {%- if missing -%}
            {%- set hint = '' -%}
            {%- if header | length == 1 -%}
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
                    parsed_lines.fields.{{ delivered[column] }}
                {%- else -%}
                    cast(null as string)
                {%- endif %} as {{ column }},
                {%- endfor %}
                '{{ file_name }}' as source_file,
                cast(parsed_lines.line_index + 2 as integer) as source_line,
                '{{ 'windows-1252' if row[2] else 'utf-8' }}' as source_encoding
            from (
                select
                    raw_lines.line_index,
                    from_csv(
                        raw_lines.line,
                        '{{ header | join(', ') }}',
                        map('sep', ';', 'quote', '"', 'escape', '"')
                    ) as fields
                from (
                    select posexplode(
                        filter(slice(raw_file.lines, 2, size(raw_file.lines)), line -> line != '')
                    ) as (line_index, line)
                    from (
                        select split(
                            decode(content, '{{ 'ISO-8859-1' if row[2] else 'UTF-8' }}'),
                            '\\r?\\n'
                        ) as lines
                        from binaryFile.`{{ row[0] }}`
                    ) as raw_file
                ) as raw_lines
            ) as parsed_lines
        {%- endset -%}
        {%- do selects.append(one) -%}
    {%- endfor -%}
    {{ return('(' ~ selects | join('\n    union all\n') ~ ')') }}
{% endmacro %}
