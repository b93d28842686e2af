{#-
    Rule 13 (docs/rules.md#rule-13), the citizens behind Bilag 1a Figur 1
    (`rpt_benefit_duration`): on every month's last day of the report years (the
    snapshot day D), a citizen with a BIF spell on D counts under each count row (the
    spell's LAB group, its sub-group, `ALL`) by the duration of their episode of public
    support on D (episodes from `int_bif__support_episodes`, history included), if aged
    `target_group_min_age` to `target_group_max_age` on the first day of D's month.
    Here per count row, episode start and range of month indexes: how many citizens have
    each month-end of the range in the row, in an episode of that start, in the age
    scope; the mart puts the month-ends in the bands of seed `duration_bands`.

    How, without a row per episode and month-end (tens of millions at national scale):
    1. each spell's month-ends are one range of month indexes (the month of its start
       to the month before the one of the day after its end), cut to the report months;
    2. per citizen and count row, the spells in order of their first month each keep
       only the month-ends no earlier spell of the row has (after the latest last month
       before them): disjoint ranges, so a citizen counts once per month-end and row
       (what `count(distinct)` did). A citizen has one episode on a day (spells that
       share a day share an episode), so each month-end of a range has the duration of
       the range's spell's episode;
    3. the ranges are cut to the age scope (macros `first_month_at_age`,
       `last_month_at_age`) and alike ranges (row, episode start, months) counted as
       one, with their number of citizens.

    Incremental by difference on DuckDB (macros/replaced_rows.sql, docs/incremental.md):
    the counts are sums over citizens, so a build after a monthly delivery counts, by
    the same steps, only the citizens the support episodes restated, as counted (their
    kept episodes, `side` -1) and as they are now (`side` 1), and adds the sums to the
    ranges they change; a range left with no citizen is deleted. Every citizen again on a
    first build, with `--full-refresh`, when the support episodes computed every citizen
    anew, and when its SQL, the age vars or the report months change; a table on Spark.
-#}
{%- set support_episodes = ref('int_bif__support_episodes') -%}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['lab_group_code', 'sub_group', 'episode_start_date', 'first_month_index',
        'last_month_index'],
    on_schema_change='fail',
    pre_hook="{{ by_difference_pre_hook(
        by_difference_plan(ref('int_bif__support_episodes'),
            ['target_group_min_age', 'target_group_max_age'],
            [[ref('int_report_months'), ['year', 'month_of_year']]]),
        'the ranges of the citizens int_bif__support_episodes restated since it counted'
            ~ ' them') }}",
    post_hook="{{ by_difference_post_hook(ref('int_bif__support_episodes'), 'persons',
        ['target_group_min_age', 'target_group_max_age'],
        [[ref('int_report_months'), ['year', 'month_of_year']]]) }}"
) }}
{%- set plan = by_difference_plan(support_episodes,
    ['target_group_min_age', 'target_group_max_age'],
    [[ref('int_report_months'), ['year', 'month_of_year']]]) -%}
{%- set by_difference = plan.count == 'changes' -%}
{#- a range's weight in the sums: counting by difference, its side -#}
{%- set weight = 'side' if by_difference else '1' -%}
{%- set side = 'side, ' if by_difference else '' -%}
{%- set day_after_end = dbt.dateadd('day', 1, 'episodes.effective_end_date') %}
-- sqlfluff:indentation:template_blocks_indent:false
with

support_episodes as (
    select * from {{ support_episodes }}
),

months as (
    select * from {{ ref('int_report_months') }}
),

{% if by_difference -%}
kept_citizens as (
    select person_number from {{ replaced_citizens_relation(support_episodes) }}
    where person_number is not null
),

-- the episodes of the citizens the support episodes restated since this model counted
-- them: as counted (side -1, the kept rows) and as they are now (side 1)
episodes as (
    select
        -1 as side,
        kept_episodes.*
    from {{ kept_replaced_rows(support_episodes) }} as kept_episodes
    union all
    select
        1 as side,
        support_episodes.*
    from support_episodes
    where person_number in (select person_number from kept_citizens)
),

{% else -%}
episodes as (
    select * from support_episodes
),

{% endif -%}
report_span as (
    select
        min({{ month_index('year', 'month_of_year') }}) as first_month_index,
        max({{ month_index('year', 'month_of_year') }}) as last_month_index
    from months
),

-- each spell's month-ends as month indexes: the month-end of month m lies in the spell
-- from the month of its start to the month before the one of the day after its end
-- (the last month whose last day is not after the end), cut to the report months
spell_months as (
    select
        {{ side }}episodes.person_number,
        episodes.age_anchor_month,
        episodes.lab_group_code,
        episodes.sub_group,
        episodes.episode_start_date,
        greatest(
            {{ month_index(
                'extract(year from episodes.start_date)', 'extract(month from episodes.start_date)'
            ) }},
            report_span.first_month_index
        ) as first_month_index,
        least(
            {{ month_index(
                'extract(year from ' ~ day_after_end ~ ')',
                'extract(month from ' ~ day_after_end ~ ')'
            ) }} - 1,
            report_span.last_month_index
        ) as last_month_index
    from episodes
    cross join report_span
    where episodes.age_anchor_month is not null
),

in_rows as (
    select
        {{ side }}person_number,
        age_anchor_month,
        lab_group_code,
        'alle' as sub_group,
        episode_start_date,
        first_month_index,
        last_month_index
    from spell_months
    where first_month_index <= last_month_index
    union all
    select
        {{ side }}person_number,
        age_anchor_month,
        lab_group_code,
        sub_group,
        episode_start_date,
        first_month_index,
        last_month_index
    from spell_months
    where first_month_index <= last_month_index
        and sub_group is not null
    union all
    select
        {{ side }}person_number,
        age_anchor_month,
        'ALL' as lab_group_code,
        'alle' as sub_group,
        episode_start_date,
        first_month_index,
        last_month_index
    from spell_months
    where first_month_index <= last_month_index
),

-- the latest last month of the citizen's earlier spells in the row: a spell keeps only
-- the month-ends after it (earlier spells start no later, so they cover every
-- month-end from this spell's first month to that latest last month); counting by
-- difference, the citizen's spells of one side only
ordered as (
    select
        *,
        max(last_month_index) over (
            partition by {{ side }}person_number, lab_group_code, sub_group
            order by first_month_index, last_month_index
            rows between unbounded preceding and 1 preceding
        ) as previous_last_month_index
    from in_rows
),

own_months as (
    select
        {{ side }}age_anchor_month,
        lab_group_code,
        sub_group,
        episode_start_date,
        last_month_index,
        greatest(
            first_month_index, coalesce(previous_last_month_index + 1, first_month_index)
        ) as first_month_index
    from ordered
    where previous_last_month_index is null
        or previous_last_month_index < last_month_index
),

-- the ranges cut to the age scope, then counted per row, episode start and months: the
-- citizens' identities and ages are not needed further, and many ranges are alike
scoped_ranges as (
    select
        {{ side }}lab_group_code,
        sub_group,
        episode_start_date,
        greatest(
            first_month_index,
            {{ first_month_at_age('age_anchor_month', var('target_group_min_age')) }}
        ) as first_month_index,
        least(
            last_month_index,
            {{ last_month_at_age('age_anchor_month', var('target_group_max_age')) }}
        ) as last_month_index
    from own_months
),

-- each range weighs its side (counting by difference: the citizens now less those as
-- counted, so that a changed citizen's unchanged ranges cancel out)
ranges as (
    select
        lab_group_code,
        sub_group,
        episode_start_date,
        first_month_index,
        last_month_index,
        sum({{ weight }}) as persons
    from scoped_ranges
    where first_month_index <= last_month_index
    group by
        lab_group_code,
        sub_group,
        episode_start_date,
        first_month_index,
        last_month_index
),

{% if by_difference -%}
-- the ranges that change, with their citizens so far (none for a new range); the
-- post-hook deletes a range left with no citizen
final as (
    select
        ranges.lab_group_code,
        ranges.sub_group,
        ranges.episode_start_date,
        cast(ranges.first_month_index as integer) as first_month_index,
        cast(ranges.last_month_index as integer) as last_month_index,
        cast(coalesce(counted_so_far.persons, 0) + ranges.persons as integer) as persons
    from ranges
    left join {{ this }} as counted_so_far
        on ranges.lab_group_code = counted_so_far.lab_group_code
            and ranges.sub_group = counted_so_far.sub_group
            and ranges.episode_start_date = counted_so_far.episode_start_date
            and ranges.first_month_index = counted_so_far.first_month_index
            and ranges.last_month_index = counted_so_far.last_month_index
    where ranges.persons <> 0
)
{%- else -%}
final as (
    select
        lab_group_code,
        sub_group,
        episode_start_date,
        cast(first_month_index as integer) as first_month_index,
        cast(last_month_index as integer) as last_month_index,
        cast(persons as integer) as persons
    from ranges
)
{%- endif %}

select * from final
