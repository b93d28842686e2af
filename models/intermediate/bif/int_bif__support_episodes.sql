{#-
    Rule 13 (docs/rules.md#rule-13), episodes of public support ("forløb på alle
    ydelser"): all of a citizen's usable BIF spells, of every group and benefit and of
    every year the extract reaches (history included), form episodes. A change of group
    or benefit does not start a new episode; an episode ends only when
    `episode_break_whole_months` (1) whole calendar months, first to last day, pass
    without a spell day.

    Spells are taken in order of their start; a spell starts a new episode when no
    earlier spell of the citizen reaches into the whole months before it: the latest
    end of the earlier spells lies at least `episode_break_whole_months` + 1 months
    before the spell's start month (an end on 31 January and a start on 1 March leave
    February empty: a new episode; an end on 10 January and a start on 25 February
    leave no whole month empty: the same episode). Month indexes (year * 12 + month)
    make that one subtraction on both engines. One row per spell, with its episode; the
    citizen's windows partition on `person_number` (int_bif__spells).

    Incremental by citizen on DuckDB, after `int_bif__spells` (macros/citizen_restatement.sql,
    docs/incremental.md); the rows it replaces are kept for
    `int_bif__benefit_duration_ranges`, which counts the difference
    (macros/replaced_rows.sql); a table on Spark.
-#}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(ref('stg_bif__ydelsesforloeb'), ['spell_id'],
        ref('int_bif__spells'), ['episode_break_whole_months'], keep_replaced=true) }}",
    post_hook="{{ restatement_post_hook(ref('stg_bif__ydelsesforloeb'),
        ref('int_bif__spells'), ['episode_break_whole_months']) }}"
) }}

with

spells as (
    select * from {{ ref('int_bif__spells') }}
    where {{ restated_citizens_only(
        'person_number', ref('stg_bif__ydelsesforloeb'), ['spell_id'],
        ref('int_bif__spells'), ['episode_break_whole_months']
    ) }}
),

ordered as (
    select
        spell_id,
        person_number,
        age_anchor_month,
        lab_group_code,
        sub_group,
        start_date,
        effective_end_date,
        max(effective_end_date) over (
            partition by person_number
            order by start_date, effective_end_date, spell_id
            rows between unbounded preceding and 1 preceding
        ) as previous_end_date
    from spells
),

flagged as (
    select
        *,
        case
            when previous_end_date is null then 1
            when {{ month_index(
                    'extract(year from start_date)', 'extract(month from start_date)'
                ) }}
                - {{ month_index(
                    'extract(year from previous_end_date)', 'extract(month from previous_end_date)'
                ) }}
                > {{ var('episode_break_whole_months') }}
                then 1
            else 0
        end as starts_episode
    from ordered
),

-- one more pass over the same window: the episode's number and start (the start of its
-- first spell, the latest start of an episode so far), the end of the episode (the
-- latest end before the next episode's first spell, or the citizen's latest end when no
-- episode follows)
numbered as (
    select
        *,
        sum(starts_episode) over (
            partition by person_number
            order by start_date, effective_end_date, spell_id
            rows between unbounded preceding and current row
        ) as episode_number,
        max(case when starts_episode = 1 then start_date end) over (
            partition by person_number
            order by start_date, effective_end_date, spell_id
            rows between unbounded preceding and current row
        ) as episode_start_date,
        min(case when starts_episode = 1 then previous_end_date end) over (
            partition by person_number
            order by start_date, effective_end_date, spell_id
            rows between 1 following and unbounded following
        ) as next_episode_previous_end_date,
        max(effective_end_date) over (partition by person_number) as last_end_date
    from flagged
),

final as (
    select
        spell_id,
        person_number,
        age_anchor_month,
        lab_group_code,
        sub_group,
        start_date,
        effective_end_date,
        cast(episode_number as integer) as episode_number,
        episode_start_date,
        coalesce(next_episode_previous_end_date, last_end_date) as episode_end_date
    from numbered
)

select * from final
