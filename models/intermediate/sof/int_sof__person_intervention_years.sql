{#-
    Rules 3 and 4: the SOF interventions a citizen has in a year. A grant counts in a
    year when it has at least one day in it. A child measure (§ 52) belongs to the child
    in the raw data; each custody holder whose relation overlaps the measure within the
    year gets it as a børnesag (`is_via_child`). One row per year, citizen, intervention
    and way of having it, with the citizen's age anchor month (for ages).
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
        false as is_via_child
    from grants
    inner join years
        on grants.start_date <= years.year_end
            and grants.effective_end_date >= years.year_start
    where grants.child_measure_kind is null
),

child_measures as (
    select
        years.year,
        relations.parent_person_key as person_key,
        relations.parent_age_anchor_month as age_anchor_month,
        grants.intervention_code,
        true as is_via_child
    from grants
    inner join relations
        on grants.person_key = relations.child_person_key
    inner join years
        -- a relation from the child's birth (no start date) precedes every measure
        on greatest(
                grants.start_date,
                coalesce(relations.start_date, grants.start_date),
                years.year_start
            )
            <= least(grants.effective_end_date, relations.effective_end_date, years.year_end)
    where grants.child_measure_kind is not null
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
        is_via_child
    from unioned
)

select * from final
