{#-
    Rule 5 (docs/rules.md#rule-5) and the citizen-level facts of a fællesborger year:
    BIF-active in the year (rule 1 (docs/rules.md#rule-1)) and at least one
    coordination-relevant intervention in it, their own or a børnesag. Main group by
    rule 8 (docs/rules.md#rule-8), kanten by rule 9 (docs/rules.md#rule-9), step by
    rule 7 (docs/rules.md#rule-7) (the tie-break among the interventions of the highest
    step: seed column `sof_interventions.deciding_priority`), and whether a
    coordination-relevant grant or børnesag shared a day with a BIF spell by rule 16
    (docs/rules.md#rule-16). The catalogue's classification of the interventions
    comes with `int_sof__person_intervention_years`. The BIF models name a citizen by
    `person_number`, the integer of `person_key` (macro `person_number`): the SOF
    citizens are joined to them on it.

    Incremental by citizen on DuckDB, after the SOF interventions per year and per LAB
    group (which follow the BIF and SOF chains): a build restates the citizens that
    either chain restated (macros/citizen_restatement.sql, docs/incremental.md); a table
    on Spark.
-#}
{%- set parents = [ref('int_sof__lab_group_intervention_years'),
    ref('int_sof__person_intervention_years')] %}
{%- set small_inputs = [[ref('dim_lab_target_group'),
    ['lab_group_code', 'main_group_code', 'placement_priority']]] %}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(bif_and_sof_citizen_sources(), none,
        [ref('int_sof__lab_group_intervention_years'), ref('int_sof__person_intervention_years')],
        ['kanten_main_group'],
        [[ref('dim_lab_target_group'), ['lab_group_code', 'main_group_code', 'placement_priority']]],
        identity='person_key') }}",
    post_hook="{{ restatement_post_hook(none,
        [ref('int_sof__lab_group_intervention_years'), ref('int_sof__person_intervention_years')],
        ['kanten_main_group'],
        [[ref('dim_lab_target_group'), ['lab_group_code', 'main_group_code', 'placement_priority']]]) }}"
) }}
{%- set restated_numbers = restated_citizens_only('person_number',
    bif_and_sof_citizen_sources(), none, parents, ['kanten_main_group'], small_inputs) %}
{%- set restated_keys = restated_citizens_only('person_key',
    bif_and_sof_citizen_sources(), none, parents, ['kanten_main_group'], small_inputs,
    identity='person_key') %}

with

person_years as (
    select * from {{ ref('int_bif__person_years') }}
    where is_bif_active
        and {{ restated_numbers }}
),

memberships as (
    select * from {{ ref('int_bif__lab_group_years') }}
    where {{ restated_numbers }}
),

lab_groups as (
    select * from {{ ref('dim_lab_target_group') }}
),

intervention_years as (
    select * from {{ ref('int_sof__person_intervention_years') }}
    where {{ restated_keys }}
),

group_interventions as (
    select * from {{ ref('int_sof__lab_group_intervention_years') }}
    where {{ restated_keys }}
),

coordination as (
    select
        year,
        person_key,
        {{ person_number('person_key') }} as person_number,
        intervention_code,
        is_via_child,
        support_step,
        deciding_priority,
        child_measure_kind
    from intervention_years
    where is_coordination_relevant
),

coordination_flags as (
    select
        year,
        person_key,
        person_number,
        max(case when is_via_child and child_measure_kind = 'forebyggende' then 1 else 0 end) = 1
            as has_child_preventive,
        max(case when is_via_child and child_measure_kind = 'anbringelse' then 1 else 0 end) = 1
            as has_child_placed
    from coordination
    group by year, person_key, person_number
),

-- the LAB groups of the citizen-years with coordination-relevant SOF support only (the
-- fællesborgere are among them): the other BIF citizen-years are most of the memberships
placed_groups as (
    select
        memberships.year,
        memberships.person_number,
        lab_groups.main_group_code,
        row_number() over (
            partition by memberships.year, memberships.person_number
            order by lab_groups.placement_priority, lab_groups.main_group_code
        ) as placement_rank
    from memberships
    inner join coordination_flags
        on memberships.year = coordination_flags.year
            and memberships.person_number = coordination_flags.person_number
    inner join lab_groups
        on memberships.lab_group_code = lab_groups.lab_group_code
),

main_group as (
    select
        year,
        person_number,
        main_group_code
    from placed_groups
    where placement_rank = 1
),

kanten as (
    select
        year,
        person_number,
        max(case when main_group_code = '{{ var("kanten_main_group") }}' then 1 else 0 end) = 1
            as is_kanten
    from placed_groups
    group by year, person_number
),

steps as (
    select
        year,
        person_key,
        support_step,
        intervention_code,
        row_number() over (
            partition by year, person_key
            -- tie-break among the interventions of the highest step: seed column
            -- sof_interventions.deciding_priority (lowest first), then the code
            order by support_step desc, deciding_priority asc, intervention_code asc
        ) as step_rank
    from coordination
    where not is_via_child
        and support_step is not null
),

deciding as (
    select
        year,
        person_key,
        support_step,
        intervention_code as deciding_intervention_code
    from steps
    where step_rank = 1
),

simultaneous_cases as (
    -- rule 16: a coordination-relevant grant or børnesag on a day with a BIF spell
    select distinct
        year,
        person_key
    from group_interventions
    where is_coordination_relevant
        and is_simultaneous
),

final as (
    select
        cast(coordination_flags.year as integer) as year,
        coordination_flags.person_key,
        main_group.main_group_code,
        kanten.is_kanten,
        cast(deciding.support_step as integer) as support_step,
        deciding.deciding_intervention_code,
        coordination_flags.has_child_preventive,
        coordination_flags.has_child_placed,
        simultaneous_cases.person_key is not null as has_simultaneous_case
    from person_years
    inner join coordination_flags
        on person_years.year = coordination_flags.year
            and person_years.person_number = coordination_flags.person_number
    inner join main_group
        on person_years.year = main_group.year
            and person_years.person_number = main_group.person_number
    inner join kanten
        on person_years.year = kanten.year
            and person_years.person_number = kanten.person_number
    left join deciding
        on coordination_flags.year = deciding.year
            and coordination_flags.person_key = deciding.person_key
    left join simultaneous_cases
        on coordination_flags.year = simultaneous_cases.year
            and coordination_flags.person_key = simultaneous_cases.person_key
)

select * from final
