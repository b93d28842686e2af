{#-
    Reads every file of an extract in the raw folder (var `raw_dir`) as text columns.

    Returns a parenthesised query with one column per declared column of the extract
    (lower-case names, values as delivered, missing optional columns as null) plus
    `source_file` (file name), `source_line` (the PHYSICAL line of the file; the header
    is line 1), `source_encoding` and `read_error`: null for a row the reader could split
    into the header's fields, else what is wrong with the line, never its content
    (`whitespace-only line`, `malformed line (unbalanced quote)`, `N fields where the
    header has M`); the column values of such a row are null. Empty lines (nothing but an
    optional carriage return) are no rows; the row accounting counts them from the bytes.

    The files are found and checked by listing the raw folder (`raw_listing`, never a
    glob): a file belongs to the extract when its name, in any case, starts with the
    extract's name and ends with `.csv`. Header case, surrounding spaces and quotes,
    column order and extra columns may vary; the encoding (UTF-8 with or without BOM, or
    Windows-1252) is decided per file from its bytes.

    Stops the build with an error naming the extract or file when a required extract has
    no file or no data row, a file is empty, is UTF-16 or neither UTF-8 nor clean
    Windows-1252, is a symbolic link out of the raw folder, has a name that cannot stand
    in SQL, is not `;`-separated, lacks a required column or has a declared column twice.

    The lines are split and parsed by one SQL macro that both engines share
    (`parse_raw_lines`); only the reading of a file into (physical line number, line)
    rows differs (`raw_file_lines`).

    `only_files` (a list of file names, or none for all): read only these of the
    extract's files. The checks of the extract as a whole (a required extract with no
    file or no data row, a file that cannot be read) still look at every file.
-#}
{% macro read_raw_extract(extract, required_columns, optional_columns=[], is_required=true,
    only_files=none) %}
    {%- set columns = required_columns + optional_columns -%}
    {%- if not execute -%}
        {{ return(empty_raw_extract(columns)) }}
    {%- endif -%}
    {%- set all_files = raw_extract_files(extract, is_required) -%}
    {%- set files = [] -%}
    {%- for file in all_files if only_files is none or file.file_name in only_files -%}
        {%- do files.append(file) -%}
    {%- endfor -%}
    {%- if files | length == 0 -%}
        {{ return(empty_raw_extract(columns)) }}
    {%- endif -%}
    {%- set selects = [] -%}
    {%- for file in files -%}
        {%- set header = raw_header_positions(file, extract, required_columns, optional_columns) -%}
        {%- do selects.append(parse_raw_lines(
            raw_file_lines(file), file, columns, header.positions, header.width)) -%}
    {%- endfor -%}
    {{ return('(' ~ selects | join('\n    union all\n') ~ ')') }}
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
            cast(null as {{ dbt.type_string() }}) as source_encoding,
            cast(null as {{ dbt.type_string() }}) as file_fingerprint,
            cast(null as {{ dbt.type_string() }}) as read_error
        where false)
    {%- endset -%}
    {{ return(empty_query) }}
{% endmacro %}


{% macro raw_dir() %}
    {%- set folder = var('raw_dir') | string -%}
    {{ return(folder.rstrip('/') or '/') }}
{% endmacro %}


{#- The names of the raw extracts (the tables of source `raw`), longest first. -#}
{% macro raw_extract_names() %}
    {%- set names = [] -%}
    {%- for node in graph.get('sources', {}).values() if node.source_name == 'raw' -%}
        {%- do names.append(node.name) -%}
    {%- endfor -%}
    {{ return(names | sort) }}
{% endmacro %}


{#-
    The files of one extract as the listing describes them (dicts with `file_name`,
    `path`, `source_encoding`, `physical_lines`, `empty_lines`, `header`...), in name
    order. Raises the listing's error for a file of the extract that cannot be read, and
    the errors of a required extract with no file or with no data row.
-#}
{% macro raw_extract_files(extract, is_required) %}
    {%- set listing = raw_listing() -%}
    {%- set files = [] -%}
    {%- for entry in listing.files if entry.extract_name == extract -%}
        {%- if entry.file_status == 'error' -%}
            {{ exceptions.raise_compiler_error(entry.skip_reason) }}
        {%- endif -%}
        {%- if entry.physical_lines == entry.empty_lines + entry.whitespace_lines -%}
            {{ exceptions.raise_compiler_error(
                raw_file_error(entry.path, extract, "is empty: no header row")) }}
        {%- endif -%}
        {%- do files.append(entry) -%}
    {%- endfor -%}
    {%- if files | length == 0 and is_required -%}
        {{ exceptions.raise_compiler_error(
            "Required extract '" ~ extract ~ "' has no file: nothing matches "
            ~ raw_dir() ~ "/" ~ extract ~ "*.csv (raw folder '" ~ raw_dir() ~ "')") }}
    {%- endif -%}
    {%- set data_rows = [] -%}
    {%- for file in files -%}
        {%- do data_rows.append(file.physical_lines - 1 - file.empty_lines) -%}
    {%- endfor -%}
    {%- if files and is_required and data_rows | sum == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Required extract '" ~ extract ~ "' has no data row: its files ("
            ~ files | map(attribute='file_name') | join(', ')
            ~ ") hold a header and nothing else (raw folder '" ~ raw_dir() ~ "')") }}
    {%- endif -%}
    {{ return(files) }}
{% endmacro %}


{#-
    The error of one raw file: `Raw file <path> (extract '<extract>') <problem>`. Every
    error about a file of an extract that the macros raise (an empty file, a missing or
    doubled column, and on Spark the listing's name and encoding errors) is built here;
    on DuckDB the listing is the Python UDF, which builds the same prefix
    (src/faellesborger/raw_intake.py).
-#}
{% macro raw_file_error(path, extract, problem) %}
    {{ return("Raw file " ~ path ~ " (extract '" ~ extract ~ "') " ~ problem) }}
{% endmacro %}


{#- The listing of the raw folder (see `raw_listing` of the engine), as a dict. -#}
{% macro raw_listing() %}
    {%- set listing = adapter.dispatch('raw_listing', 'faellesborger')() -%}
    {%- if listing.error -%}
        {{ exceptions.raise_compiler_error(
            "Raw folder '" ~ raw_dir() ~ "': " ~ listing.error) }}
    {%- endif -%}
    {{ return(listing) }}
{% endmacro %}

{#- DuckDB: the Python UDF `faellesborger_raw_listing` (src/faellesborger/raw_intake.py). -#}
{% macro duckdb__raw_listing() %}
    {%- set found = run_query("select faellesborger_raw_listing("
        ~ sql_string_literal(raw_dir()) ~ ", "
        ~ sql_string_literal(raw_extract_names() | join(',')) ~ ")") -%}
    {{ return(fromjson(found.rows[0][0])) }}
{% endmacro %}


{#-
    Positions of the declared columns in a file's header: split on `;`, surrounding
    spaces and quotes stripped, lower-cased. Returns {positions: {column: 1-based
    position}, width: number of header fields}. A declared column present twice is an
    error naming the file and the column; missing required columns are an error naming
    them. Never prints an undeclared header name: the "header" of a file without one is a
    data row with a CPR number.
-#}
{% macro raw_header_positions(file, extract, required_columns, optional_columns) %}
    {%- set declared = required_columns + optional_columns -%}
    {%- set names = (file.header or '').split(';') -%}
    {%- set positions = {} -%}
    {%- for raw_name in names -%}
        {%- set name = raw_name | trim -%}
        {%- if name | length >= 2 and name.startswith('"') and name.endswith('"') -%}
            {%- set name = name[1:-1] | trim -%}
        {%- endif -%}
        {%- set name = name | lower -%}
        {%- if name in declared -%}
            {%- if name in positions -%}
                {{ exceptions.raise_compiler_error(raw_file_error(file.path, extract,
                    "has the column " ~ name ~ " twice in its header (names compared in lower case)")) }}
            {%- endif -%}
            {%- do positions.update({name: loop.index}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for column in required_columns if column not in positions -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if missing -%}
        {%- set hint = '' -%}
        {%- if names | length == 1 -%}
            {%- set hint = " The header has a single column: the file does not seem to be"
                ~ " ';'-separated." -%}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(raw_file_error(file.path, extract,
            "lacks required column(s) " ~ missing | join(', ') ~ "." ~ hint)) }}
    {%- endif -%}
    {{ return({'positions': positions, 'width': names | length}) }}
{% endmacro %}


{#-
    The lines of one file as a query with `source_line` (physical line number, 1 = the
    header) and `raw_line` (the line without its `\n`), the lines after the last line end
    excluded. The only engine-specific part of the parsing.
-#}
{% macro raw_file_lines(file) %}
    {{ return(adapter.dispatch('raw_file_lines', 'faellesborger')(file)) }}
{% endmacro %}

{#-
    DuckDB: the file read a chunk of whole lines at a time (`line_chunks` of the listing,
    src/faellesborger/raw_intake.py: at most 32 MiB each), each chunk's bytes decoded and
    split on line ends and its lines numbered from the chunk's first physical line. The
    chunks are branches of a `union all`, so that DuckDB holds a chunk's text and lines in
    memory, not the whole file's: a file's text and its list of lines cannot spill to
    disk, and a national extract runs to gigabytes.
-#}
{% macro duckdb__raw_file_lines(file) %}
    {%- set chunks = [] -%}
    {%- for chunk in file.line_chunks -%}
        {%- set content -%}
            faellesborger_read_bytes(
                {{ sql_string_literal(file.path) }},
                {{ chunk[1] | int }},
                {{ chunk[2] | int }}
            )
        {%- endset -%}
        {%- set text -%}
            {%- if file.source_encoding == 'utf-8' -%}
                decode({{ content }})
            {%- else -%}
                faellesborger_decode({{ content }}, {{ sql_string_literal(file.source_encoding) }})
            {%- endif -%}
        {%- endset -%}
        {%- set lines -%}
            select
                cast({{ chunk[0] | int }} - 1 + generate_subscripts(split_lines, 1) as integer)
                    as source_line,
                unnest(split_lines) as raw_line
            from (
                select string_split({{ text }}, chr(10)) as split_lines
            ) as raw_chunk
        {%- endset -%}
        {%- do chunks.append(lines) -%}
    {%- endfor -%}
    {{ return(chunks | join('\n    union all\n')) }}
{% endmacro %}


{#-
    Parses the (source_line, raw_line) rows of one file into the extract's columns. The
    same SQL on both engines: a trailing carriage return is stripped; empty lines are no
    rows; a whitespace-only line is a row with a `read_error`; a line without `"` splits
    on `;`; a line with `"` must be a sequence of `;`-separated plain or quoted fields
    (`""` inside quotes is a quote), else `malformed line (unbalanced quote)`; a line
    with another number of fields than the header is a row with a `read_error`. No
    comment handling: `#` is data.
-#}
{% macro parse_raw_lines(lines, file, columns, positions, width) %}
    {%- set parsed -%}
        select
            {%- for column in columns %}
            {% if column in positions -%}
                case when read_error is null then {{ raw_array_element('fields', positions[column]) }} end
            {%- else -%}
                cast(null as {{ dbt.type_string() }})
            {%- endif %} as {{ column }},
            {%- endfor %}
            cast({{ sql_string_literal(file.file_name) }} as {{ dbt.type_string() }}) as source_file,
            cast(source_line as integer) as source_line,
            cast({{ sql_string_literal(file.source_encoding) }} as {{ dbt.type_string() }})
                as source_encoding,
            cast({{ sql_string_literal(file.file_fingerprint) }} as {{ dbt.type_string() }})
                as file_fingerprint,
            read_error
        from (
            select
                source_line,
                fields,
                case
                    when is_whitespace_only then 'whitespace-only line'
                    when fields is null then 'malformed line (unbalanced quote)'
                    when {{ raw_array_size('fields') }} != {{ width }}
                        then cast({{ raw_array_size('fields') }} as {{ dbt.type_string() }})
                        || ' fields where the header has {{ width }}'
                end as read_error
            from (
                select
                    source_line,
                    {{ raw_regexp_full_match('line', '[ \\t\\r\\x0b\\x0c]+') }} as is_whitespace_only,
                    case
                        when line not like '%"%' then split(line, ';')
                        when {{ raw_regexp_full_match('line', raw_quoted_line_pattern()) }}
                            then {{ raw_unquoted_fields("line || ';'") }}
                    end as fields
                from (
                    select
                        source_line,
                        case
                            when raw_line like ('%' || chr(13))
                                then substr(raw_line, 1, length(raw_line) - 1)
                            else raw_line
                        end as line
                    from ({{ lines }}) as file_lines
                    where source_line between 2 and {{ file.physical_lines }}
                ) as numbered
                where line != ''
            ) as split_lines
        ) as checked_lines
    {%- endset -%}
    {{ return(parsed) }}
{% endmacro %}


{#- The 1-based `position`-th element of an array. -#}
{% macro raw_array_element(array, position) %}
    {{ return(adapter.dispatch('raw_array_element', 'faellesborger')(array, position)) }}
{% endmacro %}

{% macro default__raw_array_element(array, position) %}
    {{ return(array ~ '[' ~ position ~ ']') }}
{% endmacro %}

{% macro spark__raw_array_element(array, position) %}
    {{ return('element_at(' ~ array ~ ', ' ~ position ~ ')') }}
{% endmacro %}


{#- The number of elements of an array. -#}
{% macro raw_array_size(array) %}
    {{ return(adapter.dispatch('raw_array_size', 'faellesborger')(array)) }}
{% endmacro %}

{% macro default__raw_array_size(array) %}
    {{ return('len(' ~ array ~ ')') }}
{% endmacro %}

{% macro spark__raw_array_size(array) %}
    {{ return('size(' ~ array ~ ')') }}
{% endmacro %}


{#- True when the whole of `expression` matches the regular expression `pattern`. -#}
{% macro raw_regexp_full_match(expression, pattern) %}
    {{ return(adapter.dispatch('raw_regexp_full_match', 'faellesborger')(expression, pattern)) }}
{% endmacro %}

{% macro default__raw_regexp_full_match(expression, pattern) %}
    {{ return('regexp_full_match(' ~ expression ~ ", '" ~ pattern ~ "')") }}
{% endmacro %}

{#- Spark unescapes `\` in string literals: the pattern's backslashes are doubled. -#}
{% macro spark__raw_regexp_full_match(expression, pattern) %}
    {{ return('(' ~ expression ~ " rlike '^(?:" ~ pattern.replace('\\', '\\\\') ~ ")$')") }}
{% endmacro %}


{#-
    A line of `;`-separated fields, each plain (no `;` or `"`) or quoted (`""` inside is
    a quote). Java's regular expressions (Spark) need possessive quantifiers against
    backtracking on long fields; RE2 (DuckDB) has none and needs none.
-#}
{% macro raw_quoted_line_pattern() %}
    {{ return(adapter.dispatch('raw_quoted_line_pattern', 'faellesborger')()) }}
{% endmacro %}

{% macro default__raw_quoted_line_pattern() %}
    {{ return('(?:"(?:[^"]|"")*"|[^;"]*)(?:;(?:"(?:[^"]|"")*"|[^;"]*))*') }}
{% endmacro %}

{% macro spark__raw_quoted_line_pattern() %}
    {{ return('(?:"(?:[^"]++|"")*+"|[^;"]*+)(?:;(?:"(?:[^"]++|"")*+"|[^;"]*+))*+') }}
{% endmacro %}


{#- The fields of a well-formed line that ends with `;`, unquoted. -#}
{% macro raw_unquoted_fields(terminated_line) %}
    {{ return(adapter.dispatch('raw_unquoted_fields', 'faellesborger')(terminated_line)) }}
{% endmacro %}

{% macro default__raw_unquoted_fields(terminated_line) %}
    {%- set fields -%}
        list_transform(
            regexp_extract_all({{ terminated_line }}, '("(?:[^"]|"")*"|[^;"]*);', 1),
            field -> {{ raw_unquoted_field('field') }}
        )
    {%- endset -%}
    {{ return(fields) }}
{% endmacro %}

{% macro spark__raw_unquoted_fields(terminated_line) %}
    {%- set fields -%}
        transform(
            regexp_extract_all({{ terminated_line }}, '("(?:[^"]++|"")*+"|[^;"]*+);', 1),
            field -> {{ raw_unquoted_field('field') }}
        )
    {%- endset -%}
    {{ return(fields) }}
{% endmacro %}

{% macro raw_unquoted_field(field) %}
    {%- set unquoted -%}
        case
            when {{ field }} like '"%'
                then replace(substr({{ field }}, 2, length({{ field }}) - 2), '""', '"')
            else {{ field }}
        end
    {%- endset -%}
    {{ return(unquoted) }}
{% endmacro %}


{#-
    The entries of the raw folder as a parenthesised query (model `rpt_raw_files`):
    file_name, extract_name, file_status, skip_reason, source_encoding, file_bytes,
    physical_lines, empty_lines, whitespace_lines.
-#}
{% macro raw_folder_entries() %}
    {{ return(adapter.dispatch('raw_folder_entries', 'faellesborger')()) }}
{% endmacro %}

{#- DuckDB: the JSON of the UDF `faellesborger_raw_listing`, unnested. -#}
{% macro duckdb__raw_folder_entries() %}
    {%- if execute -%}
        {%- do raw_listing() -%}
    {%- endif -%}
    {%- set entries -%}
        (select
            entry.file_name,
            entry.extract_name,
            entry.file_status,
            entry.skip_reason,
            entry.source_encoding,
            entry.file_bytes,
            entry.physical_lines,
            entry.empty_lines,
            entry.whitespace_lines
        from (
            select unnest(from_json(
                faellesborger_raw_listing(
                    {{ sql_string_literal(raw_dir()) }},
                    {{ sql_string_literal(raw_extract_names() | join(',')) }}
                ),
                '{"files": [{"file_name": "VARCHAR", "extract_name": "VARCHAR",
                  "file_status": "VARCHAR", "skip_reason": "VARCHAR",
                  "source_encoding": "VARCHAR", "file_bytes": "BIGINT",
                  "physical_lines": "INTEGER", "empty_lines": "INTEGER",
                  "whitespace_lines": "INTEGER"}]}'
            ).files) as entry
        ) as entries)
    {%- endset -%}
    {{ return(entries) }}
{% endmacro %}


{#-
    Spark: the listing of the raw folder in the shape of the DuckDB UDF's (see
    src/faellesborger/raw_intake.py), as far as Spark SQL can. The entries come from the
    file index of a scan of `<raw folder>/*` (EXPLAIN names every entry, files of 0 bytes
    too, which Spark's file sources skip), the facts from one `binaryFile` query. What
    differs from DuckDB: Spark lists no hidden file and cannot tell a folder from a file
    of 0 bytes (both are "not a raw extract's file name" unless named like an extract's
    file, then "empty"); symbolic links cannot be checked from Spark SQL (a link is
    followed: keep links out of the raw folder); a Windows-1252 file is decoded as
    ISO-8859-1 (Spark 4 refuses `windows-1252` without spark.sql.legacy.javaCharsets), which
    differs only in the bytes 0x80-0x9F (e.g. the euro sign); the check that a
    Windows-1252 file holds no UTF-8 sequence is a regular expression over those bytes.
    The name rules (extract match, refused characters) are the Python module's, repeated
    here in Jinja: keep both in step.
-#}
{% macro spark__raw_listing() %}
    {%- set folder = raw_dir() -%}
    {%- set unsafe = '[*?\\[\\]{}\\\\`\\x00-\\x1f\\x7f]' -%}
    {%- if modules.re.search(unsafe, folder) -%}
        {{ return({'error': "The raw folder's path holds a character that file readers take as a"
            ~ " pattern or that cannot stand in SQL (* ? [ ] { } \\ ` or a control character):"
            ~ " rename the folder", 'files': []}) }}
    {%- endif -%}
    {%- do run_query('set spark.sql.maxMetadataStringLength = 1000000') -%}
    {%- set plan = run_query("explain select path from binaryFile.`" ~ folder ~ "/*`") -%}
    {%- set plan_text = plan.rows | map(attribute=0) | join('\n') -%}
    {%- set index = modules.re.search(
        'InMemoryFileIndex[(][0-9]+ paths[)]\\[(.*?)\\], PartitionFilters', plan_text) -%}
    {%- if not index -%}
        {%- if 'PATH_NOT_FOUND' not in plan_text -%}
            {{ exceptions.raise_compiler_error(
                "Cannot list the raw folder '" ~ folder ~ "' on Spark") }}
        {%- endif -%}
        {{ return({'error': none, 'files': []}) }}
    {%- endif -%}
    {%- set facts_query -%}
        select
            file_name,
            length,
            head,
            first_nul_line,
            is_utf8,
            first_bad_line,
            latin1 rlike '[\\u00C2-\\u00DF][\\u0080-\\u00BF]|[\\u00E0-\\u00EF][\\u0080-\\u00BF]{2}|[\\u00F0-\\u00F4][\\u0080-\\u00BF]{3}'
                as has_utf8_sequence,
            latin1 rlike '[\\u0081\\u008D\\u008F\\u0090\\u009D]' as has_undefined_cp1252,
            case when length(text) = 0 then 0 else size(text_lines) - ends_with_line_end end
                as physical_lines,
            size(filter(text_lines, l -> l = '' or l = '\r')) - ends_with_line_end as empty_lines,
            size(filter(text_lines, l -> l != '' and l != '\r' and l rlike '^[ \\t\\r\\x0b\\x0c]+$'))
                as whitespace_lines,
            regexp_extract(text, '^([^\n]*)', 1) as header_line,
            fingerprint
        from (
            select
                *,
                split(text, '\n', -1) as text_lines,
                case when text like '%\n' then 1 else 0 end as ends_with_line_end
            from (
                select
                    *,
                    regexp_replace(
                        case when is_utf8 then decode(content, 'UTF-8') else latin1 end,
                        '^\uFEFF', ''
                    ) as text,
                    case when is_utf8 then 0 else array_position(transform(
                        split(latin1, '\n', -1),
                        l -> is_valid_utf8(cast(encode(l, 'ISO-8859-1') as string))
                    ), false) end as first_bad_line,
                    case when nul_at > 0 then size(split(substr(latin1, 1, nul_at), '\n', -1)) end
                        as first_nul_line
                from (
                    select
                        regexp_extract(url_decode(replace(path, '+', '%2B')), '([^/]*)$', 1) as file_name,
                        length,
                        content,
                        hex(substr(content, 1, 4)) as head,
                        sha2(content, 256) as fingerprint,
                        instr(cast(content as string), chr(0)) as nul_at,
                        is_valid_utf8(cast(content as string)) as is_utf8,
                        decode(content, 'ISO-8859-1') as latin1
                    from binaryFile.`{{ folder }}/*`
                ) as blobs
            ) as decoded
        ) as split_text
    {%- endset -%}
    {%- set facts = {} -%}
    {%- for row in run_query(facts_query).rows -%}
        {%- do facts.update({row[0]: row}) -%}
    {%- endfor -%}
    {%- set extracts = raw_extract_names() -%}
    {%- set entries = [] -%}
    {%- for found in index.group(1).split(', ') | sort -%}
        {%- set name = found.split('/')[-1] -%}
        {%- set path = folder ~ '/' ~ name -%}
        {%- set longest = {'extract': none} -%}
        {%- for extract in extracts
            if name.lower().startswith(extract) and name.lower().endswith('.csv')
            and extract | length > (longest.extract or '') | length -%}
            {%- do longest.update({'extract': extract}) -%}
        {%- endfor -%}
        {%- set extract = longest.extract -%}
        {%- set entry = {'file_name': name, 'path': path, 'extract_name': extract,
            'file_status': 'read', 'skip_reason': none, 'source_encoding': none,
            'file_bytes': none, 'physical_lines': none, 'empty_lines': none,
            'whitespace_lines': none, 'header': none, 'file_fingerprint': none} -%}
        {%- set fact = facts.get(name) -%}
        {%- if name.startswith('.') -%}
            {%- do entry.update({'extract_name': none, 'file_status': 'skipped', 'skip_reason': 'hidden file'}) -%}
        {%- elif extract is none -%}
            {%- do entry.update({'file_status': 'skipped', 'skip_reason': "not a raw extract's file name"}) -%}
        {%- elif modules.re.search(unsafe, name) -%}
            {%- do entry.update({'file_status': 'error', 'skip_reason': raw_file_error(path, extract,
                "has a name with a character that file readers take as a pattern or that"
                ~ " cannot stand in SQL (* ? [ ] { } \\ ` or a control character): rename it")}) -%}
        {%- elif fact is none -%}
            {%- do entry.update({'source_encoding': 'utf-8', 'file_bytes': 0, 'physical_lines': 0,
                'empty_lines': 0, 'whitespace_lines': 0, 'header': '',
                'file_fingerprint': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'}) -%}
        {%- else -%}
            {%- set error = none -%}
            {%- set encoding = 'utf-8' if fact[4] else 'windows-1252' -%}
            {%- if fact[2].startswith('0000FEFF') or fact[2].startswith('FFFE0000') -%}
                {%- set error = "is encoded as UTF-32 (byte-order mark): deliver UTF-8 or Windows-1252" -%}
            {%- elif fact[2].startswith('FEFF') or fact[2].startswith('FFFE') -%}
                {%- set error = "is encoded as UTF-16 (byte-order mark): deliver UTF-8 or Windows-1252" -%}
            {%- elif fact[3] is not none -%}
                {%- set error = "holds NUL bytes (first on line " ~ fact[3]
                    ~ "): it looks like UTF-16 or a binary file: deliver UTF-8 or Windows-1252" -%}
            {%- elif not fact[4] and (fact[6] or fact[7] or fact[2].startswith('EFBBBF')) -%}
                {%- set error = "is neither valid UTF-8 nor clean Windows-1252: the first byte that"
                    ~ " is not UTF-8 is on line " ~ fact[5] -%}
            {%- endif -%}
            {%- set header = fact[11] -%}
            {%- if header.endswith('\r') -%}
                {%- set header = header[:-1] -%}
            {%- endif -%}
            {%- do entry.update({'file_status': 'error' if error else 'read',
                'skip_reason': raw_file_error(path, extract, error) if error else none,
                'source_encoding': none if error else encoding, 'file_bytes': fact[1],
                'physical_lines': fact[8], 'empty_lines': fact[9], 'whitespace_lines': fact[10],
                'header': header, 'file_fingerprint': fact[12]}) -%}
        {%- endif -%}
        {%- do entries.append(entry) -%}
    {%- endfor -%}
    {{ return({'error': none, 'files': entries}) }}
{% endmacro %}


{#- Spark: the file's bytes decoded whole, split on line ends, numbered before filtering
    (the name was refused before when it holds a character Spark reads as a pattern). -#}
{% macro spark__raw_file_lines(file) %}
    {%- set lines -%}
        select cast(line_index + 1 as integer) as source_line, raw_line
        from (
            select posexplode(split(
                decode(content, {{ sql_string_literal('UTF-8' if file.source_encoding == 'utf-8' else 'ISO-8859-1') }}),
                '\n', -1
            )) as (line_index, raw_line)
            from binaryFile.`{{ file.path }}`
        ) as raw_file
    {%- endset -%}
    {{ return(lines) }}
{% endmacro %}


{#- Spark: the listing's entries as literal rows (names quoted by `sql_string_literal`). -#}
{% macro spark__raw_folder_entries() %}
    {%- set columns = ['file_name', 'extract_name', 'file_status', 'skip_reason',
        'source_encoding', 'file_bytes', 'physical_lines', 'empty_lines', 'whitespace_lines'] -%}
    {%- set numbers = ['file_bytes', 'physical_lines', 'empty_lines', 'whitespace_lines'] -%}
    {%- set rows = [] -%}
    {%- if execute -%}
        {%- for entry in raw_listing().files -%}
            {%- set values = [] -%}
            {%- for column in columns -%}
                {%- if entry[column] is none -%}
                    {%- do values.append('cast(null as ' ~ ('bigint' if column in numbers else 'string')
                        ~ ') as ' ~ column) -%}
                {%- elif column in numbers -%}
                    {%- do values.append('cast(' ~ (entry[column] | int) ~ ' as bigint) as ' ~ column) -%}
                {%- else -%}
                    {%- do values.append(sql_string_literal(entry[column]) ~ ' as ' ~ column) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do rows.append('select ' ~ values | join(', ')) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not rows -%}
        {%- set nothing = [] -%}
        {%- for column in columns -%}
            {%- do nothing.append('cast(null as ' ~ ('bigint' if column in numbers else 'string')
                ~ ') as ' ~ column) -%}
        {%- endfor -%}
        {%- do rows.append('select ' ~ nothing | join(', ') ~ ' where false') -%}
    {%- endif -%}
    {{ return('(' ~ rows | join('\n    union all\n') ~ ')') }}
{% endmacro %}
