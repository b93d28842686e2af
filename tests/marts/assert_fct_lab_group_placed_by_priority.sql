{#-
    Rule 8 (docs/rules.md#rule-8): a fællesborger is placed in the main group of their
    LAB groups that comes first in placement priority (seed `lab_main_groups`: kanten,
    sygemeldt, klar). Fails for every row of `fct_faellesborger_lab_group` whose
    citizen's main group in `fct_faellesborger` has another priority than the first of
    the citizen's LAB groups.
-#}
with

lab_group as (
    select * from {{ ref('fct_faellesborger_lab_group') }}
),

fct as (
    select * from {{ ref('fct_faellesborger') }}
),

groups as (
    select * from {{ ref('dim_lab_target_group') }}
),

main_group_priority as (
    select distinct
        main_group_code,
        placement_priority
    from groups
),

person_groups as (
    select
        lab_group.year,
        lab_group.person_key,
        lab_group.lab_group_code,
        groups.placement_priority as group_priority,
        placed.placement_priority as placed_priority
    from lab_group
    left join groups
        on lab_group.lab_group_code = groups.lab_group_code
    left join fct
        on lab_group.year = fct.year
            and lab_group.person_key = fct.person_key
    left join main_group_priority as placed
        on fct.main_group_code = placed.main_group_code
),

final as (
    select
        year,
        person_key,
        lab_group_code,
        placed_priority,
        min(group_priority) over (partition by year, person_key) as first_group_priority
    from person_groups
)

select * from final
where placed_priority != first_group_priority
