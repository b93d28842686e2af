{#-
    Rule 13 (docs/rules.md#rule-13), Bilag 1a Figur 1: on every month's last day of the
    report years (the snapshot day D), the citizens with a BIF spell on D, by the
    duration of their episode of public support on D (D - the episode's start + 1 days,
    episodes from `int_bif__support_episodes`, history included) in the bands of seed
    `duration_bands`. A citizen counts under each LAB group (and sub-group) in which
    they have a spell on D, and once in the `ALL` row; `share_pct` is the band's share
    of the row's citizens ("andel af alle forløb"). Scope as rule 11: aged 16-66 on the
    first day of D's month. Every snapshot x row x band is present, 0 when empty.
-#}
with

episodes as (
    select * from {{ ref('int_bif__support_episodes') }}
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

on_snapshot as (
    select
        months.month_end as snapshot_date,
        episodes.person_number,
        episodes.lab_group_code,
        episodes.sub_group,
        {{ days_inclusive('episodes.episode_start_date', 'months.month_end') }}
            as duration_days
    from episodes
    inner join months
        on episodes.start_date <= months.month_end
            and episodes.effective_end_date >= months.month_end
    where {{ age_at_month_start(
            month_index('months.year', 'months.month_of_year'), 'episodes.age_anchor_month'
        ) }} between {{ var('target_group_min_age') }} and {{ var('target_group_max_age') }}
),

in_rows as (
    select
        snapshot_date,
        person_number,
        lab_group_code,
        'alle' as sub_group,
        duration_days
    from on_snapshot
    union all
    select
        snapshot_date,
        person_number,
        lab_group_code,
        sub_group,
        duration_days
    from on_snapshot
    where sub_group is not null
    union all
    select
        snapshot_date,
        person_number,
        'ALL' as lab_group_code,
        'alle' as sub_group,
        duration_days
    from on_snapshot
),

-- the citizens per day, row and duration: a citizen is in one episode on a day, so has
-- one duration, and the citizens of a band are the sum over its durations (the bands
-- join the few thousand durations, not the citizens)
by_duration as (
    select
        snapshot_date,
        lab_group_code,
        sub_group,
        duration_days,
        count(distinct person_number) as persons
    from in_rows
    group by
        snapshot_date,
        lab_group_code,
        sub_group,
        duration_days
),

counted as (
    select
        by_duration.snapshot_date,
        by_duration.lab_group_code,
        by_duration.sub_group,
        duration_bands.duration_band,
        sum(by_duration.persons) as persons
    from by_duration
    inner join duration_bands
        on by_duration.duration_days >= duration_bands.min_days
            and (
                duration_bands.max_days is null
                or by_duration.duration_days <= duration_bands.max_days
            )
    group by
        by_duration.snapshot_date,
        by_duration.lab_group_code,
        by_duration.sub_group,
        duration_bands.duration_band
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
