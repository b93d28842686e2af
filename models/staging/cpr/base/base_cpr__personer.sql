{#-
    Person register, incremental base of stg_cpr__personer (docs/incremental.md):
    the rows of the files not loaded yet (every file on a first build, `--full-refresh`
    or a rebuild: `incremental_raw_plan`), parsed, cleaned and checked as far as the row
    alone decides. Each row hashes its own CPR number. No CPR number or birth date
    is stored: the checks that need the birth date are stored as booleans. What depends
    on vars or the build's date (an extraction date in the future)
    and on other rows (conflicts, re-deliveries) is left to the stg model.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy=incremental_raw_strategy(),
    unique_key='source_file',
    on_schema_change='fail',
    pre_hook="{{ incremental_raw_pre_hook('cpr_personer') }}"
) }}

{%- set files = incremental_raw_plan('cpr_personer').files if execute else none %}

with

raw_rows as {{ materialized_cte() }} (
    select * from {{ raw_source('cpr_personer', files) }} as raw_rows
),

parsed as (
    select
        source_file,
        source_line,
        file_fingerprint,
        read_error,
        {{ normalised_cpr('cpr') }} as cpr_normalised,
        {{ mask_cpr('herkomst') }} as origin,
        udtraeksdato as udtraeksdato_raw,
        {{ parse_date('udtraeksdato') }} as extraction_date
    from raw_rows
),

dated as (
    select
        *,
        {{ cpr_birth_date('cpr_normalised') }} as birth_date
    from parsed
),

with_person as (
    select
        *,
        {{ pseudonymised_columns('cpr_normalised', 'birth_date') }}
    from dated
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
        end as row_check_reason
    from with_person
),

final as (
    select
        source_file,
        source_line,
        file_fingerprint,
        {{ raw_key_probe() }} as key_probe,
        cast(
            {{ sql_string_literal(raw_base_settings('cpr_personer')) }}
            as {{ dbt.type_string() }}
        ) as settings_probe,
        person_key,
        sex,
        birth_year,
        age_anchor_month,
        impossible_cpr_hash,
        origin,
        {{ mask_cpr_unless_date('udtraeksdato_raw', 'extraction_date') }} as udtraeksdato_raw,
        extraction_date,
        row_check_reason,
        {{ born_after_extraction('birth_date') }} as is_born_after_extraction
    from checked
)

select * from final
