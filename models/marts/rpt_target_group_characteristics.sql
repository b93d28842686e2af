{#-
    Rule 12 (docs/rules.md#rule-12), the characteristics of Bilag 1a's target groups for
    every month, quarter and year of the report years: per LAB group and sub-group (as
    `rpt_target_group_statistics`) and characteristic, the persons and fuldtidspersoner
    (rule 11) of each value, and the value's share of the row's fuldtidspersoner (the
    shares Bilag 1a prints) and of its persons. Characteristics: `sex` (`M`, `K`, from
    the CPR number), `origin` (`dansk`, `vestlig`, `ikke_vestlig` from the person
    register, `ukendt` where it has no row), `age_band_10` and `age_band_5` (seed
    `age_bands`, age on the period's first day). Every period x row x value is present,
    0 when empty; a share is null when its row is empty.
-#}
with

counts as (
    select * from {{ ref('int_bif__target_group_period_counts') }}
),

periods as (
    select * from {{ ref('int_report_periods') }}
),

age_bands as (
    select * from {{ ref('age_bands') }}
),

table_rows as (
    select * from {{ ref('int_bif__target_group_rows') }}
    where row_kind in ('group', 'sub_group')
),

characteristic_values as (
    select
        'sex' as characteristic,
        'M' as value,
        1 as value_sort_order
    union all
    select
        'sex' as characteristic,
        'K' as value,
        2 as value_sort_order
    union all
    select
        'origin' as characteristic,
        'dansk' as value,
        1 as value_sort_order
    union all
    select
        'origin' as characteristic,
        'vestlig' as value,
        2 as value_sort_order
    union all
    select
        'origin' as characteristic,
        'ikke_vestlig' as value,
        3 as value_sort_order
    union all
    select
        'origin' as characteristic,
        'ukendt' as value,
        4 as value_sort_order
    union all
    select
        band_kind as characteristic,
        age_band as value,
        sort_order as value_sort_order
    from age_bands
),

group_counts as (
    select *
    from counts
    where lab_group_code != 'ALL'
),

value_rows as (
    select
        period_type,
        period_start,
        lab_group_code,
        sub_group,
        'sex' as characteristic,
        sex as value,
        persons,
        spell_days
    from group_counts
    union all
    select
        period_type,
        period_start,
        lab_group_code,
        sub_group,
        'origin' as characteristic,
        origin_group as value,
        persons,
        spell_days
    from group_counts
    union all
    select
        group_counts.period_type,
        group_counts.period_start,
        group_counts.lab_group_code,
        group_counts.sub_group,
        age_bands.band_kind as characteristic,
        age_bands.age_band as value,
        group_counts.persons,
        group_counts.spell_days
    from group_counts
    inner join age_bands
        on group_counts.age between age_bands.min_age and age_bands.max_age
),

counted as (
    select
        period_type,
        period_start,
        lab_group_code,
        sub_group,
        characteristic,
        value,
        sum(persons) as persons,
        sum(spell_days) as spell_days
    from value_rows
    group by period_type, period_start, lab_group_code, sub_group, characteristic, value
),

cells as (
    select
        periods.period_type,
        periods.period_start,
        periods.period_label,
        periods.year,
        periods.period_days,
        periods.is_complete_period,
        table_rows.lab_group_code,
        table_rows.sub_group,
        table_rows.sort_order,
        characteristic_values.characteristic,
        characteristic_values.value,
        characteristic_values.value_sort_order,
        coalesce(counted.persons, 0) as persons,
        coalesce(counted.spell_days, 0) as spell_days
    from periods
    cross join table_rows
    cross join characteristic_values
    left join counted
        on periods.period_type = counted.period_type
            and periods.period_start = counted.period_start
            and table_rows.lab_group_code = counted.lab_group_code
            and table_rows.sub_group = counted.sub_group
            and characteristic_values.characteristic = counted.characteristic
            and characteristic_values.value = counted.value
),

shared as (
    select
        *,
        sum(spell_days) over (
            partition by period_type, period_start, lab_group_code, sub_group, characteristic
        ) as row_spell_days,
        sum(persons) over (
            partition by period_type, period_start, lab_group_code, sub_group, characteristic
        ) as row_persons
    from cells
),

final as (
    select
        period_type,
        period_start,
        period_label,
        cast(year as integer) as year,
        lab_group_code,
        sub_group,
        cast(sort_order as integer) as sort_order,
        characteristic,
        value,
        cast(value_sort_order as integer) as value_sort_order,
        cast(persons as integer) as persons,
        cast(spell_days as bigint) as spell_days,
        cast(spell_days as double) / period_days as fuldtidspersoner,
        -- a share of fuldtidspersoner is the share of spell days (same period)
        cast(
            {{ share_pct_exact('spell_days', 'row_spell_days') }} as double
        ) as share_fuldtidspersoner_pct,
        cast(
            {{ share_pct_exact('persons', 'row_persons') }} as double
        ) as share_persons_pct,
        is_complete_period
    from shared
)

select * from final
