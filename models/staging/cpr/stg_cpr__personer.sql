{#-
    Person register extract (optional): origin per person. CPR numbers are replaced by
    person_key, CPR-shaped numbers in text are masked; the latest delivery per person is
    used, earlier ones (and exact duplicate lines) are merged.
-#}
{%- set rejected_value -%}
    case rejection_reason
        when 'unparsable udtraeksdato' then udtraeksdato_raw
        when 'udtraeksdato in the future' then udtraeksdato_raw
    end
{%- endset %}

with

raw_rows as (
    select * from {{ raw_source('cpr_personer') }} as raw_rows
),

parsed as (
    select
        source_file,
        source_line,
        source_encoding,
        read_error,
        {{ normalised_cpr('cpr') }} as cpr_normalised,
        {{ mask_cpr('herkomst') }} as origin,
        udtraeksdato as udtraeksdato_raw,
        {{ parse_date('udtraeksdato') }} as extraction_date
    from raw_rows
),

with_birth_date as (
    select
        parsed.*,
        {{ cpr_birth_date('cpr_normalised') }} as birth_date
    from parsed
),

checked as (
    select
        *,
        case
            when read_error is not null then read_error
            when nullif(cpr_normalised, '') is null then 'missing cpr'
            when udtraeksdato_raw is null then 'missing udtraeksdato'
            when birth_date is null then 'impossible cpr'
            when extraction_date is null then 'unparsable udtraeksdato'
            {{ implausible_extraction_reasons('birth_date') }}
        end as row_reason
    from with_birth_date
),

reconciled as (
    select
        *,
        {{ rejection_reason_with_conflicts(
            ['cpr_normalised'], ['origin', 'extraction_date']
        ) }} as rejection_reason
    from checked
),

keyed as (
    select
        source_file,
        source_line,
        source_encoding,
        cpr_normalised,
        {{ person_columns('cpr_normalised', 'birth_date') }},
        origin,
        extraction_date,
        rejection_reason,
        {{ mask_cpr(rejected_value) }} as rejected_value,
        case
            when rejection_reason = 'impossible cpr' then {{ keyed_hash('cpr_normalised') }}
        end as rejected_cpr_hash
    from reconciled
),

final as (
    select
        source_file,
        source_line,
        source_encoding,
        person_key,
        sex,
        birth_year,
        age_anchor_month,
        origin,
        extraction_date,
        {{ row_status(['cpr_normalised']) }} as row_status,
        rejection_reason,
        rejected_value,
        rejected_cpr_hash
    from keyed
)

select * from final
