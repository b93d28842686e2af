{#-
    Rule 14 (docs/rules.md#rule-14): the `tabel1` cells of `rpt_hoi_people` are Tabel 1
    (rule 10, `rpt_hoi_target_group`) in every month, and the `ALL` rows count people:
    a SEL group's or BIF group's `ALL` row lies between its largest cell and the sum of
    its cells, and `ALL` / `ALL` between the largest `ALL` row and the cell sum. Fails
    for every cell that differs, every Tabel 1 cell missing from `rpt_hoi_people`, and
    every `ALL` row outside its bounds.
-#}
with

people as (
    select * from {{ ref('rpt_hoi_people') }}
    where definition = 'tabel1'
),

target_group as (
    select * from {{ ref('rpt_hoi_target_group') }}
),

cells as (
    select * from people
    where sel_group != 'ALL'
        and bif_group != 'ALL'
),

cell_differences as (
    select
        target_group.month,
        target_group.sel_group,
        target_group.bif_group,
        'cell differs from rpt_hoi_target_group' as failure
    from target_group
    left join cells
        on target_group.month = cells.month
            and target_group.sel_group = cells.sel_group
            and target_group.bif_group = cells.bif_group
    where cells.citizens is null
        or cells.citizens != target_group.citizens
),

extra_cells as (
    select
        cells.month,
        cells.sel_group,
        cells.bif_group,
        'cell not in rpt_hoi_target_group' as failure
    from cells
    left join target_group
        on cells.month = target_group.month
            and cells.sel_group = target_group.sel_group
            and cells.bif_group = target_group.bif_group
    where target_group.month is null
),

sel_bounds as (
    select
        month,
        sel_group,
        max(citizens) as largest,
        sum(citizens) as total
    from cells
    group by month, sel_group
),

bif_bounds as (
    select
        month,
        bif_group,
        max(citizens) as largest,
        sum(citizens) as total
    from cells
    group by month, bif_group
),

month_bounds as (
    select
        month,
        sum(citizens) as total
    from cells
    group by month
),

bounded as (
    select
        people.month,
        people.sel_group,
        people.bif_group,
        people.citizens,
        case
            when people.sel_group != 'ALL' then sel_bounds.largest
            when people.bif_group != 'ALL' then bif_bounds.largest
            else 0
        end as lower_bound,
        case
            when people.sel_group != 'ALL' then sel_bounds.total
            when people.bif_group != 'ALL' then bif_bounds.total
            else month_bounds.total
        end as upper_bound
    from people
    left join sel_bounds
        on people.month = sel_bounds.month
            and people.sel_group = sel_bounds.sel_group
    left join bif_bounds
        on people.month = bif_bounds.month
            and people.bif_group = bif_bounds.bif_group
    left join month_bounds
        on people.month = month_bounds.month
    where people.sel_group = 'ALL'
        or people.bif_group = 'ALL'
),

bad_all_rows as (
    select
        month,
        sel_group,
        bif_group,
        'ALL row outside its bounds' as failure
    from bounded
    where citizens < lower_bound
        or citizens > upper_bound
),

final as (
    select * from cell_differences
    union all
    select * from extra_cells
    union all
    select * from bad_all_rows
)

select * from final
