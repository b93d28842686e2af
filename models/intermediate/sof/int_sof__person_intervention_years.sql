{#-
    Rules 3 and 4 (docs/rules.md#rule-3, docs/rules.md#rule-4): the SOF interventions a
    citizen has in a year. A grant counts in a year when it has at least one day in it
    (macro `periods_overlap`). A child measure (§ 52) belongs to the child in the raw
    data; each custody holder whose relation overlaps the measure within the year gets it
    as a børnesag (`is_via_child`). The periods (own grants, and the common days of a
    measure and a custody relation) come from `int_sof__person_intervention_periods`.
    One row per year, citizen, intervention and way of having it, with the citizen's
    age anchor month (for ages) and the catalogue's classification of the intervention
    (from `int_sof__grants`).

    Incremental by citizen on DuckDB, after `int_sof__person_intervention_periods`
    (macros/citizen_restatement.sql, docs/incremental.md), every citizen again when the
    report years change; a table on Spark.
-#}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(sof_citizen_sources(), none,
        ref('int_sof__person_intervention_periods'),
        small_inputs=[[ref('int_report_years'), ['year', 'year_start', 'year_end']]],
        identity='person_key') }}",
    post_hook="{{ restatement_post_hook(none, ref('int_sof__person_intervention_periods'),
        small_inputs=[[ref('int_report_years'), ['year', 'year_start', 'year_end']]]) }}"
) }}

with

periods as (
    select * from {{ ref('int_sof__person_intervention_periods') }}
    where {{ restated_citizens_only('person_key', sof_citizen_sources(), none,
        ref('int_sof__person_intervention_periods'),
        small_inputs=[[ref('int_report_years'), ['year', 'year_start', 'year_end']]],
        identity='person_key') }}
),

years as (
    select * from {{ ref('int_report_years') }}
),

period_years as (
    select
        years.year,
        periods.person_key,
        periods.age_anchor_month,
        periods.intervention_code,
        periods.is_via_child,
        periods.support_step,
        periods.deciding_priority,
        periods.is_coordination_relevant,
        periods.child_measure_kind,
        periods.tabel4_column
    from periods
    inner join years
        on {{ periods_overlap(
            'periods.start_date', 'periods.effective_end_date', 'years.year_start', 'years.year_end'
        ) }}
),

final as (
    select distinct
        year,
        person_key,
        age_anchor_month,
        intervention_code,
        is_via_child,
        support_step,
        deciding_priority,
        is_coordination_relevant,
        child_measure_kind,
        tabel4_column
    from period_years
)

select * from final
