{#-
    Custody relations, incremental base of stg_sof__foraeldremyndighed
    (docs/incremental.md): the rows of the files not loaded yet (every file on a first
    build, `--full-refresh` or a rebuild: `incremental_raw_plan`), parsed, cleaned and
    checked as far as the row alone decides. Each row hashes its own CPR numbers. No
    CPR number or birth date is stored: the checks that need a birth date are stored as
    booleans, and a start on the child's birth date is kept without the date (also in
    the raw values behind `rejected_value`). Whether the start lies before the earliest
    plausible date needs the birth date too, so it is stored as well: its var is the
    model's setting (`settings_probe`), and changing it rebuilds the extract. The
    extraction date's plausibility (the build's date) and the reconciliation across rows
    are left to the stg model.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy=incremental_raw_strategy(),
    unique_key='source_file',
    on_schema_change='fail',
    pre_hook="{{ incremental_raw_pre_hook('sof_foraeldremyndighed') }}"
) }}

{%- set files = incremental_raw_plan('sof_foraeldremyndighed').files if execute else none %}

with

raw_rows as {{ materialized_cte() }} (
    select * from {{ raw_source('sof_foraeldremyndighed', files) }} as raw_rows
),

parsed as (
    select
        source_file,
        source_line,
        file_fingerprint,
        read_error,
        {{ normalised_cpr('barn_cpr') }} as child_cpr_normalised,
        {{ normalised_cpr('foraelder_cpr') }} as parent_cpr_normalised,
        {{ period_columns() }}
    from raw_rows
),

dated as (
    select
        *,
        {{ cpr_birth_date('child_cpr_normalised') }} as child_birth_date,
        {{ cpr_birth_date('parent_cpr_normalised') }} as parent_birth_date
    from parsed
),

with_persons as (
    select
        *,
        {{ pseudonymised_columns('child_cpr_normalised', 'child_birth_date', 'child_') }},
        {{ pseudonymised_columns('parent_cpr_normalised', 'parent_birth_date', 'parent_') }}
    from dated
),

checked as (
    select
        *,
        coalesce(start_date = child_birth_date, false) as starts_at_birth,
        {{ born_after_extraction('child_birth_date') }} as is_born_after_extraction,
        coalesce(parent_birth_date >= child_birth_date, false) as is_parent_not_born_before_child,
        {{ starts_before_earliest_plausible_date('start_date') }} as is_start_before_earliest,
        {{ starts_before_birth('child_birth_date') }} as is_start_before_birth,
        case
            when read_error is not null then read_error
            when nullif(child_cpr_normalised, '') is null then 'missing barn_cpr'
            when nullif(parent_cpr_normalised, '') is null then 'missing foraelder_cpr'
            {{ missing_period_reasons() }}
            when child_birth_date is null then 'impossible barn_cpr'
            when parent_birth_date is null then 'impossible foraelder_cpr'
            when child_cpr_normalised = parent_cpr_normalised then 'custody of oneself'
            {{ invalid_period_reasons() }}
        end as row_check_reason
    from with_persons
),

final as (
    select
        source_file,
        source_line,
        file_fingerprint,
        {{ raw_key_probe() }} as key_probe,
        cast(
            {{ sql_string_literal(raw_base_settings('sof_foraeldremyndighed')) }}
            as {{ dbt.type_string() }}
        ) as settings_probe,
        child_person_key,
        child_birth_year,
        child_age_anchor_month,
        parent_person_key,
        parent_sex,
        parent_birth_year,
        parent_age_anchor_month,
        -- custody from the child's birth is kept without the date: it is a birth date
        case when starts_at_birth then null else start_date end as start_date,
        starts_at_birth,
        end_date,
        extraction_date,
        {% for raw in ['startdato_raw', 'slutdato_raw', 'udtraeksdato_raw'] -%}
        {{ mask_cpr(
            'case when starts_at_birth then replace(' ~ raw ~ ", startdato_raw, '(child''s birth)') else "
            ~ raw ~ ' end'
        ) }} as {{ raw }},
        {% endfor -%}
        row_check_reason,
        case
            when row_check_reason = 'impossible barn_cpr' then child_impossible_cpr_hash
            when row_check_reason = 'impossible foraelder_cpr' then parent_impossible_cpr_hash
        end as rejected_cpr_hash,
        is_born_after_extraction,
        is_parent_not_born_before_child,
        is_start_before_earliest,
        is_start_before_birth
    from checked
)

select * from final
