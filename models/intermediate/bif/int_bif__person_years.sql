{#-
    Rule 1 (docs/rules.md#rule-1): per citizen and year, the number of distinct calendar
    months with at least one BIF spell day (any LAB group), and whether that makes the
    citizen BIF-active (at least `bif_min_active_months`, 2 in the report: "minimum 2
    måneder"). Each spell's months in the year become a 12-bit mask
    (`month_range_mask`); the distinct months of all the citizen's spells are the set
    bits of their bitwise or. The citizen is named by `person_number` (the integer of
    `person_key`, see `int_bif__spell_years`).

    Incremental by citizen on DuckDB, after `int_bif__spell_years`
    (macros/citizen_restatement.sql, docs/incremental.md); a table on Spark.
-#}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(ref('stg_bif__ydelsesforloeb'), ['spell_id'],
        ref('int_bif__spell_years'), ['bif_min_active_months']) }}",
    post_hook="{{ restatement_post_hook(ref('stg_bif__ydelsesforloeb'),
        ref('int_bif__spell_years'), ['bif_min_active_months']) }}"
) }}

with

spell_years as (
    select * from {{ ref('int_bif__spell_years') }}
    where {{ restated_citizens_only(
        'person_number', ref('stg_bif__ydelsesforloeb'), ['spell_id'],
        ref('int_bif__spell_years'), ['bif_min_active_months']
    ) }}
),

counted as (
    select
        person_number,
        year,
        bit_count(bit_or(
            {{ month_range_mask('first_month_of_year', 'last_month_of_year') }}
        )) as active_months
    from spell_years
    group by person_number, year
),

final as (
    select
        year,
        person_number,
        cast(active_months as integer) as active_months,
        active_months >= {{ var('bif_min_active_months') }} as is_bif_active
    from counted
)

select * from final
