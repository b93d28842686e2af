{#-
    Rule 2 (docs/rules.md#rule-2): a BIF-active citizen belongs, in a year, to every LAB
    group in which they have at least one spell day that year. One row per year, citizen
    and group; the citizen is named by `person_number` (the integer of `person_key`, see
    `int_bif__spell_years`).

    Incremental by citizen on DuckDB, after `int_bif__person_years` (which follows
    `int_bif__spell_years`; macros/citizen_restatement.sql, docs/incremental.md); a table
    on Spark.
-#}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(ref('stg_bif__ydelsesforloeb'), ['spell_id'],
        ref('int_bif__person_years')) }}",
    post_hook="{{ restatement_post_hook(ref('stg_bif__ydelsesforloeb'),
        ref('int_bif__person_years')) }}"
) }}

with

spell_years as (
    select * from {{ ref('int_bif__spell_years') }}
    where {{ restated_citizens_only(
        'person_number', ref('stg_bif__ydelsesforloeb'), ['spell_id'],
        ref('int_bif__person_years')
    ) }}
),

person_years as (
    select * from {{ ref('int_bif__person_years') }}
    where is_bif_active
),

memberships as (
    select distinct
        spell_years.year,
        spell_years.person_number,
        spell_years.lab_group_code
    from spell_years
    inner join person_years
        on spell_years.person_number = person_years.person_number
            and spell_years.year = person_years.year
),

final as (
    select
        year,
        person_number,
        lab_group_code
    from memberships
)

select * from final
