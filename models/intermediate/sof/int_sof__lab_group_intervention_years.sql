{#-
    Rule 16 (docs/rules.md#rule-16) at citizen level: for every BIF-active citizen
    (rule 1 (docs/rules.md#rule-1)), every LAB group they belong to in a year (rule 2)
    and every intervention they have in that year (rules 3 and 4: own grants and
    børnesager via custody, coordination-relevant or not), whether they had the
    intervention on a day of the year on which they also had a spell in that group
    (`is_simultaneous`): a day shared by the spell, the intervention's period (for a
    børnesag the days on which measure and custody relation both hold) and the year.
    One row per year, citizen, LAB group and intervention code (a code is either an own
    grant or a child measure, so the code says which). The BIF models name a citizen by
    `person_number`, the integer of `person_key` (macro `person_number`): the SOF
    citizens are joined to them on it.

    Incremental by citizen on DuckDB, after the BIF chain (`int_bif__lab_group_years`)
    and the SOF chain (`int_sof__person_intervention_periods`): a build restates the
    citizens that either chain restated (macros/citizen_restatement.sql,
    docs/incremental.md), every citizen again when the report years change; a table on
    Spark.
-#}
{%- set parents = [ref('int_bif__lab_group_years'), ref('int_sof__person_intervention_periods')] %}
{%- set report_years = [[ref('int_report_years'), ['year', 'year_start', 'year_end']]] %}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(bif_and_sof_citizen_sources(), none,
        [ref('int_bif__lab_group_years'), ref('int_sof__person_intervention_periods')],
        small_inputs=[[ref('int_report_years'), ['year', 'year_start', 'year_end']]],
        identity='person_key') }}",
    post_hook="{{ restatement_post_hook(none,
        [ref('int_bif__lab_group_years'), ref('int_sof__person_intervention_periods')],
        small_inputs=[[ref('int_report_years'), ['year', 'year_start', 'year_end']]]) }}"
) }}
{%- set restated_numbers = restated_citizens_only('person_number', bif_and_sof_citizen_sources(),
    none, parents, small_inputs=report_years) %}

with

memberships as (
    select * from {{ ref('int_bif__lab_group_years') }}
    where {{ restated_numbers }}
),

spell_years as (
    select * from {{ ref('int_bif__spell_years') }}
    where {{ restated_numbers }}
),

periods as (
    select * from {{ ref('int_sof__person_intervention_periods') }}
    where {{ restated_citizens_only('person_key', bif_and_sof_citizen_sources(), none,
        parents, small_inputs=report_years, identity='person_key') }}
),

-- the report years with their first and last day: every membership's year is one
years as (
    select * from {{ ref('int_report_years') }}
),

period_years as (
    select
        years.year,
        years.year_start,
        years.year_end,
        periods.person_key,
        {{ person_number('periods.person_key') }} as person_number,
        periods.intervention_code,
        periods.is_via_child,
        periods.is_coordination_relevant,
        periods.child_measure_kind,
        periods.start_date,
        periods.effective_end_date
    from periods
    inner join years
        on {{ periods_overlap(
            'periods.start_date', 'periods.effective_end_date', 'years.year_start', 'years.year_end'
        ) }}
),

intervention_years as (
    select distinct
        year,
        person_key,
        person_number,
        intervention_code,
        is_via_child,
        is_coordination_relevant,
        child_measure_kind
    from period_years
),

simultaneous as (
    -- a day shared by a spell in the group, the intervention's period and the year
    select distinct
        period_years.year,
        period_years.person_number,
        spell_years.lab_group_code,
        period_years.intervention_code
    from period_years
    inner join spell_years
        on period_years.person_number = spell_years.person_number
            and period_years.year = spell_years.year
    where
        greatest(period_years.start_date, spell_years.start_date, period_years.year_start)
        <= least(
            period_years.effective_end_date,
            spell_years.effective_end_date,
            period_years.year_end
        )
),

final as (
    select
        cast(memberships.year as integer) as year,
        intervention_years.person_key,
        memberships.lab_group_code,
        intervention_years.intervention_code,
        intervention_years.is_via_child,
        intervention_years.is_coordination_relevant,
        intervention_years.child_measure_kind,
        simultaneous.person_number is not null as is_simultaneous
    from memberships
    inner join intervention_years
        on memberships.year = intervention_years.year
            and memberships.person_number = intervention_years.person_number
    left join simultaneous
        on memberships.year = simultaneous.year
            and memberships.person_number = simultaneous.person_number
            and memberships.lab_group_code = simultaneous.lab_group_code
            and intervention_years.intervention_code = simultaneous.intervention_code
)

select * from final
