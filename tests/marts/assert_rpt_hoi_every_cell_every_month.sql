{#-
    The HOI target group (rule 10, docs/rules.md#rule-10): every month has a row for
    every SEL group x BIF group cell. Fails for every month of `rpt_hoi_target_group`
    with fewer or more rows than distinct SEL groups times distinct BIF groups.
-#}
with

hoi as (
    select * from {{ ref('rpt_hoi_target_group') }}
),

months as (
    select
        month,
        count(*) as cells
    from hoi
    group by month
),

groups as (
    select
        count(distinct sel_group) as sel_groups,
        count(distinct bif_group) as bif_groups
    from hoi
),

final as (
    select
        months.month,
        months.cells,
        groups.sel_groups * groups.bif_groups as cells_expected
    from months
    cross join groups
)

select * from final
where cells != cells_expected
