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
    Cells: sex and origin (`int_bif__target_group_people`), age in whole years on the
    period's first day (macro `age_at_month_start`), citizens aged
    `target_group_min_age` (16) to `target_group_max_age` (66). The 2-month rule
    (rule 1) does not apply.

    How, without a row per citizen and period, nor per island and period (each would be
    tens or hundreds of millions of rows at national scale):
    1. the spells of a citizen in a count row are merged into disjoint islands (gaps and
       islands), so a day counts once: `int_bif__target_group_island_bounds`, stored
       citizen by citizen, so that a monthly delivery recomputes the islands of the
       citizens it touches only;
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

    Incremental by difference on DuckDB (macros/target_group_counts.sql,
    docs/incremental.md): the counts are sums over citizens, so a build after a monthly
    delivery counts, by the same steps, only the citizens whose islands or
    characteristics changed since it counted them, twice: as counted then (their kept
    islands and characteristics, `side` -1) and as they are now (`side` 1). Each island
    weighs its side in the month sums of step 2, so what did not change cancels out
    there, and the steps after it count the difference, which is added to the cells it
    changes; a cell left with no person is deleted. Every citizen again on a first
    build, with `--full-refresh`, when the island bounds or the characteristics computed
    every citizen anew, and when its SQL, a var or the report periods or count rows change; a table on
    Spark.
-#}
{%- set island_bounds = ref('int_bif__target_group_island_bounds') -%}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['period_type', 'period_start', 'lab_group_code', 'sub_group',
        'main_group_code', 'sex', 'origin_group', 'age'],
    on_schema_change='fail',
    pre_hook="{{ target_group_counts_pre_hook(
        ref('int_bif__target_group_island_bounds'), ref('int_bif__target_group_people'),
        small_inputs=[
            [ref('int_report_periods'), ['period_start', 'period_end']],
            [ref('int_bif__target_group_rows'),
                ['lab_group_code', 'sub_group', 'main_group_code', 'sort_order']]]) }}",
    post_hook="{{ target_group_counts_post_hook(
        ref('int_bif__target_group_island_bounds'), ref('int_bif__target_group_people'),
        small_inputs=[
            [ref('int_report_periods'), ['period_start', 'period_end']],
            [ref('int_bif__target_group_rows'),
                ['lab_group_code', 'sub_group', 'main_group_code', 'sort_order']]]) }}"
) }}
{%- set plan = target_group_counts_plan(island_bounds, ref('int_bif__target_group_people'),
    small_inputs=[
        [ref('int_report_periods'), ['period_start', 'period_end']],
        [ref('int_bif__target_group_rows'),
            ['lab_group_code', 'sub_group', 'main_group_code', 'sort_order']]]) -%}
{%- set by_difference = plan.count == 'changes' -%}
{#- an island's weight in the sums (see month_starts) -#}
{%- set weight = 'side' if by_difference else '1' -%}
{#- an island takes its citizen's cell; counting by difference, the cell of its side -#}
{%- set same_person_and_side = 'sided_islands.person_number = person_cells.person_number'
    ~ (' and sided_islands.side = person_cells.side' if by_difference else '') %}
-- sqlfluff:indentation:template_blocks_indent:false
with

-- read in place by each reader (`inlined_cte`): counting by difference, each reads the
-- few changed citizens' rows; stored whole, the CTE would hold every island
island_bounds as {{ inlined_cte() }} (
    select * from {{ island_bounds }}
),

people as {{ inlined_cte() }} (
    select * from {{ ref('int_bif__target_group_people') }}
),

count_rows as (
    select * from {{ ref('int_bif__target_group_rows') }}
),

periods as (
    select * from {{ ref('int_report_periods') }}
),

report_span as (
    select
        min(period_start) as first_day,
        max(period_end) as last_day
    from periods
),

{% if by_difference -%}
{%- set kept = target_group_counts_kept(island_bounds, ref('int_bif__target_group_people')) %}
kept_citizens as (
    select person_number from {{ kept.citizens }}
    where person_number is not null
),

kept_islands as (
    select * from {{ kept.islands }} as kept_island_rows
),

kept_people_citizens as (
    select person_number from {{ kept.people_citizens }}
    where person_number is not null
),

kept_people as (
    select * from {{ kept.people }} as kept_people_rows
),

-- the citizens whose counts change: those whose islands the island bounds restated, and
-- those whose characteristics `int_bif__target_group_people` restated, since this model
-- counted them
changed_citizens as (
    select person_number from kept_citizens
    union
    select person_number from kept_people_citizens
),

-- their characteristics as counted: the kept ones of those the characteristics model
-- restated, those of the others as they stand
counted_people as (
    select
        person_number,
        sex,
        age_anchor_month,
        origin_group
    from kept_people
    union all
    select
        person_number,
        sex,
        age_anchor_month,
        origin_group
    from people
    where people.person_number in (select changed_citizens.person_number from changed_citizens)
        and people.person_number not in (
            select kept_people_citizens.person_number from kept_people_citizens
        )
),

-- their islands as counted: the kept islands of those the island bounds restated, the
-- islands of the others as they stand
counted_islands as (
    select * from kept_islands
    union all
    select * from island_bounds
    where
        island_bounds.person_number in (
            select changed_citizens.person_number from changed_citizens
        )
        and island_bounds.person_number not in (
            select kept_citizens.person_number from kept_citizens
        )
),

-- their islands and characteristics as counted (side -1) and as they are now (side 1)
sided_islands as (
    select
        -1 as side,
        counted_islands.*
    from counted_islands
    union all
    select
        1 as side,
        island_bounds.*
    from island_bounds
    where
        island_bounds.person_number in (
            select changed_citizens.person_number from changed_citizens
        )
),

sided_people as (
    select
        -1 as side,
        person_number,
        sex,
        age_anchor_month,
        origin_group
    from counted_people
    union all
    select
        1 as side,
        person_number,
        sex,
        age_anchor_month,
        origin_group
    from people
    where people.person_number in (select changed_citizens.person_number from changed_citizens)
),

{% else -%}
sided_islands as (
    select
        person_number,
        row_sort_order,
        start_date,
        previous_end_date,
        starts_island,
        last_island_end_date
    from island_bounds
),

sided_people as (
    select * from people
),

{% endif -%}
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
        from sided_people
    ) as distinct_characteristics
),

person_cells as (
    select
        {{ 'sided_people.side,' if by_difference }}
        sided_people.person_number,
        sided_people.age_anchor_month,
        characteristics.characteristics_id
    from sided_people
    inner join characteristics
        on sided_people.sex = characteristics.sex
            and sided_people.origin_group = characteristics.origin_group
),

-- the islands' bounds (int_bif__target_group_island_bounds), with their citizen's cell
bounds as (
    select
        {{ 'sided_islands.side,' if by_difference }}
        sided_islands.row_sort_order as row_id,
        person_cells.characteristics_id,
        person_cells.age_anchor_month,
        sided_islands.start_date,
        sided_islands.previous_end_date,
        sided_islands.starts_island,
        sided_islands.last_island_end_date
    from sided_islands
    inner join person_cells
        on {{ same_person_and_side }}
),

-- the starts of the islands: first month and first day (days since the first report
-- day), with the month of the end of the citizen's previous island in the row
island_starts as (
    select
        {{ 'bounds.side,' if by_difference }}
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
        {{ 'side,' if by_difference }}
        row_id,
        characteristics_id,
        age_anchor_month,
        previous_end_date as end_date
    from bounds
    where starts_island
        and previous_end_date is not null
    union all
    select
        {{ 'side,' if by_difference }}
        row_id,
        characteristics_id,
        age_anchor_month,
        last_island_end_date as end_date
    from bounds
    where last_island_end_date is not null
),

island_ends as (
    select
        {{ 'island_end_dates.side,' if by_difference }}
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
-- an island weighs its side: 1 counting every citizen; counting by difference, -1 as
-- counted before and 1 now, so that the sums are those of the citizens now less those as
-- counted, and the islands of a citizen that did not change cancel out here
month_starts as (
    select
        row_id,
        characteristics_id,
        age_anchor_month,
        month_index,
        sum({{ weight }}) as islands_starting,
        sum({{ weight }} * start_day) as start_days,
        sum(
            case when previous_end_month_index = month_index then {{ weight }} else 0 end
        ) as continuing_in_month,
        sum(
            case
                when floor(previous_end_month_index / 3) = floor(month_index / 3)
                    then {{ weight }}
                else 0
            end
        ) as continuing_in_quarter,
        sum(
            case
                when floor(previous_end_month_index / 12) = floor(month_index / 12)
                    then {{ weight }}
                else 0
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
        sum({{ weight }}) as islands_ending,
        sum({{ weight }} * end_day) as end_days
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
    -- (counting every citizen, each; counting by difference, those that do not cancel out)
    where islands_starting <> 0
        or start_days <> 0
        or continuing_in_month <> 0
        or continuing_in_quarter <> 0
        or continuing_in_year <> 0
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
    where islands_ending <> 0
        or end_days <> 0
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
    -- the rows that add or take away: counting every citizen, those with an island (with
    -- none, nothing starts or ends in the period either); counting by difference, a
    -- netted cell may have no island left in a period, yet days
    where
        age between {{ var('target_group_min_age') }} and {{ var('target_group_max_age') }}
        and (
            islands <> 0
            or islands_continuing <> 0
            or days_before_starts <> 0
            or days_after_ends <> 0
        )
    group by
        period_type,
        period_start,
        period_days,
        row_id,
        characteristics_id,
        age
),

{% if by_difference -%}
-- the cells that change: the difference of the citizens now less as counted
changes as (
    select * from counted
    where persons <> 0
        or spell_days <> 0
),

-- the changed cells with their counts so far (none for a new cell); the post-hook
-- deletes a cell left with no person
final as (
    select
        changes.period_type,
        changes.period_start,
        cast(changes.period_days as integer) as period_days,
        count_rows.lab_group_code,
        count_rows.sub_group,
        count_rows.main_group_code,
        characteristics.sex,
        characteristics.origin_group,
        cast(changes.age as integer) as age,
        cast(coalesce(counted_so_far.persons, 0) + changes.persons as integer) as persons,
        cast(coalesce(counted_so_far.spell_days, 0) + changes.spell_days as bigint)
            as spell_days
    from changes
    inner join count_rows
        on changes.row_id = count_rows.sort_order
    inner join characteristics
        on changes.characteristics_id = characteristics.characteristics_id
    left join {{ this }} as counted_so_far
        on changes.period_type = counted_so_far.period_type
            and changes.period_start = counted_so_far.period_start
            and count_rows.lab_group_code = counted_so_far.lab_group_code
            and count_rows.sub_group = counted_so_far.sub_group
            and count_rows.main_group_code = counted_so_far.main_group_code
            and characteristics.sex = counted_so_far.sex
            and characteristics.origin_group = counted_so_far.origin_group
            and changes.age = counted_so_far.age
)
{%- else -%}
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
{%- endif %}

select * from final
