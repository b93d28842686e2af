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

-- every citizen with a spell once, then their characteristics (the register is joined
-- on one row per citizen, not per spell)
spell_people as (
    select
        person_number,
        max(person_key) as person_key,
        max(sex) as sex,
        max(age_anchor_month) as age_anchor_month
    from spells
    group by person_number
),

people as (
    select
        spell_people.person_number,
        spell_people.sex,
        spell_people.age_anchor_month,
        coalesce(max(origin_groups.origin_group), 'ukendt') as origin_group
    from spell_people
    left join register
        on spell_people.person_key = register.person_key
    left join origin_groups
        on lower(register.origin) = origin_groups.herkomst
    group by spell_people.person_number, spell_people.sex, spell_people.age_anchor_month
),

-- the count rows, numbered: each LAB group, each sub-group its spells name, each main
-- group's total and the grand total. The windows and groupings below work on the small
-- integer `row_id`; the labels join back on the counted cells.
sub_groups_named as (
    select distinct
        lab_group_code,
        sub_group
    from spells
    where sub_group is not null
),

count_rows as (
    select
        lab_group_code,
        'alle' as sub_group,
        main_group_code
    from lab_groups
    union all
    select
        sub_groups_named.lab_group_code,
        sub_groups_named.sub_group,
        lab_groups.main_group_code
    from sub_groups_named
    inner join lab_groups
        on sub_groups_named.lab_group_code = lab_groups.lab_group_code
    union all
    select distinct
        'ALL' as lab_group_code,
        'alle' as sub_group,
        main_group_code
    from lab_groups
    union all
    select
        'ALL' as lab_group_code,
        'alle' as sub_group,
        'ALL' as main_group_code
),

numbered_rows as (
    select
        lab_group_code,
        sub_group,
        main_group_code,
        row_number() over (order by lab_group_code, sub_group, main_group_code) as row_id
    from count_rows
),

-- each spell with the ids of the count rows it belongs to: its group, its sub-group (if
-- any), its main group's total and the grand total
spells_in_rows as (
    select
        spells.person_number,
        spells.start_date,
        spells.effective_end_date,
        group_rows.row_id as group_row_id,
        sub_rows.row_id as sub_row_id,
        main_rows.row_id as main_row_id,
        total_rows.row_id as total_row_id
    from spells
    inner join numbered_rows as group_rows
        on spells.lab_group_code = group_rows.lab_group_code
            and group_rows.sub_group = 'alle'
    inner join numbered_rows as main_rows
        on group_rows.main_group_code = main_rows.main_group_code
            and main_rows.lab_group_code = 'ALL'
    inner join numbered_rows as total_rows
        on total_rows.lab_group_code = 'ALL'
            and total_rows.main_group_code = 'ALL'
    left join numbered_rows as sub_rows
        on spells.lab_group_code = sub_rows.lab_group_code
            and spells.sub_group = sub_rows.sub_group
),

row_spells as (
    select
        person_number,
        group_row_id as row_id,
        start_date,
        effective_end_date
    from spells_in_rows
    union all
    select
        person_number,
        sub_row_id as row_id,
        start_date,
        effective_end_date
    from spells_in_rows
    where sub_row_id is not null
    union all
    select
        person_number,
        main_row_id as row_id,
        start_date,
        effective_end_date
    from spells_in_rows
    union all
    select
        person_number,
        total_row_id as row_id,
        start_date,
        effective_end_date
    from spells_in_rows
),

clipped as (
    select
        row_spells.person_number,
        row_spells.row_id,
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
            partition by person_number, row_id
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
            partition by person_number, row_id
            order by start_date, end_date
            rows between unbounded preceding and current row
        ) as island_number
    from flagged
),

-- each island with the end of the citizen's previous island of the row (null for the
-- first): the latest end before the island's first spell, which is the previous
-- island's end
islands as (
    select
        person_number,
        row_id,
        min(start_date) as start_date,
        max(end_date) as end_date,
        max(case when starts_island = 1 then previous_end_date end) as previous_island_end_date
    from numbered
    group by person_number, row_id, island_number
),

chained as (
    select
        islands.row_id,
        islands.start_date,
        islands.end_date,
        islands.previous_island_end_date,
        people.sex,
        people.origin_group,
        people.age_anchor_month
    from islands
    inner join people
        on islands.person_number = people.person_number
),

island_periods as (
    select
        periods.period_type,
        periods.period_start,
        periods.period_days,
        chained.row_id,
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
        row_id,
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
        row_id,
        sex,
        origin_group,
        age
),

final as (
    select
        counted.period_type,
        counted.period_start,
        cast(counted.period_days as integer) as period_days,
        numbered_rows.lab_group_code,
        numbered_rows.sub_group,
        numbered_rows.main_group_code,
        counted.sex,
        counted.origin_group,
        cast(counted.age as integer) as age,
        cast(counted.persons as integer) as persons,
        cast(counted.spell_days as bigint) as spell_days
    from counted
    inner join numbered_rows
        on counted.row_id = numbered_rows.row_id
)

select * from final
