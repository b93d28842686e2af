{#-
    Rules 3 and 4 (docs/rules.md#rule-3, docs/rules.md#rule-4): the SOF interventions a
    citizen has in a year. A grant counts in a year when it has at least one day in it
    (macro `periods_overlap`). A child measure (§ 52) belongs to the child in the raw
    data; each custody holder whose relation overlaps the measure within the year gets it
    as a børnesag (`is_via_child`). One row per year, citizen, intervention and way of
    having it, with the citizen's age anchor month (for ages) and the catalogue's
    classification of the intervention (from `int_sof__grants`).
-#}
with

grants as (
    select * from {{ ref('int_sof__grants') }}
),

relations as (
    select * from {{ ref('int_sof__custody_relations') }}
),

years as (
    select * from {{ ref('int_report_years') }}
),

own_grants as (
    select
        years.year,
        grants.person_key,
        grants.age_anchor_month,
        grants.intervention_code,
        false as is_via_child,
        grants.support_step,
        grants.is_coordination_relevant,
        grants.child_measure_kind,
        grants.tabel4_column
    from grants
    inner join years
        on {{ periods_overlap(
            'grants.start_date', 'grants.effective_end_date', 'years.year_start', 'years.year_end'
        ) }}
    where grants.child_measure_kind is null
),

child_measure_relations as (
    -- a measure and a custody relation of its child that share a day: their common
    -- period; a relation from the child's birth (no start date) precedes every measure
    select
        grants.intervention_code,
        grants.support_step,
        grants.is_coordination_relevant,
        grants.child_measure_kind,
        grants.tabel4_column,
        relations.parent_person_key,
        relations.parent_age_anchor_month,
        greatest(grants.start_date, coalesce(relations.start_date, grants.start_date))
            as common_start_date,
        least(grants.effective_end_date, relations.effective_end_date) as common_end_date
    from grants
    inner join relations
        on grants.person_key = relations.child_person_key
    where grants.child_measure_kind is not null
),

child_measures as (
    select
        years.year,
        child_measure_relations.parent_person_key as person_key,
        child_measure_relations.parent_age_anchor_month as age_anchor_month,
        child_measure_relations.intervention_code,
        true as is_via_child,
        child_measure_relations.support_step,
        child_measure_relations.is_coordination_relevant,
        child_measure_relations.child_measure_kind,
        child_measure_relations.tabel4_column
    from child_measure_relations
    inner join years
        -- the common period is a period (not empty) that overlaps the year
        on child_measure_relations.common_start_date <= child_measure_relations.common_end_date
            and {{ periods_overlap(
                'child_measure_relations.common_start_date',
                'child_measure_relations.common_end_date',
                'years.year_start',
                'years.year_end'
            ) }}
),

unioned as (
    select * from own_grants
    union all
    select * from child_measures
),

final as (
    select distinct
        year,
        person_key,
        age_anchor_month,
        intervention_code,
        is_via_child,
        support_step,
        is_coordination_relevant,
        child_measure_kind,
        tabel4_column
    from unioned
)

select * from final
