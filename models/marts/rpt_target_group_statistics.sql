{#-
    Rule 11 (docs/rules.md#rule-11), Bilag 1a's target-group statistics the Jobindsats
    way, for every month, quarter and year of the report years: per LAB group and
    sub-group (`alle`; 6.1 `akademikere` / `ikke_akademikere`; 6.9 `ledige` /
    `ansatte`) the persons (citizens with a spell day in the group in the period) and
    the fuldtidspersoner (the sum of their spell days / the period's days, unrounded),
    citizens aged 16-66 on the period's first day. Fuldtidspersoner are the summed spell
    days divided once by the period's days (the same number as the sum of the shares,
    and the same on every engine: no sum of fractions). Total rows per main group and overall
    give the fuldtidspersoner and persons summed over the groups' `alle` rows, as Bilag
    1a prints a total, and the unique count of persons beside them. Every period x row
    is present, 0 when empty.
-#}
with

counts as (
    select * from {{ ref('int_bif__target_group_period_counts') }}
),

periods as (
    select * from {{ ref('int_report_periods') }}
),

table_rows as (
    select * from {{ ref('int_bif__target_group_rows') }}
),

group_counts as (
    select
        period_type,
        period_start,
        lab_group_code,
        sub_group,
        sum(persons) as persons,
        sum(spell_days) as spell_days
    from counts
    where lab_group_code != 'ALL'
    group by period_type, period_start, lab_group_code, sub_group
),

-- the totals of Bilag 1a: the groups' persons and spell days summed ...
summed_totals as (
    select
        period_type,
        period_start,
        case
            when grouping(main_group_code) = 1 then 'ALL'
            else main_group_code
        end as main_group_code,
        sum(persons) as persons_sum_over_groups,
        sum(spell_days) as spell_days
    from counts
    where lab_group_code != 'ALL' and sub_group = 'alle'
    group by period_type, period_start, rollup(main_group_code)
),

-- ... and each citizen once (the count rows `ALL` of int_bif__target_group_period_counts)
unique_totals as (
    select
        period_type,
        period_start,
        main_group_code,
        sum(persons) as persons
    from counts
    where lab_group_code = 'ALL'
    group by period_type, period_start, main_group_code
),

total_counts as (
    select
        summed_totals.period_type,
        summed_totals.period_start,
        summed_totals.main_group_code,
        unique_totals.persons,
        summed_totals.persons_sum_over_groups,
        summed_totals.spell_days
    from summed_totals
    inner join unique_totals
        on summed_totals.period_type = unique_totals.period_type
            and summed_totals.period_start = unique_totals.period_start
            and summed_totals.main_group_code = unique_totals.main_group_code
),

cells as (
    select
        periods.period_type,
        periods.period_start,
        periods.period_end,
        periods.period_label,
        periods.year,
        periods.period_days,
        periods.is_complete_period,
        table_rows.row_kind,
        table_rows.lab_group_code,
        table_rows.sub_group,
        table_rows.main_group_code,
        table_rows.row_name,
        table_rows.sort_order
    from periods
    cross join table_rows
),

final as (
    select
        cells.period_type,
        cells.period_start,
        cells.period_end,
        cells.period_label,
        cast(cells.year as integer) as year,
        cast(cells.period_days as integer) as period_days,
        cells.row_kind,
        cells.lab_group_code,
        cells.sub_group,
        cells.main_group_code,
        cells.row_name,
        cells.is_complete_period,
        cast(cells.sort_order as integer) as sort_order,
        cast(coalesce(group_counts.persons, total_counts.persons, 0) as integer) as persons,
        cast(
            coalesce(group_counts.persons, total_counts.persons_sum_over_groups, 0) as integer
        ) as persons_sum_over_groups,
        cast(coalesce(group_counts.spell_days, total_counts.spell_days, 0) as bigint)
            as spell_days,
        cast(coalesce(group_counts.spell_days, total_counts.spell_days, 0) as double)
        / cells.period_days as fuldtidspersoner
    from cells
    left join group_counts
        on cells.lab_group_code = group_counts.lab_group_code
            and cells.sub_group = group_counts.sub_group
            and cells.period_type = group_counts.period_type
            and cells.period_start = group_counts.period_start
    left join total_counts
        on cells.lab_group_code = 'ALL'
            and cells.main_group_code = total_counts.main_group_code
            and cells.period_type = total_counts.period_type
            and cells.period_start = total_counts.period_start
)

select * from final
