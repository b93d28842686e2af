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


{#- True when a normalised CPR number has 10 digits. -#}
{% macro is_ten_digits(cpr) -%}
    (length({{ cpr }}) = 10 and translate({{ cpr }}, '0123456789', '') = '')
{%- endmacro %}


{#-
    Birth date encoded in a normalised CPR number (null when it is no valid date).
    The 7th digit and the year digits give the century (raw-extracts.md).
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


{#- A date written DD-MM-YYYY or YYYY-MM-DD; null when empty or not a valid date. -#}
{% macro parse_date(column) -%}
    case
        when {{ column }} like '__-__-____'
            then try_cast(
                substr({{ column }}, 7, 4) || '-' || substr({{ column }}, 4, 2)
                || '-' || substr({{ column }}, 1, 2) as date
            )
        when {{ column }} like '____-__-__' then try_cast({{ column }} as date)
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
    Status of a raw row: 'quarantined' when it has a rejection reason; otherwise 'used'
    for the latest delivery of its key (latest extraction date, then file, then line)
    and 'merged' for the earlier deliveries that it supersedes.
-#}
{% macro row_status(key_columns) -%}
    case
        when rejection_reason is not null then 'quarantined'
        when row_number() over (
            partition by rejection_reason is null, {{ key_columns | join(', ') }}
            order by extraction_date desc, source_file desc, source_line desc
        ) = 1 then 'used'
        else 'merged'
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


{#- `when` branches: period fields that do not parse, or an end before the start. -#}
{% macro invalid_period_reasons() -%}
    when start_date is null then 'unparsable startdato'
    when slutdato_raw is not null and end_date is null then 'unparsable slutdato'
    when extraction_date is null then 'unparsable udtraeksdato'
    when end_date < start_date then 'slutdato before startdato'
{%- endmacro %}


{#- `when` branches of `rejected_value`: the delivered value behind a period reason. -#}
{% macro period_rejected_values() -%}
    when 'unparsable startdato' then startdato_raw
    when 'unparsable slutdato' then slutdato_raw
    when 'unparsable udtraeksdato' then udtraeksdato_raw
    when 'slutdato before startdato' then startdato_raw || ' / ' || slutdato_raw
{%- endmacro %}
