{#-
    The month-level facts the HOI definitions are made of (rules 10 and 14
    (docs/rules.md#rule-10, docs/rules.md#rule-14)), one row per month of the report
    years, citizen, kind of fact (`fact_kind`) and value (`fact_value`):

    - `sel_group`: a day in the month of the citizen's own grant of an intervention of
      a HOI SEL group (seed column `sof_interventions.hoi_sel_group`); value the group.
    - `child_measure`: a day in the month on which a child of the citizen has a § 52
      measure and the citizen holds custody of the child (rule 4: the common days of
      measure and custody relation, so a relation ending mid-month counts for the month
      only when it still held on a measure day); value the measure kind.
    - `lab_group`: a BIF spell day in the month in the LAB group that is the value.
    - `hoi_bif_group`: a spell day in the month in a LAB group of Tabel 1's BIF group
      that is the value (seed `hoi_bif_groups`), at an age on the first day of the month
      within the group's ages.

    `age` is the citizen's age on the first day of the month (macro
    `age_at_month_start`). The citizen is named by `person_number` (macro
    `person_number`), the integer the BIF models name them by: the HOI models join and
    count citizens on an integer, not on the text of `person_key`. Spells are read only for citizens with a `sel_group` or
    `child_measure` fact in some month: no one else can be in a HOI definition, and
    their later months are what the follow-up of rule 14 needs.

    Incremental by citizen on DuckDB, after the BIF chain (`int_bif__spell_years`) and
    the SOF chain (`int_sof__person_intervention_periods`): a build restates the
    citizens that either chain restated (macros/citizen_restatement.sql,
    docs/incremental.md), every citizen again when the report months change; a table
    on Spark.
-#}
{%- set parents = [ref('int_bif__spell_years'), ref('int_sof__person_intervention_periods')] %}
{%- set report_months = [[ref('int_report_months'),
    ['year', 'month_of_year', 'month_start', 'month_end']]] %}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(bif_and_sof_citizen_sources(), none,
        [ref('int_bif__spell_years'), ref('int_sof__person_intervention_periods')],
        small_inputs=[[ref('int_report_months'),
            ['year', 'month_of_year', 'month_start', 'month_end']]]) }}",
    post_hook="{{ restatement_post_hook(none,
        [ref('int_bif__spell_years'), ref('int_sof__person_intervention_periods')],
        small_inputs=[[ref('int_report_months'),
            ['year', 'month_of_year', 'month_start', 'month_end']]]) }}"
) }}

with

months as (
    select * from {{ ref('int_report_months') }}
),

spell_years as (
    select * from {{ ref('int_bif__spell_years') }}
    where {{ restated_citizens_only('person_number', bif_and_sof_citizen_sources(), none,
        parents, small_inputs=report_months) }}
),

periods as (
    select * from {{ ref('int_sof__person_intervention_periods') }}
    where {{ restated_citizens_only('person_key', bif_and_sof_citizen_sources(), none,
        parents, small_inputs=report_months, identity='person_key') }}
),

bif_groups as (
    select * from {{ ref('hoi_bif_groups') }}
),

sof_months as (
    select distinct
        months.month_start,
        {{ person_number('periods.person_key') }} as person_number,
        case when periods.is_via_child then 'child_measure' else 'sel_group' end as fact_kind,
        case
            when periods.is_via_child then periods.child_measure_kind
            else periods.hoi_sel_group
        end as fact_value,
        {{ age_at_month_start(
            month_index('months.year', 'months.month_of_year'), 'periods.age_anchor_month'
        ) }} as age
    from periods
    inner join months
        on {{ periods_overlap(
            'periods.start_date', 'periods.effective_end_date', 'months.month_start', 'months.month_end'
        ) }}
    where periods.is_via_child
        or periods.hoi_sel_group is not null
),

candidates as (
    select distinct person_number
    from sof_months
),

spell_months as (
    select distinct
        months.month_start,
        spell_years.person_number,
        spell_years.lab_group_code,
        {{ age_at_month_start(
            month_index('months.year', 'months.month_of_year'), 'spell_years.age_anchor_month'
        ) }} as age
    from spell_years
    inner join candidates
        on spell_years.person_number = candidates.person_number
    inner join months
        on spell_years.year = months.year
            and {{ periods_overlap(
                'spell_years.first_month_of_year', 'spell_years.last_month_of_year',
                'months.month_of_year', 'months.month_of_year'
            ) }}
),

lab_group_months as (
    select
        month_start,
        person_number,
        'lab_group' as fact_kind,
        lab_group_code as fact_value,
        age
    from spell_months
),

bif_group_months as (
    select distinct
        spell_months.month_start,
        spell_months.person_number,
        'hoi_bif_group' as fact_kind,
        bif_groups.bif_group as fact_value,
        spell_months.age
    from spell_months
    inner join bif_groups
        on spell_months.lab_group_code = bif_groups.lab_group_code
            and spell_months.age >= bif_groups.min_age
            and (bif_groups.max_age is null or spell_months.age <= bif_groups.max_age)
),

unioned as (
    select * from sof_months
    union all
    select * from lab_group_months
    union all
    select * from bif_group_months
),

final as (
    select
        month_start,
        person_number,
        fact_kind,
        fact_value,
        cast(age as integer) as age
    from unioned
)

select * from final
