{#-
    Rules 11 and 12 (docs/rules.md#rule-11, #rule-12), the first step of the
    target-group statistics: each citizen's spells in each count row of Bilag 1a
    (`int_bif__target_group_rows`: the spell's LAB group, its sub-group if it has one,
    its main group's total and the total of every group), clipped to the report periods
    (`int_report_periods`), merged into disjoint islands (gaps and islands), so that a
    day counts once. `int_bif__target_group_period_counts` sums them per period.

    One ordered pass per citizen and row gives each spell the latest end before it: a
    spell that starts after it starts an island, and that latest end is where the
    previous island ended; the last spell of the citizen and row ends the last island at
    the latest end including its own. So islands are never built as rows: their starts
    and ends are. Only the spells that start an island or end the last one are kept.
    A count row is named by its `sort_order` (unique in `int_bif__target_group_rows`),
    an integer: the windows here and the sums after them work on it.

    Incremental by citizen on DuckDB, after `int_bif__spells`
    (macros/citizen_restatement.sql, docs/incremental.md): a citizen's islands depend on
    that citizen's spells only, so a monthly delivery restates the citizens it touches.
    The rows it replaces are kept for the period counts, which count the difference
    (macros/replaced_rows.sql). Every citizen again when the report periods or the
    count rows change; a table on Spark.
-#}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(ref('stg_bif__ydelsesforloeb'), ['spell_id'],
        ref('int_bif__spells'),
        small_inputs=[
            [ref('int_report_periods'), ['period_start', 'period_end']],
            [ref('int_bif__target_group_rows'),
                ['lab_group_code', 'sub_group', 'main_group_code', 'sort_order']]],
        keep_replaced=true) }}",
    post_hook="{{ restatement_post_hook(ref('stg_bif__ydelsesforloeb'),
        ref('int_bif__spells'),
        small_inputs=[
            [ref('int_report_periods'), ['period_start', 'period_end']],
            [ref('int_bif__target_group_rows'),
                ['lab_group_code', 'sub_group', 'main_group_code', 'sort_order']]]) }}"
) }}

with

spells as (
    select * from {{ ref('int_bif__spells') }}
    where {{ restated_citizens_only(
        'person_number', ref('stg_bif__ydelsesforloeb'), ['spell_id'],
        ref('int_bif__spells'),
        small_inputs=[
            [ref('int_report_periods'), ['period_start', 'period_end']],
            [ref('int_bif__target_group_rows'),
                ['lab_group_code', 'sub_group', 'main_group_code', 'sort_order']]]
    ) }}
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

-- the (group, sub-group) pairs a spell can carry ('' for none): each group, each of its
-- sub-groups, with the group's main group
spell_kinds as (
    select
        lab_group_code,
        main_group_code,
        case when row_kind = 'sub_group' then sub_group else '' end as sub_group_key
    from count_rows
    where row_kind in ('group', 'sub_group')
),

-- the count rows of each pair: its group, its sub-group (if any), its main group's total
-- and the grand total. A small table, so that each spell is read once and joined to its
-- rows (one pass, not one per kind of row)
row_map as (
    select
        spell_kinds.lab_group_code,
        spell_kinds.sub_group_key,
        count_rows.sort_order as row_sort_order
    from spell_kinds
    inner join count_rows
        on (
            spell_kinds.lab_group_code = count_rows.lab_group_code
            and count_rows.sub_group in ('alle', spell_kinds.sub_group_key)
        )
        or (
            count_rows.lab_group_code = 'ALL'
            and count_rows.main_group_code in (spell_kinds.main_group_code, 'ALL')
        )
),

clipped as (
    select
        spells.person_number,
        row_map.row_sort_order,
        greatest(spells.start_date, report_span.first_day) as start_date,
        least(spells.effective_end_date, report_span.last_day) as end_date
    from spells
    inner join row_map
        on spells.lab_group_code = row_map.lab_group_code
            and coalesce(spells.sub_group, '') = row_map.sub_group_key
    cross join report_span
    where {{ periods_overlap(
        'spells.start_date', 'spells.effective_end_date',
        'report_span.first_day', 'report_span.last_day'
    ) }}
),

ordered as (
    select
        person_number,
        row_sort_order,
        start_date,
        end_date,
        max(end_date) over (
            partition by person_number, row_sort_order
            order by start_date, end_date
            rows between unbounded preceding and 1 preceding
        ) as previous_end_date,
        lead(start_date) over (
            partition by person_number, row_sort_order
            order by start_date, end_date
        ) as next_start_date
    from clipped
),

bounds as (
    select
        person_number,
        row_sort_order,
        start_date,
        previous_end_date,
        previous_end_date is null or start_date > previous_end_date as starts_island,
        case
            when next_start_date is null
                then greatest(end_date, coalesce(previous_end_date, end_date))
        end as last_island_end_date
    from ordered
),

final as (
    select
        person_number,
        row_sort_order,
        start_date,
        previous_end_date,
        starts_island,
        last_island_end_date
    from bounds
    where starts_island
        or last_island_end_date is not null
)

select * from final
