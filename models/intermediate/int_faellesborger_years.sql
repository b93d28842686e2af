{#-
    Rule 5 and the citizen-level facts of a fællesborger year: BIF-active in the year
    (rule 1) and at least one coordination-relevant intervention in it, their own or a
    børnesag. Main group by rule 8, kanten by rule 9, step by rule 7.
-#}
with

person_years as (
    select * from {{ ref('int_bif__person_years') }}
    where is_bif_active
),

memberships as (
    select * from {{ ref('int_bif__lab_group_years') }}
),

lab_groups as (
    select * from {{ ref('lab_target_groups') }}
),

main_groups as (
    select * from {{ ref('lab_main_groups') }}
),

intervention_years as (
    select * from {{ ref('int_sof__person_intervention_years') }}
),

interventions as (
    select * from {{ ref('sof_interventions') }}
),

coordination as (
    select
        intervention_years.year,
        intervention_years.person_key,
        intervention_years.intervention_code,
        intervention_years.is_via_child,
        interventions.support_step,
        interventions.child_measure_kind
    from intervention_years
    inner join interventions
        on intervention_years.intervention_code = interventions.intervention_code
    where interventions.is_coordination_relevant
),

placed_groups as (
    select
        memberships.year,
        memberships.person_key,
        main_groups.main_group_code,
        row_number() over (
            partition by memberships.year, memberships.person_key
            order by main_groups.placement_priority, main_groups.main_group_code
        ) as placement_rank
    from memberships
    inner join lab_groups
        on memberships.lab_group_code = lab_groups.lab_group_code
    inner join main_groups
        on lab_groups.main_group_code = main_groups.main_group_code
),

main_group as (
    select
        year,
        person_key,
        main_group_code
    from placed_groups
    where placement_rank = 1
),

kanten as (
    select
        year,
        person_key,
        max(case when main_group_code = '{{ var("kanten_main_group") }}' then 1 else 0 end) = 1
            as is_kanten
    from placed_groups
    group by year, person_key
),

steps as (
    select
        year,
        person_key,
        support_step,
        intervention_code,
        row_number() over (
            partition by year, person_key
            order by support_step desc, intervention_code asc
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

coordination_flags as (
    select
        year,
        person_key,
        max(case when is_via_child and child_measure_kind = 'forebyggende' then 1 else 0 end) = 1
            as has_child_preventive,
        max(case when is_via_child and child_measure_kind = 'anbringelse' then 1 else 0 end) = 1
            as has_child_placed
    from coordination
    group by year, person_key
),

final as (
    select
        person_years.year,
        person_years.person_key,
        main_group.main_group_code,
        kanten.is_kanten,
        deciding.support_step,
        deciding.deciding_intervention_code,
        coordination_flags.has_child_preventive,
        coordination_flags.has_child_placed
    from person_years
    inner join coordination_flags
        on person_years.year = coordination_flags.year
            and person_years.person_key = coordination_flags.person_key
    inner join main_group
        on person_years.year = main_group.year
            and person_years.person_key = main_group.person_key
    inner join kanten
        on person_years.year = kanten.year
            and person_years.person_key = kanten.person_key
    left join deciding
        on person_years.year = deciding.year
            and person_years.person_key = deciding.person_key
)

select * from final
