{#-
    Rule 14 (docs/rules.md#rule-14), HOI as people: for every month of the report years
    and every HOI definition of `int_hoi__memberships` (`tabel1`: Tabel 1 of Bilag 1,
    rule 10; `star`: STAR's wider Boks 1; `familieplan`: parents with a child's § 52
    measure), the distinct citizens per SEL group and BIF group, per SEL group over all
    BIF groups (`bif_group` = `ALL`), per BIF group over all SEL groups (`sel_group` =
    `ALL`) and overall (`ALL` / `ALL`). An `ALL` row counts people, each once, so it is
    at most the sum of its cells: a citizen in two cells of a month counts in both cells
    and once in `ALL` (the published "I alt" of Tabel 1 is the cell sum). The `tabel1`
    cells equal `rpt_hoi_target_group`. Every cell of a definition is present, 0 when
    empty: `tabel1` the three SEL groups x three BIF groups (seeds `hoi_sel_groups`,
    `hoi_bif_groups`), `star` the three SEL groups x every LAB group but those of var
    `hoi_star_excluded_lab_groups`, `familieplan` `§ 52` x every LAB group (seed
    `lab_target_groups`).
-#}
{%- set excluded_lab_groups = "'" ~ var('hoi_star_excluded_lab_groups') | join("', '") ~ "'" %}

with

months as (
    select * from {{ ref('int_report_months') }}
),

memberships as (
    select * from {{ ref('int_hoi__memberships') }}
),

sel_group_seed as (
    select * from {{ ref('hoi_sel_groups') }}
),

bif_group_seed as (
    select * from {{ ref('hoi_bif_groups') }}
),

lab_group_seed as (
    select * from {{ ref('lab_target_groups') }}
),

definitions as (
    select
        'tabel1' as definition,
        1 as definition_sort_order
    union all
    select
        'star' as definition,
        2 as definition_sort_order
    union all
    select
        'familieplan' as definition,
        3 as definition_sort_order
),

sel_axis as (
    select
        'tabel1' as definition,
        sel_group,
        sort_order as sel_group_sort_order
    from sel_group_seed
    union all
    select
        'star' as definition,
        sel_group,
        sort_order as sel_group_sort_order
    from sel_group_seed
    union all
    select
        'familieplan' as definition,
        '§ 52' as sel_group,
        1 as sel_group_sort_order
),

bif_axis as (
    select distinct
        'tabel1' as definition,
        bif_group,
        bif_group_sort_order
    from bif_group_seed
    union all
    select
        'star' as definition,
        lab_group_code as bif_group,
        sort_order as bif_group_sort_order
    from lab_group_seed
    where lab_group_code not in ({{ excluded_lab_groups }})
    union all
    select
        'familieplan' as definition,
        lab_group_code as bif_group,
        sort_order as bif_group_sort_order
    from lab_group_seed
),

sel_axis_all as (
    select * from sel_axis
    union all
    select
        definition,
        'ALL' as sel_group,
        99 as sel_group_sort_order
    from definitions
),

bif_axis_all as (
    select * from bif_axis
    union all
    select
        definition,
        'ALL' as bif_group,
        99 as bif_group_sort_order
    from definitions
),

cells as (
    select
        months.year,
        months.month_of_year,
        months.month_start,
        months.is_complete_month,
        definitions.definition,
        definitions.definition_sort_order,
        sel_axis_all.sel_group,
        sel_axis_all.sel_group_sort_order,
        bif_axis_all.bif_group,
        bif_axis_all.bif_group_sort_order
    from months
    cross join definitions
    inner join sel_axis_all
        on definitions.definition = sel_axis_all.definition
    inner join bif_axis_all
        on definitions.definition = bif_axis_all.definition
),

by_cell as (
    select
        month_start,
        definition,
        sel_group,
        bif_group,
        count(distinct person_number) as citizens
    from memberships
    group by month_start, definition, sel_group, bif_group
),

by_sel_group as (
    select
        month_start,
        definition,
        sel_group,
        'ALL' as bif_group,
        count(distinct person_number) as citizens
    from memberships
    group by month_start, definition, sel_group
),

by_bif_group as (
    select
        month_start,
        definition,
        'ALL' as sel_group,
        bif_group,
        count(distinct person_number) as citizens
    from memberships
    group by month_start, definition, bif_group
),

overall as (
    select
        month_start,
        definition,
        'ALL' as sel_group,
        'ALL' as bif_group,
        count(distinct person_number) as citizens
    from memberships
    group by month_start, definition
),

counted as (
    select * from by_cell
    union all
    select * from by_sel_group
    union all
    select * from by_bif_group
    union all
    select * from overall
),

final as (
    select
        cells.month_start as month,
        cast(cells.year as integer) as year,
        cast(cells.month_of_year as integer) as month_of_year,
        cells.definition,
        cast(cells.definition_sort_order as integer) as definition_sort_order,
        cells.sel_group,
        cast(cells.sel_group_sort_order as integer) as sel_group_sort_order,
        cells.bif_group,
        cast(cells.bif_group_sort_order as integer) as bif_group_sort_order,
        cast(coalesce(counted.citizens, 0) as integer) as citizens,
        cells.is_complete_month
    from cells
    left join counted
        on cells.month_start = counted.month_start
            and cells.definition = counted.definition
            and cells.sel_group = counted.sel_group
            and cells.bif_group = counted.bif_group
)

select * from final
