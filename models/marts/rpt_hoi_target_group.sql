{#-
    Rule 10 (docs/rules.md#rule-10), the HOI target group (Bilag 1, Tabel 1) for every
    month of the report years: citizens aged at least the BIF group's minimum age on the
    first day of the month, with a BIF spell day in the month in a LAB group of the BIF
    group (seed `hoi_bif_groups`: aktivitetsparate 6.3 / 6.5 by age band,
    ressourceforløb 6.8), and a day of their own grant of an intervention of the SEL
    group (seed column `sof_interventions.hoi_sel_group`) in the same month. The
    spell day and the grant day need not be the same day. Who is in which cell is the
    `tabel1` definition of `int_hoi__memberships` (shared with rule 14's
    `rpt_hoi_people` and `rpt_hoi_followup`). A citizen counts once per cell and may be
    in several cells. Every month x SEL group x BIF group cell is present, 0 when empty;
    the "I alt" sums of the published table are sums over these cells.
-#}
with

months as (
    select * from {{ ref('int_report_months') }}
),

memberships as (
    select * from {{ ref('int_hoi__memberships') }}
    where definition = 'tabel1'
),

bif_groups as (
    select * from {{ ref('hoi_bif_groups') }}
),

sel_groups as (
    select * from {{ ref('hoi_sel_groups') }}
),

counted as (
    select
        month_start,
        sel_group,
        bif_group,
        count(distinct person_number) as citizens
    from memberships
    group by
        month_start,
        sel_group,
        bif_group
),

bif_group_list as (
    select distinct
        bif_group,
        bif_group_sort_order
    from bif_groups
),

cells as (
    select
        months.year,
        months.month_of_year,
        months.month_start,
        months.is_complete_month,
        sel_groups.sel_group,
        sel_groups.sort_order as sel_group_sort_order,
        bif_group_list.bif_group,
        bif_group_list.bif_group_sort_order
    from months
    cross join sel_groups
    cross join bif_group_list
),

final as (
    select
        cells.month_start as month,
        cast(cells.year as integer) as year,
        cast(cells.month_of_year as integer) as month_of_year,
        cells.sel_group,
        cast(cells.sel_group_sort_order as integer) as sel_group_sort_order,
        cells.bif_group,
        cast(cells.bif_group_sort_order as integer) as bif_group_sort_order,
        cast(coalesce(counted.citizens, 0) as integer) as citizens,
        cells.is_complete_month
    from cells
    left join counted
        on cells.month_start = counted.month_start
            and cells.sel_group = counted.sel_group
            and cells.bif_group = counted.bif_group
)

select * from final
