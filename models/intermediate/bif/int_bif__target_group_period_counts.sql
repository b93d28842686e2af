{#-
    Rules 11 and 12 (docs/rules.md#rule-11, #rule-12): the counts behind the
    target-group statistics (Bilag 1a, Jobindsats conventions). For every period (each
    month, quarter and year of the report years), count row and characteristic cell:
    the persons (citizens with at least one spell day of the row in the period) and
    their spell days (distinct calendar days with a spell of the row; the
    fuldtidspersoner are spell days / the period's days).

    Count rows: each LAB group (`sub_group` `alle`), each Bilag 1a sub-group of
    `int_bif__spells`, and `lab_group_code` `ALL` for the citizens of a main group
    (`main_group_code`) or of every group (`main_group_code` `ALL`), each citizen once.
    Cells: sex (from the CPR number, in staging), origin (seed `origin_groups` over the
    person register's `herkomst`; `ukendt` where the register has no row for the
    citizen), age in whole years on the period's first day (macro
    `age_at_month_start`), citizens aged `target_group_min_age` (16) to
    `target_group_max_age` (66). The 2-month rule (rule 1) does not apply.

    How, without a row per citizen and period (tens of millions at national scale):
    1. the spells of a citizen in a count row are merged into disjoint islands (gaps and
       islands), so a day counts once;
    2. each island is joined to the periods it overlaps: its days in a period are one
       date difference, never a row per day; a quarter or year is counted like a month,
       so a spell over a quarter's boundary counts its days on each side;
    3. an island counts its citizen as a person of a period only when it is the
       citizen's first island of the row in that period: its previous island ended
       before the period began. Islands are disjoint and ordered, so each citizen counts
       once per period, and the counts group by a few small columns.
-#}
with

spells as (
    select * from {{ ref('int_bif__spells') }}
),

lab_groups as (
    select * from {{ ref('lab_target_groups') }}
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

report_span as (
    select
        min(period_start) as first_day,
        max(period_end) as last_day
    from periods
),

-- every citizen with a spell and their characteristics
people as (
    select
        spells.person_number,
        max(spells.sex) as sex,
        max(spells.age_anchor_month) as age_anchor_month,
        coalesce(max(origin_groups.origin_group), 'ukendt') as origin_group
    from spells
    left join register
        on spells.person_key = register.person_key
    left join origin_groups
        on lower(register.origin) = origin_groups.herkomst
    group by spells.person_number
),

spells_in_groups as (
    select
        spells.person_number,
        spells.lab_group_code,
        lab_groups.main_group_code,
        spells.sub_group,
        spells.start_date,
        spells.effective_end_date
    from spells
    inner join lab_groups
        on spells.lab_group_code = lab_groups.lab_group_code
),

-- every spell in each count row it belongs to: its group, its sub-group (if any), its
-- main group's total and the grand total
row_spells as (
    select
        person_number,
        lab_group_code,
        'alle' as sub_group,
        main_group_code,
        start_date,
        effective_end_date
    from spells_in_groups
    union all
    select
        person_number,
        lab_group_code,
        sub_group,
        main_group_code,
        start_date,
        effective_end_date
    from spells_in_groups
    where sub_group is not null
    union all
    select
        person_number,
        'ALL' as lab_group_code,
        'alle' as sub_group,
        main_group_code,
        start_date,
        effective_end_date
    from spells_in_groups
    union all
    select
        person_number,
        'ALL' as lab_group_code,
        'alle' as sub_group,
        'ALL' as main_group_code,
        start_date,
        effective_end_date
    from spells_in_groups
),

clipped as (
    select
        row_spells.person_number,
        row_spells.lab_group_code,
        row_spells.sub_group,
        row_spells.main_group_code,
        greatest(row_spells.start_date, report_span.first_day) as start_date,
        least(row_spells.effective_end_date, report_span.last_day) as end_date
    from row_spells
    cross join report_span
    where {{ periods_overlap(
        'row_spells.start_date', 'row_spells.effective_end_date',
        'report_span.first_day', 'report_span.last_day'
    ) }}
),

-- overlapping spells of one count row become one island (gaps and islands)
ordered as (
    select
        *,
        max(end_date) over (
            partition by person_number, lab_group_code, sub_group, main_group_code
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
            partition by person_number, lab_group_code, sub_group, main_group_code
            order by start_date, end_date
            rows between unbounded preceding and current row
        ) as island_number
    from flagged
),

islands as (
    select
        person_number,
        lab_group_code,
        sub_group,
        main_group_code,
        min(start_date) as start_date,
        max(end_date) as end_date
    from numbered
    group by person_number, lab_group_code, sub_group, main_group_code, island_number
),

-- each island with the end of the citizen's previous island of the row (null for the
-- first) and the citizen's characteristics
chained as (
    select
        islands.lab_group_code,
        islands.sub_group,
        islands.main_group_code,
        islands.start_date,
        islands.end_date,
        people.sex,
        people.origin_group,
        people.age_anchor_month,
        lag(islands.end_date) over (
            partition by
                islands.person_number,
                islands.lab_group_code,
                islands.sub_group,
                islands.main_group_code
            order by islands.start_date
        ) as previous_island_end_date
    from islands
    inner join people
        on islands.person_number = people.person_number
),

island_periods as (
    select
        periods.period_type,
        periods.period_start,
        periods.period_days,
        chained.lab_group_code,
        chained.sub_group,
        chained.main_group_code,
        chained.sex,
        chained.origin_group,
        {{ age_at_month_start(
            month_index(
                'extract(year from periods.period_start)',
                'extract(month from periods.period_start)'
            ),
            'chained.age_anchor_month'
        ) }} as age,
        case
            when chained.previous_island_end_date is null
                or chained.previous_island_end_date < periods.period_start
                then 1
            else 0
        end as is_first_island_in_period,
        {{ days_inclusive(
            'greatest(chained.start_date, periods.period_start)',
            'least(chained.end_date, periods.period_end)'
        ) }} as spell_days
    from chained
    inner join periods
        on {{ periods_overlap(
            'chained.start_date', 'chained.end_date', 'periods.period_start', 'periods.period_end'
        ) }}
),

counted as (
    select
        period_type,
        period_start,
        period_days,
        lab_group_code,
        sub_group,
        main_group_code,
        sex,
        origin_group,
        age,
        sum(is_first_island_in_period) as persons,
        sum(spell_days) as spell_days
    from island_periods
    where age between {{ var('target_group_min_age') }} and {{ var('target_group_max_age') }}
    group by
        period_type,
        period_start,
        period_days,
        lab_group_code,
        sub_group,
        main_group_code,
        sex,
        origin_group,
        age
),

final as (
    select
        period_type,
        period_start,
        cast(period_days as integer) as period_days,
        lab_group_code,
        sub_group,
        main_group_code,
        sex,
        origin_group,
        cast(age as integer) as age,
        cast(persons as integer) as persons,
        cast(spell_days as bigint) as spell_days
    from counted
)

select * from final
