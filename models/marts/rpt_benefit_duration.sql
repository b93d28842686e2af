{#-
    Rule 13 (docs/rules.md#rule-13), Bilag 1a Figur 1: on every month's last day of the
    report years (the snapshot day D), the citizens with a BIF spell on D, by the
    duration of their episode of public support on D (D - the episode's start + 1 days,
    episodes from `int_bif__support_episodes`, history included) in the bands of seed
    `duration_bands`. A citizen counts under each LAB group (and sub-group) in which
    they have a spell on D, and once in the `ALL` row; `share_pct` is the band's share
    of the row's citizens ("andel af alle forløb"). Scope as rule 11: aged 16-66 on the
    first day of D's month. Every snapshot x row x band is present, 0 when empty.

    How, without a row per episode and month-end (tens of millions at national scale):
    1. the citizens come as ranges of month indexes per count row and episode start,
       with their number of citizens (`int_bif__benefit_duration_ranges`: a citizen
       counts once per month-end and row, in the age scope);
    2. on consecutive month-ends the duration grows, so a range is in band b from the
       first month-end on or after episode start + min_days - 1 to the last on or
       before episode start + max_days - 1: each range x band is one range of month
       indexes, +1 at its first month and -1 after its last (a difference array). The
       bands' months are computed per episode start, and a range joins only the bands
       it reaches;
    3. the citizens of a month-end, row and band are the sum of the changes up to its
       month (a few thousand change rows, joined to the report months).
-#}
{%- set band_first_day = dbt.dateadd(
    'day', '(duration_bands.min_days - 1)', 'episode_starts.episode_start_date'
) -%}
{%- set band_day_after = dbt.dateadd(
    'day', 'duration_bands.max_days', 'episode_starts.episode_start_date'
) -%}
with

ranges as (
    select * from {{ ref('int_bif__benefit_duration_ranges') }}
),

months as (
    select * from {{ ref('int_report_months') }}
),

duration_bands as (
    select * from {{ ref('duration_bands') }}
),

table_rows as (
    select * from {{ ref('int_bif__target_group_rows') }}
    where row_kind in ('group', 'sub_group', 'total')
),

-- the months of each band per episode start (a few thousand days, not the ranges): from
-- the month of start + min_days - 1 to the month before the one of start + max_days
-- (open for the last band)
episode_starts as (
    select distinct episode_start_date
    from ranges
),

band_ranges as (
    select
        episode_starts.episode_start_date,
        duration_bands.duration_band,
        {{ month_index(
            'extract(year from ' ~ band_first_day ~ ')',
            'extract(month from ' ~ band_first_day ~ ')'
        ) }} as first_month_index,
        {{ month_index(
            'extract(year from ' ~ band_day_after ~ ')',
            'extract(month from ' ~ band_day_after ~ ')'
        ) }} - 1 as last_month_index
    from episode_starts
    cross join duration_bands
),

-- each range cut to the months of the bands it reaches (by its episode's start)
band_months as (
    select
        ranges.lab_group_code,
        ranges.sub_group,
        band_ranges.duration_band,
        ranges.persons,
        greatest(ranges.first_month_index, band_ranges.first_month_index)
            as first_month_index,
        least(
            ranges.last_month_index,
            coalesce(band_ranges.last_month_index, ranges.last_month_index)
        ) as last_month_index
    from ranges
    inner join band_ranges
        on ranges.episode_start_date = band_ranges.episode_start_date
            and ranges.last_month_index >= band_ranges.first_month_index
            and ranges.first_month_index
            <= coalesce(band_ranges.last_month_index, ranges.last_month_index)
),

-- the difference array: +1 in a range's first month, -1 in the month after its last
-- (both from one pass over the ranges)
range_ends as (
    select 1 as persons_change
    union all
    select -1 as persons_change
),

range_changes as (
    select
        band_months.lab_group_code,
        band_months.sub_group,
        band_months.duration_band,
        range_ends.persons_change * band_months.persons as persons_change,
        case
            when range_ends.persons_change = 1 then band_months.first_month_index
            else band_months.last_month_index + 1
        end as month_index
    from band_months
    cross join range_ends
    where band_months.first_month_index <= band_months.last_month_index
),

changes as (
    select
        lab_group_code,
        sub_group,
        duration_band,
        month_index,
        sum(persons_change) as persons_change
    from range_changes
    group by
        lab_group_code,
        sub_group,
        duration_band,
        month_index
),

-- the citizens per month-end, row and band: the changes up to its month
counted as (
    select
        months.month_end as snapshot_date,
        changes.lab_group_code,
        changes.sub_group,
        changes.duration_band,
        sum(changes.persons_change) as persons
    from months
    inner join changes
        on changes.month_index <= {{ month_index('months.year', 'months.month_of_year') }}
    group by
        months.month_end,
        changes.lab_group_code,
        changes.sub_group,
        changes.duration_band
),

cells as (
    select
        months.month_end as snapshot_date,
        months.year,
        months.month_of_year,
        months.is_complete_month,
        table_rows.lab_group_code,
        table_rows.sub_group,
        table_rows.sort_order,
        duration_bands.duration_band,
        duration_bands.duration_band_name,
        duration_bands.sort_order as duration_band_sort_order,
        coalesce(counted.persons, 0) as persons
    from months
    cross join table_rows
    cross join duration_bands
    left join counted
        on months.month_end = counted.snapshot_date
            and table_rows.lab_group_code = counted.lab_group_code
            and table_rows.sub_group = counted.sub_group
            and duration_bands.duration_band = counted.duration_band
),

shared as (
    select
        *,
        sum(persons) over (partition by snapshot_date, lab_group_code, sub_group) as row_persons
    from cells
),

final as (
    select
        snapshot_date,
        cast(year as integer) as year,
        cast(month_of_year as integer) as month_of_year,
        lab_group_code,
        sub_group,
        cast(sort_order as integer) as sort_order,
        duration_band,
        duration_band_name,
        cast(duration_band_sort_order as integer) as duration_band_sort_order,
        cast(persons as integer) as persons,
        cast(row_persons as integer) as row_persons,
        cast(
            {{ share_pct_exact('persons', 'row_persons') }} as double
        ) as share_pct,
        is_complete_month
    from shared
)

select * from final
