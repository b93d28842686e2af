{#-
    BIF benefit spells, incremental base of stg_bif__ydelsesforloeb (docs/incremental.md):
    the rows of the files not loaded yet (every file on a first build, `--full-refresh`
    or a rebuild: `incremental_raw_plan`), parsed, cleaned and checked as far as the row
    alone decides. Each row hashes its own CPR number. No CPR number or birth date
    is stored: the checks that need the birth date are stored as booleans. What depends
    on seeds, vars or the build's date (the LAB group lookup, the plausibility of dates)
    and on other rows (conflicts, re-deliveries) is left to the stg model.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy=incremental_raw_strategy(),
    unique_key='source_file',
    on_schema_change='fail',
    pre_hook="{{ incremental_raw_pre_hook('bif_ydelsesforloeb') }}"
) }}

{%- set files = incremental_raw_plan('bif_ydelsesforloeb').files if execute else none %}

with

raw_rows as {{ materialized_cte() }} (
    select * from {{ raw_source('bif_ydelsesforloeb', files) }} as raw_rows
),

parsed as (
    select
        source_file,
        source_line,
        file_fingerprint,
        read_error,
        {{ mask_cpr('forloeb_id') }} as spell_id,
        {{ mask_cpr('forloeb_id') }} != forloeb_id as is_cpr_shaped_id,
        {{ normalised_cpr('cpr') }} as cpr_normalised,
        {{ mask_cpr('maalgruppe') }} as maalgruppe_raw,
        {{ lab_group_code('maalgruppe') }} as lab_group_code,
        {{ mask_cpr('ydelse') }} as benefit_name,
        {{ mask_cpr('akasse') }} as unemployment_fund,
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
            when spell_id is null then 'missing forloeb_id'
            when is_cpr_shaped_id then 'cpr-shaped forloeb_id'
            when nullif(cpr_normalised, '') is null then 'missing cpr'
            when maalgruppe_raw is null then 'missing maalgruppe'
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
            {{ sql_string_literal(raw_base_settings('bif_ydelsesforloeb')) }}
            as {{ dbt.type_string() }}
        ) as settings_probe,
        spell_id,
        person_key,
        sex,
        birth_year,
        age_anchor_month,
        impossible_cpr_hash,
        maalgruppe_raw,
        lab_group_code,
        benefit_name,
        unemployment_fund,
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
