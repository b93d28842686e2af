{#-
    Cleaning rules shared by the staging models. Plain SQL that DuckDB and Spark share.
    They expect raw values as `raw_source` returns them: trimmed, blank as null.
-#}

{#- A CPR number without dash and spaces; 9 digits (a dropped leading zero) padded to 10. -#}
{% macro normalised_cpr(column) -%}
    case
        when length(replace(replace({{ column }}, '-', ''), ' ', '')) = 9
            then lpad(replace(replace({{ column }}, '-', ''), ' ', ''), 10, '0')
        else replace(replace({{ column }}, '-', ''), ' ', '')
    end
{%- endmacro %}


{#-
    True when a normalised CPR number has 10 digits. A regular expression (each engine's
    own, `raw_regexp_full_match`): on DuckDB 0.17 s for the 2.8 M distinct numbers of the
    BIF extract at scale 10, against 1.1-1.3 s for a length and `translate`.
-#}
{% macro is_ten_digits(cpr) -%}
    {{ raw_regexp_full_match(cpr, '[0-9]{10}') }}
{%- endmacro %}


{#-
    Birth date encoded in a normalised CPR number (null when it is no valid date).
    The 7th digit and the year digits give the century (docs/raw-extracts.md).
-#}
{% macro cpr_birth_date(cpr) -%}
    case when {{ is_ten_digits(cpr) }} then
        try_cast(
            cast(
                case
                    when cast(substr({{ cpr }}, 7, 1) as integer) <= 3 then 1900
                    when cast(substr({{ cpr }}, 7, 1) as integer) in (4, 9)
                        then case when cast(substr({{ cpr }}, 5, 2) as integer) <= 36 then 2000 else 1900 end
                    when cast(substr({{ cpr }}, 5, 2) as integer) <= 57 then 2000
                    else 1800
                end + cast(substr({{ cpr }}, 5, 2) as integer)
                as {{ dbt.type_string() }}
            )
            || '-' || substr({{ cpr }}, 3, 2) || '-' || substr({{ cpr }}, 1, 2)
            as date
        )
    end
{%- endmacro %}


{#- Sex from the last digit of a CPR number: odd for men (M), even for women (K). -#}
{% macro cpr_sex(cpr) -%}
    case
        when cast(substr({{ cpr }}, 10, 1) as integer) % 2 = 1 then 'M'
        else 'K'
    end
{%- endmacro %}


{#-
    Month index (year * 12 + month - 1) of the first month that begins on or after a
    birth date: a person's age in whole years on the first day of month m is
    floor((m - anchor) / 12). Keeps age exact at month starts without a birth date.
-#}
{% macro age_anchor_month(birth_date) -%}
    (
        extract(year from {{ birth_date }}) * 12 + extract(month from {{ birth_date }}) - 1
        + case when extract(day from {{ birth_date }}) = 1 then 0 else 1 end
    )
{%- endmacro %}


{#-
    A date written DD-MM-YYYY or YYYY-MM-DD; null when empty or not a valid date, and
    when a digit of it is something else ('1a-02-2020' is no date). Each engine's own
    parser (`adapter.dispatch`): DuckDB's cast to date reads '2020-02-1a' as 2020-02-01,
    so there `try_strptime` parses the value, which refuses any character its format
    does not name (and takes half the CPU time); Spark's cast refuses such a value
    itself.
-#}
{% macro parse_date(column) -%}
    {{ return(adapter.dispatch('parse_date', 'faellesborger')(column)) }}
{%- endmacro %}

{% macro default__parse_date(column) -%}
    case
        when {{ column }} like '__-__-____'
            then try_cast(
                substr({{ column }}, 7, 4) || '-' || substr({{ column }}, 4, 2)
                || '-' || substr({{ column }}, 1, 2) as date
            )
        when {{ column }} like '____-__-__' then try_cast({{ column }} as date)
    end
{%- endmacro %}

{% macro duckdb__parse_date(column) -%}
    case
        when {{ column }} like '__-__-____'
            then cast(try_strptime({{ column }}, '%d-%m-%Y') as date)
        when {{ column }} like '____-__-__'
            then cast(try_strptime({{ column }}, '%Y-%m-%d') as date)
    end
{%- endmacro %}


{#- True when a value is missing (null or blank). -#}
{% macro is_blank(column) -%}
    (nullif(trim({{ column }}), '') is null)
{%- endmacro %}


{#-
    LAB target group code ('6.1' ... '6.10') from the spellings of the jobcenter system:
    '6.1', '6,1', '§ 6, nr. 1', 'LAB § 6 nr. 1', 'lab6.1'. Null when not recognised.
-#}
{% macro lab_group_code(column) -%}
    case
        when regexp_extract(
            lower({{ column }}), '^(lab)? *(§ *)?6 *([.,]|,? *nr[.]?) *([0-9]{1,2})$', 4
        ) != ''
            then '6.' || cast(cast(regexp_extract(
                lower({{ column }}), '^(lab)? *(§ *)?6 *([.,]|,? *nr[.]?) *([0-9]{1,2})$', 4
            ) as integer) as {{ dbt.type_string() }})
    end
{%- endmacro %}


{#- A legal basis reduced to its number for comparison: 'SEL § 82 b' -> '82b'. -#}
{% macro normalised_paragraph(column) -%}
    replace(replace(replace(replace(replace(replace(replace(
        lower({{ column }}), 'sel', ''), 'sul', ''), 'abl', ''), 'las', ''), '§', ''),
        ' ', ''), '.', '')
{%- endmacro %}


{#-
    Person columns derived at first touch from a normalised CPR number and its birth
    date: the pseudonymous key, sex, birth year and the age anchor month. The CPR number
    and the birth date themselves never leave staging.
-#}
{% macro person_columns(cpr, birth_date, prefix='') -%}
    case when {{ birth_date }} is not null then {{ keyed_hash(cpr) }} end as {{ prefix }}person_key,
    case when {{ birth_date }} is not null then {{ cpr_sex(cpr) }} end as {{ prefix }}sex,
    cast(extract(year from {{ birth_date }}) as integer) as {{ prefix }}birth_year,
    cast({{ age_anchor_month(birth_date) }} as integer) as {{ prefix }}age_anchor_month
{%- endmacro %}


{#-
    The reconciliation of a stg model's checked rows (`checked`: the name of a CTE or
    relation with `source_file`, `source_line`, `extraction_date`, `row_reason` and the
    id and content columns): every column of it, and

    - `rejection_reason`: the row's own `row_reason` (the first failing row check), or
      for a row that passes them all, 'conflicting rows for one id in one file' when
      the same file holds another such row for the same id (`key_columns`) with
      different contents (`content_columns`: the values the row stages to). Every row
      of such a conflict is quarantined: one delivery cannot say two things about one
      id. Exact duplicates (the same contents) are no conflict.
    - `row_status`: 'quarantined' when it has a rejection reason; otherwise 'used' for
      the latest delivery of its id (latest extraction date, then file, then line) and
      'merged' for the rows it supersedes: earlier deliveries of the id in earlier
      files, and exact duplicates of it in the same file.

    Only an id with more than one row that passes the row checks can have a conflict or
    a merged row, and most ids have one: the windows that compare rows run on those
    ids' rows only, narrow (file, line, id, extraction date, content hash), and join
    back to the rest on (file, line). Windows over every row, carrying all its columns,
    made `stg_cpr__personer` grow faster than the data (BENCHMARKS.md). Ids are
    compared with a null equal to a null (`same_ids`). Spark has no DISTINCT window
    aggregates: the contents are compared as one 64-bit hash (`content_hash`), whose
    min and max over the id's rows in the file differ exactly when contents do (but
    for a collision of hashes).
-#}
{% macro reconciled_rows(checked, key_columns, content_columns) -%}
    {%- set keys = key_columns | join(', ') -%}
    {%- set contents = [] -%}
    {%- for column in content_columns -%}
        {%- do contents.append('repeated.' ~ column) -%}
    {%- endfor -%}
    select
        {{ checked }}.*,
        coalesce({{ checked }}.row_reason, repeated_status.conflict_reason) as rejection_reason,
        case
            when {{ checked }}.row_reason is not null then 'quarantined'
            else coalesce(repeated_status.repeated_row_status, 'used')
        end as row_status
    from {{ checked }}
    left join (
        select
            source_file,
            source_line,
            conflict_reason,
            case
                when conflict_reason is not null then 'quarantined'
                else {{ latest_delivery_status('conflict_reason is null, ' ~ keys) }}
            end as repeated_row_status
        from (
            select
                *,
                case
                    when min(content_hash) over (partition by source_file, {{ keys }})
                        != max(content_hash) over (partition by source_file, {{ keys }})
                        then 'conflicting rows for one id in one file'
                end as conflict_reason
            from (
                select
                    repeated.source_file,
                    repeated.source_line,
                    {%- for column in key_columns %}
                    repeated.{{ column }},
                    {%- endfor %}
                    repeated.extraction_date,
                    {{ content_hash(contents) }}
                        as content_hash
                from {{ checked }} as repeated
                inner join (
                    select {{ keys }}
                    from {{ checked }}
                    where row_reason is null
                    group by {{ keys }}
                    having count(*) > 1
                ) as repeated_ids
                    on {{ same_ids('repeated', 'repeated_ids', key_columns) }}
                where repeated.row_reason is null
            ) as repeated_rows
        ) as repeated_conflicts
    ) as repeated_status
        on {{ checked }}.source_file = repeated_status.source_file
            and {{ checked }}.source_line = repeated_status.source_line
{%- endmacro %}


{#-
    The status of a row that passes its checks among the others of its id that do
    (`partition`, the SQL of the window's partition): 'used' for the latest delivery
    (latest extraction date, then file, then line), 'merged' for the rest. Read by
    `reconciled_rows`, and by a stg model's post-hook when a new file changes the status
    of earlier rows (`incremental_stg_post_hook`).
-#}
{% macro latest_delivery_status(partition) -%}
    case
        when row_number() over (
            partition by {{ partition }}
            order by extraction_date desc, source_file desc, source_line desc
        ) = 1 then 'used'
        else 'merged'
    end
{%- endmacro %}


{#-
    `as {{ inlined_cte() }} (` in a CTE's definition: a CTE that its model reads more
    than once is computed for each reader, not stored once. DuckDB stores such a CTE
    with all its columns, whereas computed in place each reader computes only the
    columns it reads: `reconciled_rows` reads a stg model's checked rows three times,
    twice for a few of their columns, and storing them cost `stg_bif__ydelsesforloeb`
    a quarter of its time at scale 30 (BENCHMARKS.md). Spark has no such keyword.
-#}
{% macro inlined_cte() -%}
    {{ return(adapter.dispatch('inlined_cte', 'faellesborger')()) }}
{%- endmacro %}

{% macro default__inlined_cte() -%}
{%- endmacro %}

{% macro duckdb__inlined_cte() -%}
    not materialized
{%- endmacro %}


{#-
    A 64-bit hash of a row's values in the given columns, to compare contents by
    (`reconciled_rows`): a null and each value's position count. Two
    different contents of one id in one file go unnoticed only if their hashes collide,
    a chance of about 1 in 2^64 for each such pair (the pseudonym key makes the same
    kind of assumption, with 2^256). Not a pseudonym: it is never stored.
-#}
{% macro content_hash(columns) -%}
    {{ return(adapter.dispatch('content_hash', 'faellesborger')(columns)) }}
{%- endmacro %}

{#-
    Spark (and the default): `xxhash64` of one text, each value prefixed by its length
    (so no value can fake a separator) and a null written `-`: Spark's hash functions
    skip null arguments, so `xxhash64(a, b)` could not tell (null, 'x') from ('x', null).
-#}
{% macro default__content_hash(columns) -%}
    xxhash64(
        {%- for column in columns %}
        coalesce(
            cast(length(cast({{ column }} as {{ dbt.type_string() }})) as {{ dbt.type_string() }})
            || ':' || cast({{ column }} as {{ dbt.type_string() }}),
            '-'
        ){% if not loop.last %} || '|' ||{% endif %}
        {%- endfor %}
    )
{%- endmacro %}

{#-
    DuckDB: `hash` of the values themselves, which combines each argument's hash by its
    position and hashes a null as a value of its own; no text is built (building it was
    about a quarter of `stg_bif__ydelsesforloeb`'s CPU time at scale 10).
-#}
{% macro duckdb__content_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}


{#-
    CPR-shaped numbers in a text replaced by '[cpr]': 9 or 10 digits with an optional dash
    or space(s) after the 5th or 6th (DDMMYY-SSSS, DDMMYYSSSS, a dropped leading zero),
    anywhere in the text, generously (a longer run of digits is masked too). Every column
    of raw text that staging writes (free text, rejected values, ids) passes through it:
    a CPR number typed into the wrong column never leaves the raw extract. DuckDB
    replaces the first match only unless told 'g'; Spark replaces every match.
-#}
{% macro cpr_shaped_pattern() -%}
    [0-9]{5,6}( *- *| +)?[0-9]{4}
{%- endmacro %}

{% macro mask_cpr(column) -%}
    {{ return(adapter.dispatch('mask_cpr', 'faellesborger')(column)) }}
{%- endmacro %}

{% macro default__mask_cpr(column) -%}
    regexp_replace({{ column }}, '{{ cpr_shaped_pattern() }}', '[cpr]')
{%- endmacro %}

{#-
    DuckDB: a text of fewer than 9 bytes holds no CPR-shaped number (9 digits at least)
    and is returned as it is without the regular expression: most values of a delivery
    (ids, target groups, the shorter benefit and fund names), at about half the CPU time
    of the four masked columns of `base_bif__ydelsesforloeb`.
-#}
{% macro duckdb__mask_cpr(column) -%}
    case
        when strlen({{ column }}) < 9 then {{ column }}
        else regexp_replace({{ column }}, '{{ cpr_shaped_pattern() }}', '[cpr]', 'g')
    end
{%- endmacro %}


{#-
    A raw date value with CPR-shaped numbers masked (`mask_cpr`), unless it parsed as a
    date (`parse_date`): a value written DD-MM-YYYY or YYYY-MM-DD has no run of five
    digits, so the regular expression can only leave it as it is, and most values of a
    delivery parse.
-#}
{% macro mask_cpr_unless_date(raw_column, parsed_column) -%}
    case
        when {{ parsed_column }} is not null then {{ raw_column }}
        else {{ mask_cpr(raw_column) }}
    end
{%- endmacro %}


{#- The raw and parsed period columns every dated extract has: start, end, extraction. -#}
{% macro period_columns() -%}
    startdato as startdato_raw,
    {{ parse_date('startdato') }} as start_date,
    slutdato as slutdato_raw,
    {{ parse_date('slutdato') }} as end_date,
    udtraeksdato as udtraeksdato_raw,
    {{ parse_date('udtraeksdato') }} as extraction_date
{%- endmacro %}


{#- `when` branches: required period fields that are missing. -#}
{% macro missing_period_reasons() -%}
    when startdato_raw is null then 'missing startdato'
    when udtraeksdato_raw is null then 'missing udtraeksdato'
{%- endmacro %}


{#-
    `when` branches: period fields that do not parse, an end before the start, or a start
    after the row's own extraction date (registered ahead: nothing of it has happened yet).
-#}
{% macro invalid_period_reasons() -%}
    when start_date is null then 'unparsable startdato'
    when slutdato_raw is not null and end_date is null then 'unparsable slutdato'
    when extraction_date is null then 'unparsable udtraeksdato'
    when end_date < start_date then 'slutdato before startdato'
    when start_date > extraction_date then 'startdato after udtraeksdato'
{%- endmacro %}


{#- The earliest plausible date (var `earliest_plausible_date`, YYYY-MM-DD) as SQL. -#}
{% macro earliest_plausible_date() -%}
    {%- set value = var('earliest_plausible_date') | string -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) -%}
        {{ exceptions.raise_compiler_error(
            "var earliest_plausible_date must be a date written YYYY-MM-DD") }}
    {%- endif -%}
    cast('{{ value }}' as date)
{%- endmacro %}


{#-
    `when` branches: an extraction date in the future of the build (beyond
    `extraction_date_slack_days` days after today), or a person born after the row's own
    extraction date (`is_born_after_extraction`: a boolean column or expression, see
    `born_after_extraction`; a CPR number whose birth date has not yet come).
-#}
{% macro implausible_extraction_reasons(is_born_after_extraction) -%}
    when extraction_date > {{ dbt.dateadd(
        'day', var('extraction_date_slack_days') | int, 'current_date') }}
        then {{ sql_string_literal(future_extraction_reason()) }}
    when {{ is_born_after_extraction }} then 'born after udtraeksdato'
{%- endmacro %}


{#-
    `when` branches: a start before the earliest plausible date (var
    `earliest_plausible_date`; or `is_start_before_earliest`, a boolean column that
    `starts_before_earliest_plausible_date` computed) or before the person's birth
    (`is_start_before_birth`, see `starts_before_birth`).
-#}
{% macro implausible_start_reasons(is_start_before_birth, is_start_before_earliest=none) -%}
    when {{ is_start_before_earliest or starts_before_earliest_plausible_date('start_date') }}
        then 'startdato before earliest plausible date'
    when {{ is_start_before_birth }} then 'startdato before birth'
{%- endmacro %}


{#-
    The row-level facts behind `implausible_extraction_reasons` and
    `implausible_start_reasons` that need the birth date: the staging base models store
    these booleans, never the birth date. False (not null) when a date is missing.
-#}
{% macro born_after_extraction(birth_date) -%}
    coalesce({{ birth_date }} > extraction_date, false)
{%- endmacro %}

{% macro starts_before_birth(birth_date, start_date='start_date') -%}
    coalesce({{ start_date }} < {{ birth_date }}, false)
{%- endmacro %}

{% macro starts_before_earliest_plausible_date(start_date) -%}
    coalesce({{ start_date }} < {{ earliest_plausible_date() }}, false)
{%- endmacro %}


{#- `when` branches of `rejected_value`: the delivered value behind a period reason. -#}
{% macro period_rejected_values() -%}
    when 'unparsable startdato' then startdato_raw
    when 'unparsable slutdato' then slutdato_raw
    when 'unparsable udtraeksdato' then udtraeksdato_raw
    when 'slutdato before startdato' then startdato_raw || ' / ' || slutdato_raw
    when 'startdato after udtraeksdato' then startdato_raw || ' / ' || udtraeksdato_raw
    when 'udtraeksdato in the future' then udtraeksdato_raw
    when 'startdato before earliest plausible date' then startdato_raw
    when 'startdato before birth' then startdato_raw
{%- endmacro %}
