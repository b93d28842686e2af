{#-
    Rules 11 and 12 (docs/rules.md#rule-11, #rule-12): the person-period grain of the
    target-group statistics (Bilag 1a, Jobindsats conventions). One row per period
    (every month, quarter and year of the report years), citizen, LAB group and
    sub-group (`alle`, and the Bilag 1a sub-groups of `int_bif__spells`) in which the
    citizen has at least one spell day in the period, with:

    - `spell_days`: the distinct calendar days of the period with a spell of the group
      (sub-group): overlapping spells of the group are first merged into disjoint
      islands, so a day counts once; the days of an island in a month are one date
      difference, never a row per day;
    - `fuldtidsperson`: `spell_days` / the days of the period (`int_report_periods`);
    - the characteristics of rule 12: age in whole years on the period's first day
      (macro `age_at_month_start`) and its 10- and 5-year bands (seed `age_bands`), sex
      (from the CPR number, in staging), origin (seed `origin_groups` over the person
      register's `herkomst`; `ukendt` where the register has no row for the citizen).

    Scope: citizens aged `target_group_min_age` (16) to `target_group_max_age` (66) on
    the period's first day; the 2-month rule (rule 1) does not apply here. Quarters and
    years are sums of their months, so a spell over a quarter's boundary counts its days
    on each side.
-#}
with

spells as (
    select * from {{ ref('int_bif__spells') }}
),

months as (
    select * from {{ ref('int_report_months') }}
),

periods as (
    select * from {{ ref('int_report_periods') }}
),

register as (
    select * from {{ ref('stg_cpr__personer') }}
    where row_status = 'used'
),

origin_groups as (
    select * from {{ ref('origin_groups') }}
),

age_bands as (
    select * from {{ ref('age_bands') }}
),

report_span as (
    select
        min(month_start) as first_day,
        max(month_end) as last_day
    from months
),

-- every spell in its group (`alle`) and, where it has one, in its sub-group; clipped
-- to the report years
group_spells as (
    select
        spells.person_key,
        spells.lab_group_code,
        'alle' as sub_group,
        spells.start_date,
        spells.effective_end_date
    from spells
    union all
    select
        spells.person_key,
        spells.lab_group_code,
        spells.sub_group,
        spells.start_date,
        spells.effective_end_date
    from spells
    where spells.sub_group is not null
),

clipped as (
    select
        group_spells.person_key,
        group_spells.lab_group_code,
        group_spells.sub_group,
        greatest(group_spells.start_date, report_span.first_day) as start_date,
        least(group_spells.effective_end_date, report_span.last_day) as end_date
    from group_spells
    cross join report_span
    where {{ periods_overlap(
        'group_spells.start_date', 'group_spells.effective_end_date',
        'report_span.first_day', 'report_span.last_day'
    ) }}
),

-- overlapping spells of one group become one island (gaps and islands)
ordered as (
    select
        *,
        max(end_date) over (
            partition by person_key, lab_group_code, sub_group
            order by start_date, end_date
            rows between unbounded preceding and 1 preceding
        ) as previous_end_date
    from clipped
),

flagged as (
    select
        *,
        case
            when previous_end_date is null or start_date > previous_end_date then 1
            else 0
        end as starts_island
    from ordered
),

numbered as (
    select
        *,
        sum(starts_island) over (
            partition by person_key, lab_group_code, sub_group
            order by start_date, end_date
            rows between unbounded preceding and current row
        ) as island_number
    from flagged
),

islands as (
    select
        person_key,
        lab_group_code,
        sub_group,
        island_number,
        min(start_date) as start_date,
        max(end_date) as end_date
    from numbered
    group by person_key, lab_group_code, sub_group, island_number
),

person_months as (
    select
        months.month_start,
        islands.person_key,
        islands.lab_group_code,
        islands.sub_group,
        sum({{ days_inclusive(
            'greatest(islands.start_date, months.month_start)',
            'least(islands.end_date, months.month_end)'
        ) }}) as spell_days
    from islands
    inner join months
        on {{ periods_overlap(
            'islands.start_date', 'islands.end_date', 'months.month_start', 'months.month_end'
        ) }}
    group by months.month_start, islands.person_key, islands.lab_group_code, islands.sub_group
),

-- each month in the periods that hold it (its month, quarter and year): a small table,
-- so the person rows below join it on the month alone
month_periods as (
    select
        months.month_start,
        periods.period_type,
        periods.period_start
    from months
    inner join periods
        on months.month_start between periods.period_start and periods.period_end
),

person_periods as (
    select
        month_periods.period_type,
        month_periods.period_start,
        person_months.person_key,
        person_months.lab_group_code,
        person_months.sub_group,
        sum(person_months.spell_days) as spell_days
    from person_months
    inner join month_periods
        on person_months.month_start = month_periods.month_start
    group by
        month_periods.period_type,
        month_periods.period_start,
        person_months.person_key,
        person_months.lab_group_code,
        person_months.sub_group
),

people as (
    select
        spells.person_key,
        max(spells.sex) as sex,
        max(spells.age_anchor_month) as age_anchor_month,
        coalesce(max(origin_groups.origin_group), 'ukendt') as origin_group
    from spells
    left join register
        on spells.person_key = register.person_key
    left join origin_groups
        on lower(register.origin) = origin_groups.herkomst
    group by spells.person_key
),

aged as (
    select
        person_periods.period_type,
        person_periods.period_start,
        periods.period_days,
        person_periods.person_key,
        person_periods.lab_group_code,
        person_periods.sub_group,
        person_periods.spell_days,
        people.sex,
        people.origin_group,
        {{ age_at_month_start(
            month_index(
                'extract(year from person_periods.period_start)',
                'extract(month from person_periods.period_start)'
            ),
            'people.age_anchor_month'
        ) }} as age
    from person_periods
    inner join periods
        on person_periods.period_type = periods.period_type
            and person_periods.period_start = periods.period_start
    inner join people
        on person_periods.person_key = people.person_key
),

in_scope as (
    select *
    from aged
    where age between {{ var('target_group_min_age') }} and {{ var('target_group_max_age') }}
),

final as (
    select
        in_scope.period_type,
        in_scope.period_start,
        in_scope.person_key,
        in_scope.lab_group_code,
        in_scope.sub_group,
        in_scope.sex,
        in_scope.origin_group,
        band_10.age_band as age_band_10,
        band_5.age_band as age_band_5,
        cast(in_scope.age as integer) as age,
        cast(in_scope.spell_days as integer) as spell_days,
        cast(in_scope.spell_days as double) / in_scope.period_days as fuldtidsperson
    from in_scope
    left join age_bands as band_10
        on band_10.band_kind = 'age_band_10'
            and in_scope.age between band_10.min_age and band_10.max_age
    left join age_bands as band_5
        on band_5.band_kind = 'age_band_5'
            and in_scope.age between band_5.min_age and band_5.max_age
)

select * from final
