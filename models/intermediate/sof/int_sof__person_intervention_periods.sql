{#-
    Rules 3 and 4 (docs/rules.md#rule-3, docs/rules.md#rule-4) as periods: the days on
    which a citizen has an intervention. An own grant (not a child measure) gives its
    recipient the grant's period (`is_via_child` false). A child measure (§ 52) belongs
    to the child in the raw data; each custody holder gets it for the days on which the
    measure and their custody relation of the child both hold (`is_via_child` true): the
    common period of the two, kept only when it has a day. A relation from the child's
    birth (no start date) precedes every measure. One row per grant and way of having
    it (a measure gives one row per custody relation), with the catalogue's
    classification carried from `int_sof__grants`. `int_sof__person_intervention_years`
    reads the years of these periods; rules 14 and 16 read their days.

    Incremental by citizen on DuckDB, after `int_sof__grants` (macros/citizen_restatement.sql,
    docs/incremental.md): a citizen's periods are their own grants and the measures of
    the children in their custody, and the chain's citizens bring along every custody
    holder of a child whose grants changed; a table on Spark.
-#}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(sof_citizen_sources(), none, ref('int_sof__grants'),
        identity='person_key') }}",
    post_hook="{{ restatement_post_hook(none, ref('int_sof__grants')) }}"
) }}

with

grants as (
    select * from {{ ref('int_sof__grants') }}
),

-- the custody holders restated: a child's measure becomes a period of each of them
relations as (
    select * from {{ ref('int_sof__custody_relations') }}
    where {{ restated_citizens_only('parent_person_key', sof_citizen_sources(), none,
        ref('int_sof__grants'), identity='person_key') }}
),

own_grants as (
    select
        grants.grant_id,
        grants.person_key,
        grants.age_anchor_month,
        grants.intervention_code,
        false as is_via_child,
        grants.support_step,
        grants.deciding_priority,
        grants.is_coordination_relevant,
        grants.child_measure_kind,
        grants.tabel4_column,
        grants.hoi_sel_group,
        grants.start_date,
        grants.effective_end_date
    from grants
    where grants.child_measure_kind is null
        and {{ restated_citizens_only('grants.person_key', sof_citizen_sources(), none,
            ref('int_sof__grants'), identity='person_key') }}
),

child_measure_relations as (
    select
        grants.grant_id,
        relations.parent_person_key as person_key,
        relations.parent_age_anchor_month as age_anchor_month,
        grants.intervention_code,
        true as is_via_child,
        grants.support_step,
        grants.deciding_priority,
        grants.is_coordination_relevant,
        grants.child_measure_kind,
        grants.tabel4_column,
        grants.hoi_sel_group,
        greatest(grants.start_date, coalesce(relations.start_date, grants.start_date))
            as start_date,
        least(grants.effective_end_date, relations.effective_end_date) as effective_end_date
    from grants
    inner join relations
        on grants.person_key = relations.child_person_key
    where grants.child_measure_kind is not null
),

child_measures as (
    -- the common period is a period: it has at least one day
    select * from child_measure_relations
    where start_date <= effective_end_date
),

unioned as (
    select * from own_grants
    union all
    select * from child_measures
),

final as (
    select
        grant_id,
        person_key,
        age_anchor_month,
        intervention_code,
        is_via_child,
        support_step,
        cast(deciding_priority as integer) as deciding_priority,
        is_coordination_relevant,
        child_measure_kind,
        tabel4_column,
        hoi_sel_group,
        start_date,
        effective_end_date
    from unioned
)

select * from final
