{#-
    Rule 10 (docs/rules.md#rule-10), the HOI target group (Bilag 1, Tabel 1) for every
    month of the report years: citizens aged at least the BIF group's minimum age on the
    first day of the month, with a BIF spell day in the month in a LAB group of the BIF
    group (seed `hoi_bif_groups`: aktivitetsparate 6.3 / 6.5 by age band,
    ressourceforløb 6.8), and a day of their own grant of an intervention of the SEL
    group (seed column `sof_interventions.hoi_sel_group`, carried by `int_sof__grants`)
    in the same month (macro `periods_overlap`). The spell day and the grant day need
    not be the same day. A citizen counts once per cell and may be in several cells.
    Every month x SEL group x BIF group cell is present, 0 when empty; the "I alt" sums
    of the published table are sums over these cells.
-#}
with

months as (
    select * from {{ ref('int_report_months') }}
),

spell_years as (
    select * from {{ ref('int_bif__spell_years') }}
),

grants as (
    select * from {{ ref('int_sof__grants') }}
    where child_measure_kind is null
        and hoi_sel_group is not null
),

bif_groups as (
    select * from {{ ref('hoi_bif_groups') }}
),

sel_groups as (
    select * from {{ ref('hoi_sel_groups') }}
),

sel_group_months as (
    select distinct
        months.month_start,
        grants.person_key,
        grants.hoi_sel_group as sel_group
    from grants
    inner join months
        on {{ periods_overlap(
            'grants.start_date', 'grants.effective_end_date', 'months.month_start', 'months.month_end'
        ) }}
),

sel_group_citizens as (
    -- only citizens with a grant of a SEL group can be in the table: their spells only
    select distinct person_key
    from sel_group_months
),

spell_months as (
    select
        months.month_start,
        spell_years.person_key,
        spell_years.lab_group_code,
        {{ age_at_month_start(
            month_index('months.year', 'months.month_of_year'), 'spell_years.age_anchor_month'
        ) }} as age
    from spell_years
    inner join sel_group_citizens
        on spell_years.person_key = sel_group_citizens.person_key
    inner join months
        on spell_years.year = months.year
            and {{ periods_overlap(
                'spell_years.first_month_of_year', 'spell_years.last_month_of_year',
                'months.month_of_year', 'months.month_of_year'
            ) }}
),

bif_group_months as (
    select distinct
        spell_months.month_start,
        spell_months.person_key,
        bif_groups.bif_group
    from spell_months
    inner join bif_groups
        on spell_months.lab_group_code = bif_groups.lab_group_code
            and spell_months.age >= bif_groups.min_age
            and (bif_groups.max_age is null or spell_months.age <= bif_groups.max_age)
),

counted as (
    select
        bif_group_months.month_start,
        sel_group_months.sel_group,
        bif_group_months.bif_group,
        count(distinct bif_group_months.person_key) as citizens
    from bif_group_months
    inner join sel_group_months
        on bif_group_months.month_start = sel_group_months.month_start
            and bif_group_months.person_key = sel_group_months.person_key
    group by
        bif_group_months.month_start,
        sel_group_months.sel_group,
        bif_group_months.bif_group
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
