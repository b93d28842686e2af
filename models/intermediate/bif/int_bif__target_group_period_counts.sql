{#-
    Rules 11 and 12 (docs/rules.md#rule-11, #rule-12): the counts behind the
    target-group statistics (Bilag 1a, Jobindsats conventions). For every period (each
    month, quarter and year of the report years), count row and characteristic cell:
    the persons (citizens with at least one spell day of the row in the period) and
    their spell days (distinct calendar days with a spell of the row; the
    fuldtidspersoner are spell days / the period's days).

    Count rows (`int_bif__target_group_rows`): each LAB group (`sub_group` `alle`), each
    Bilag 1a sub-group, and `lab_group_code` `ALL` for the citizens of a main group
    (`main_group_code`) or of every group (`main_group_code` `ALL`), each citizen once.
    Cells: sex (from the CPR number, in staging), origin (seed `origin_groups` over the
    person register's `herkomst`; `ukendt` where the register has no row for the
    citizen), age in whole years on the period's first day (macro
    `age_at_month_start`), citizens aged `target_group_min_age` (16) to
    `target_group_max_age` (66). The 2-month rule (rule 1) does not apply.

    How, without a row per citizen and period, nor per island and period (each would be
    tens or hundreds of millions of rows at national scale):
    1. the spells of a citizen in a count row are merged into disjoint islands (gaps and
       islands), so a day counts once: `int_bif__target_group_island_bounds`, stored
       citizen by citizen, so that a monthly delivery recomputes the islands of the
       citizens it touches only, and this model sums every citizen's islands again;
    2. an island counts in every period it overlaps: all the period's days, but those
       before its first day in its first period and after its last day in its last
       period. So only its first and last month matter: the islands are summed per cell
       (count row, sex, origin, age anchor) and month they start or end in, with the
       sums of their first and last days, and those month sums per quarter and year;
    3. per cell, running sums over the periods in which it changes (a difference array)
       give the islands started up to each such period less those ended before it: the
       islands that overlap it. The report periods up to the cell's next change have the
       islands left after the change. Their days are the period's days each, less the
       days before the starts and after the ends in it. Cells are keyed on integers
       (the count row's `sort_order`, `characteristics_id` for sex and origin, age
       anchor, months per period): the labels join back on the counted rows;
    4. an island counts its citizen as a person of a period unless the citizen's previous
       island of the row ended in the same period (which can only be the island's first
       period): islands are disjoint and ordered, so each citizen counts once per period;
    5. the age on a period's first day follows from the cell's age anchor, so cells of
       one age are summed last, and only periods of ages `target_group_min_age` to
       `target_group_max_age` are kept. For quarters and years, the anchors that give
       the same age on the first day of every such period are one cell (macro
       `period_age_anchor`).
-#}
with

spells as (
    select * from {{ ref('int_bif__spells') }}
),

island_bounds as (
    select * from {{ ref('int_bif__target_group_island_bounds') }}
),

count_rows as (
    select * from {{ ref('int_bif__target_group_rows') }}
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
-- on one row per citizen, not per spell). A citizen's sex and age anchor are the same on
-- each of their spells (both from the CPR number); the register has one used row per
-- citizen and seed `origin_groups` one row per spelling (both tested unique), so each
-- citizen joins at most one origin. The register's citizens are named by
-- `person_number`, as the spells' are (macro `person_number`, unique per citizen:
-- `int_citizen_numbers`): joined on the integer, not on the 64 characters of
-- `person_key` (at scale 30 the text made this join spill, and the model grow faster
-- than the data)
spell_people as (
    select
        person_number,
        {{ dbt.any_value('sex') }} as sex,
        {{ dbt.any_value('age_anchor_month') }} as age_anchor_month
    from spells
    group by person_number
),

register_origins as (
    select
        {{ person_number('person_key') }} as person_number,
        origin
    from register
),

people as (
    select
        spell_people.person_number,
        spell_people.sex,
        spell_people.age_anchor_month,
        coalesce(origin_groups.origin_group, 'ukendt') as origin_group
    from spell_people
    left join register_origins
        on spell_people.person_number = register_origins.person_number
    left join origin_groups
        on lower(register_origins.origin) = origin_groups.herkomst
),

-- the citizens' combinations of sex and origin, numbered: the cells below are keyed on
-- integers (a count row, this number, an age anchor, the months of a period type)
characteristics as (
    select
        sex,
        origin_group,
        row_number() over (order by sex, origin_group) as characteristics_id
    from (
        select distinct
            sex,
            origin_group
        from people
    ) as distinct_characteristics
),

person_cells as (
    select
        people.person_number,
        people.age_anchor_month,
        characteristics.characteristics_id
    from people
    inner join characteristics
        on people.sex = characteristics.sex
            and people.origin_group = characteristics.origin_group
),

-- the islands' bounds (int_bif__target_group_island_bounds), with their citizen's cell
bounds as (
    select
        island_bounds.row_sort_order as row_id,
        person_cells.characteristics_id,
        person_cells.age_anchor_month,
        island_bounds.start_date,
        island_bounds.previous_end_date,
        island_bounds.starts_island,
        island_bounds.last_island_end_date
    from island_bounds
    inner join person_cells
        on island_bounds.person_number = person_cells.person_number
),

-- the starts of the islands: first month and first day (days since the first report
-- day), with the month of the end of the citizen's previous island in the row
island_starts as (
    select
        bounds.row_id,
        bounds.characteristics_id,
        bounds.age_anchor_month,
        {{ month_index(
            'extract(year from bounds.start_date)', 'extract(month from bounds.start_date)'
        ) }} as month_index,
        {{ days_inclusive('report_span.first_day', 'bounds.start_date') }} - 1 as start_day,
        {{ month_index(
            'extract(year from bounds.previous_end_date)',
            'extract(month from bounds.previous_end_date)'
        ) }} as previous_end_month_index
    from bounds
    cross join report_span
    where bounds.starts_island
),

-- the ends of the islands: the end before a spell that starts an island, and the end of
-- the last island
island_end_dates as (
    select
        row_id,
        characteristics_id,
        age_anchor_month,
        previous_end_date as end_date
    from bounds
    where starts_island
        and previous_end_date is not null
    union all
    select
        row_id,
        characteristics_id,
        age_anchor_month,
        last_island_end_date as end_date
    from bounds
    where last_island_end_date is not null
),

island_ends as (
    select
        island_end_dates.row_id,
        island_end_dates.characteristics_id,
        island_end_dates.age_anchor_month,
        {{ month_index(
            'extract(year from island_end_dates.end_date)',
            'extract(month from island_end_dates.end_date)'
        ) }} as month_index,
        {{ days_inclusive('report_span.first_day', 'island_end_dates.end_date') }} - 1
            as end_day
    from island_end_dates
    cross join report_span
),

-- per cell (count row, characteristics, age anchor) and month: the islands that start in
-- it, with the sum of their first days, and how many of them follow an island of the
-- citizen that ended in the same month, quarter or year (those do not count their
-- citizen again in that period); and the islands that end in it, with the sum of their
-- last days. Starts and ends are summed apart: each sum reads only its own rows
month_starts as (
    select
        row_id,
        characteristics_id,
        age_anchor_month,
        month_index,
        count(*) as islands_starting,
        sum(start_day) as start_days,
        count(case when previous_end_month_index = month_index then 1 end)
            as continuing_in_month,
        count(
            case
                when floor(previous_end_month_index / 3) = floor(month_index / 3) then 1
            end
        ) as continuing_in_quarter,
        count(
            case
                when floor(previous_end_month_index / 12) = floor(month_index / 12) then 1
            end
        ) as continuing_in_year
    from island_starts
    group by row_id, characteristics_id, age_anchor_month, month_index
),

month_ends as (
    select
        row_id,
        characteristics_id,
        age_anchor_month,
        month_index,
        count(*) as islands_ending,
        sum(end_day) as end_days
    from island_ends
    group by row_id, characteristics_id, age_anchor_month, month_index
),

-- a cell's month sums of starts and of ends are two rows here: the sums per period below
-- add them up
month_changes as (
    select
        row_id,
        characteristics_id,
        age_anchor_month,
        month_index,
        islands_starting,
        start_days,
        continuing_in_month,
        continuing_in_quarter,
        continuing_in_year,
        0 as islands_ending,
        0 as end_days
    from month_starts
    union all
    select
        row_id,
        characteristics_id,
        age_anchor_month,
        month_index,
        0 as islands_starting,
        0 as start_days,
        0 as continuing_in_month,
        0 as continuing_in_quarter,
        0 as continuing_in_year,
        islands_ending,
        end_days
    from month_ends
),

-- the period types as months per period: a period's index is the month index of any of
-- its days divided by it (rounded down), so consecutive periods have consecutive indices
period_lengths as (
    select
        'month' as period_type,
        1 as months_per_period
    union all
    select
        'quarter' as period_type,
        3 as months_per_period
    union all
    select
        'year' as period_type,
        12 as months_per_period
),

indexed_periods as (
    select
        periods.period_type,
        period_lengths.months_per_period,
        periods.period_start,
        periods.period_days,
        {{ month_index(
            'extract(year from periods.period_start)', 'extract(month from periods.period_start)'
        ) }} as period_month_index,
        cast(floor(
            {{ month_index(
                'extract(year from periods.period_start)', 'extract(month from periods.period_start)'
            ) }} / period_lengths.months_per_period
        ) as integer) as period_index,
        {{ days_inclusive('report_span.first_day', 'periods.period_start') }} - 1
            as period_start_day,
        {{ days_inclusive('report_span.first_day', 'periods.period_end') }} - 1 as period_end_day
    from periods
    inner join period_lengths
        on periods.period_type = period_lengths.period_type
    cross join report_span
),

-- the month changes summed per period of each type (a quarter's changes are its months').
-- A quarter or a year starts in a month whose index is a multiple of its months, so the
-- age on its first day is the same for the age anchors up to the next such multiple:
-- those cells are summed as one, anchored there (a third of the anchors of the
-- quarters, a twelfth of those of the years)
period_changes as (
    select
        month_changes.row_id,
        month_changes.characteristics_id,
        {{ period_age_anchor(
            'month_changes.age_anchor_month', 'period_lengths.months_per_period'
        ) }} as age_anchor_month,
        period_lengths.months_per_period,
        cast(floor(month_changes.month_index / period_lengths.months_per_period) as integer)
            as period_index,
        sum(month_changes.islands_starting) as islands_starting,
        sum(month_changes.start_days) as start_days,
        sum(
            case period_lengths.months_per_period
                when 1 then month_changes.continuing_in_month
                when 3 then month_changes.continuing_in_quarter
                else month_changes.continuing_in_year
            end
        ) as islands_continuing,
        sum(month_changes.islands_ending) as islands_ending,
        sum(month_changes.end_days) as end_days
    from month_changes
    cross join period_lengths
    group by
        month_changes.row_id,
        month_changes.characteristics_id,
        {{ period_age_anchor(
            'month_changes.age_anchor_month', 'period_lengths.months_per_period'
        ) }},
        period_lengths.months_per_period,
        cast(floor(month_changes.month_index / period_lengths.months_per_period) as integer)
),

-- per cell and period with a change: the islands started and ended up to it (running
-- sums over the changes, not over every period: a cell changes in few of them), and
-- the cell's next period with a change (after its last change, an index beyond every
-- period's, so that the join below bounds the periods on both sides and pairs each
-- change only with the periods up to the next one)
running as (
    select
        *,
        sum(islands_starting) over (
            partition by row_id, characteristics_id, age_anchor_month, months_per_period
            order by period_index
            rows between unbounded preceding and current row
        ) as islands_started,
        sum(islands_ending) over (
            partition by row_id, characteristics_id, age_anchor_month, months_per_period
            order by period_index
            rows between unbounded preceding and current row
        ) as islands_ended,
        lead(period_index, 1, 2147483647) over (
            partition by row_id, characteristics_id, age_anchor_month, months_per_period
            order by period_index
        ) as next_period_index
    from period_changes
),

-- each report period from a period with a change up to the cell's next change: the
-- cell's islands then are those started and not yet ended. In the period of the change
-- itself, the islands ending in it still overlap it; each island counts its citizen
-- unless it continues an island of the citizen in the period, and all the period's
-- days but those before the first day of an island starting in it and after the last
-- day of one ending in it. A change in a period the report leaves out still counts in
-- the running sums of the report periods after it.
cell_counts as (
    select
        indexed_periods.period_type,
        indexed_periods.period_start,
        indexed_periods.period_days,
        running.row_id,
        running.characteristics_id,
        {{ age_at_month_start('indexed_periods.period_month_index', 'running.age_anchor_month') }}
            as age,
        case
            when indexed_periods.period_index = running.period_index
                then running.islands_started - running.islands_ended + running.islands_ending
            else running.islands_started - running.islands_ended
        end as islands,
        case
            when indexed_periods.period_index = running.period_index
                then running.islands_continuing
            else 0
        end as islands_continuing,
        case
            when indexed_periods.period_index = running.period_index
                then running.start_days
                    - running.islands_starting * indexed_periods.period_start_day
            else 0
        end as days_before_starts,
        case
            when indexed_periods.period_index = running.period_index
                then running.islands_ending * indexed_periods.period_end_day - running.end_days
            else 0
        end as days_after_ends
    from running
    inner join indexed_periods
        on running.months_per_period = indexed_periods.months_per_period
            and running.period_index <= indexed_periods.period_index
            and running.next_period_index > indexed_periods.period_index
),

counted as (
    select
        period_type,
        period_start,
        period_days,
        row_id,
        characteristics_id,
        age,
        sum(islands - islands_continuing) as persons,
        sum(islands * period_days - days_before_starts - days_after_ends) as spell_days
    from cell_counts
    where islands > 0
        and age between {{ var('target_group_min_age') }} and {{ var('target_group_max_age') }}
    group by
        period_type,
        period_start,
        period_days,
        row_id,
        characteristics_id,
        age
),

final as (
    select
        counted.period_type,
        counted.period_start,
        cast(counted.period_days as integer) as period_days,
        count_rows.lab_group_code,
        count_rows.sub_group,
        count_rows.main_group_code,
        characteristics.sex,
        characteristics.origin_group,
        cast(counted.age as integer) as age,
        cast(counted.persons as integer) as persons,
        cast(counted.spell_days as bigint) as spell_days
    from counted
    inner join count_rows
        on counted.row_id = count_rows.sort_order
    inner join characteristics
        on counted.characteristics_id = characteristics.characteristics_id
)

select * from final
