{#-
    SOF grants, incremental base of stg_sof__bevillinger (docs/incremental.md):
    the rows of the files not loaded yet (every file on a first build, `--full-refresh`
    or a rebuild: `incremental_raw_plan`), parsed, cleaned and checked as far as the row
    alone decides. Each row hashes its own CPR number. No CPR number or birth date
    is stored: the checks that need the birth date are stored as booleans. What depends
    on seeds, vars or the build's date (the intervention catalogue, the plausibility of
    dates)
    and on other rows (conflicts, re-deliveries) is left to the stg model.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy=incremental_raw_strategy(),
    unique_key='source_file',
    on_schema_change='fail',
    pre_hook="{{ incremental_raw_pre_hook('sof_bevillinger') }}"
) }}

{%- set files = incremental_raw_plan('sof_bevillinger').files if execute else none %}

with

raw_rows as {{ materialized_cte() }} (
    select * from {{ raw_source('sof_bevillinger', files) }} as raw_rows
),

parsed as (
    select
        source_file,
        source_line,
        file_fingerprint,
        read_error,
        {{ mask_cpr('bevilling_id') }} as grant_id,
        {{ mask_cpr('bevilling_id') }} != bevilling_id as is_cpr_shaped_id,
        {{ normalised_cpr('cpr') }} as cpr_normalised,
        {{ mask_cpr('upper(indsats_kode)') }} as intervention_code,
        {{ mask_cpr('indsats_tekst') }} as intervention_text,
        {{ mask_cpr('paragraf') }} as paragraph_text,
        {{ period_columns() }}
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
            when grant_id is null then 'missing bevilling_id'
            when is_cpr_shaped_id then 'cpr-shaped bevilling_id'
            when nullif(cpr_normalised, '') is null then 'missing cpr'
            when intervention_code is null then 'missing indsats_kode'
            {{ missing_period_reasons() }}
            when birth_date is null then 'impossible cpr'
            {{ invalid_period_reasons() }}
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
            {{ sql_string_literal(raw_base_settings('sof_bevillinger')) }}
            as {{ dbt.type_string() }}
        ) as settings_probe,
        grant_id,
        person_key,
        sex,
        birth_year,
        age_anchor_month,
        impossible_cpr_hash,
        intervention_code,
        intervention_text,
        paragraph_text,
        {{ mask_cpr_unless_date('startdato_raw', 'start_date') }} as startdato_raw,
        start_date,
        {{ mask_cpr_unless_date('slutdato_raw', 'end_date') }} as slutdato_raw,
        end_date,
        {{ mask_cpr_unless_date('udtraeksdato_raw', 'extraction_date') }} as udtraeksdato_raw,
        extraction_date,
        row_check_reason,
        {{ born_after_extraction('birth_date') }} as is_born_after_extraction,
        {{ starts_before_birth('birth_date') }} as is_start_before_birth
    from checked
)

select * from final
