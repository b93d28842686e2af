{#-
    Rule 16 (docs/rules.md#rule-16), the report's Bilag 2: for every report year, LAB
    group and intervention, the distinct BIF-active citizens of the group (rules 1, 2)
    who have the intervention in the year (rules 3, 4; coordination-relevant or not),
    and how many of them had it on a day on which they also had a spell in that group
    (`citizens_simultaneous`). The interventions are every code of the catalogue (seed
    `sof_interventions`, through `dim_sof_intervention`): own grants, and for a child
    measure code (§ 52) its custody holders (rule 4: the child's measure as a børnesag
    of the parent); then one row per child measure kind: `BOERNESAG_FOREBYGGENDE`
    (any preventive measure) and `BOERNESAG_ANBRINGELSE` (a placement), the two
    børnesag columns of Tabel 4 for every group. The matrix is complete: every
    year x group x intervention, 0 when no citizen has it, as a Bilag 2 reader expects.
-#}
with

group_interventions as (
    select * from {{ ref('int_sof__lab_group_intervention_years') }}
),

interventions as (
    select * from {{ ref('dim_sof_intervention') }}
),

lab_groups as (
    select * from {{ ref('lab_target_groups') }}
),

years as (
    select * from {{ ref('int_report_years') }}
),

catalogue_rows as (
    select
        intervention_code,
        intervention_name,
        is_coordination_relevant,
        child_measure_kind,
        false as is_child_measure_kind_row
    from interventions
),

kind_rows as (
    select distinct
        'BOERNESAG_' || upper(child_measure_kind) as intervention_code,
        'Børnesag: ' || child_measure_kind as intervention_name,
        is_coordination_relevant,
        child_measure_kind,
        true as is_child_measure_kind_row
    from interventions
    where child_measure_kind is not null
),

intervention_rows as (
    select * from catalogue_rows
    union all
    select * from kind_rows
),

by_code as (
    select
        year,
        lab_group_code,
        intervention_code,
        count(distinct person_key) as citizens,
        count(distinct case when is_simultaneous then person_key end) as citizens_simultaneous
    from group_interventions
    group by year, lab_group_code, intervention_code
),

by_kind as (
    select
        year,
        lab_group_code,
        'BOERNESAG_' || upper(child_measure_kind) as intervention_code,
        count(distinct person_key) as citizens,
        count(distinct case when is_simultaneous then person_key end) as citizens_simultaneous
    from group_interventions
    where is_via_child
    group by year, lab_group_code, child_measure_kind
),

counted as (
    select * from by_code
    union all
    select * from by_kind
),

cells as (
    select
        years.year,
        years.is_complete_year,
        lab_groups.lab_group_code,
        lab_groups.sort_order as lab_group_sort_order,
        intervention_rows.intervention_code,
        intervention_rows.intervention_name,
        intervention_rows.is_coordination_relevant,
        intervention_rows.child_measure_kind,
        intervention_rows.is_child_measure_kind_row
    from years
    cross join lab_groups
    cross join intervention_rows
),

final as (
    select
        cast(cells.year as integer) as year,
        cells.lab_group_code,
        cast(cells.lab_group_sort_order as integer) as lab_group_sort_order,
        cells.intervention_code,
        cells.intervention_name,
        cells.is_coordination_relevant,
        cells.child_measure_kind,
        cells.is_child_measure_kind_row,
        cast(coalesce(counted.citizens, 0) as integer) as citizens,
        cast(coalesce(counted.citizens_simultaneous, 0) as integer) as citizens_simultaneous,
        cells.is_complete_year
    from cells
    left join counted
        on cells.year = counted.year
            and cells.lab_group_code = counted.lab_group_code
            and cells.intervention_code = counted.intervention_code
)

select * from final
