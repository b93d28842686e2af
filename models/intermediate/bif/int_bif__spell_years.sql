{#-
    The report years in which each usable BIF spell has at least one day, with the first
    and the last calendar month of the year that the spell touches (both ends of a spell
    are inclusive). A usable spell is the `used` row of its forloeb_id (its latest
    delivery); one without an end date runs to the extraction date of its delivery (macro
    `effective_end_date`). A spell has a day in every month between the two, so the
    months of a spell are a range: one row per spell and year instead of one per month
    keeps the table a twelfth of the size (`int_bif__person_years` counts the distinct
    months of overlapping spells from these ranges for rule 1 (docs/rules.md#rule-1)).
    The citizen is named by `person_number`, its `person_key` as an integer (macro
    `person_number`; `int_citizen_numbers` pairs the two): the BIF models from here on
    group, join and count citizens on it, 8 bytes rather than 64 characters of text,
    which this table does not store.

    Incremental by citizen on DuckDB (macros/citizen_restatement.sql,
    docs/incremental.md), every citizen again when the report years change; a table on
    Spark.
-#}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(ref('stg_bif__ydelsesforloeb'), ['spell_id'],
        small_inputs=[[ref('int_report_years'), ['year', 'year_start', 'year_end']]]) }}",
    post_hook="{{ restatement_post_hook(ref('stg_bif__ydelsesforloeb'),
        small_inputs=[[ref('int_report_years'), ['year', 'year_start', 'year_end']]]) }}"
) }}

with

staged_spells as (
    select * from {{ ref('stg_bif__ydelsesforloeb') }}
    where row_status = 'used'
        and {{ restated_citizens_only(
            'person_key', ref('stg_bif__ydelsesforloeb'), ['spell_id'],
            small_inputs=[[ref('int_report_years'), ['year', 'year_start', 'year_end']]],
            identity='person_key'
        ) }}
),

years as (
    select * from {{ ref('int_report_years') }}
),

spells as (
    select
        spell_id,
        {{ person_number('person_key') }} as person_number,
        age_anchor_month,
        lab_group_code,
        start_date,
        {{ effective_end_date('end_date', 'extraction_date') }} as effective_end_date
    from staged_spells
),

spell_years as (
    select
        spells.spell_id,
        spells.person_number,
        spells.lab_group_code,
        spells.age_anchor_month,
        spells.start_date,
        spells.effective_end_date,
        years.year,
        case
            when spells.start_date < years.year_start then 1
            else extract(month from spells.start_date)
        end as first_month_of_year,
        case
            when spells.effective_end_date > years.year_end then 12
            else extract(month from spells.effective_end_date)
        end as last_month_of_year
    from spells
    inner join years
        on {{ periods_overlap(
            'spells.start_date', 'spells.effective_end_date', 'years.year_start', 'years.year_end'
        ) }}
),

final as (
    select
        spell_id,
        person_number,
        lab_group_code,
        age_anchor_month,
        start_date,
        effective_end_date,
        year,
        cast(first_month_of_year as integer) as first_month_of_year,
        cast(last_month_of_year as integer) as last_month_of_year
    from spell_years
)

select * from final
