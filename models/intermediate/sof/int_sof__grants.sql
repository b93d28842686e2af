{#-
    Usable SOF grants, one per bevilling_id (its latest delivery), with the catalogue's
    classification of their intervention (seed `sof_interventions`, joined here once and
    carried on by every reader). A grant without an end date runs to the extraction date
    of its delivery (macro `effective_end_date`; rule 3 (docs/rules.md#rule-3)).

    Incremental by citizen on DuckDB, the first model of the SOF chain
    (macros/citizen_restatement.sql, docs/incremental.md): a build after a monthly
    delivery restates the citizens of the grants and custody relations that the new
    files name, and every custody holder of a child among them (`sof_citizen_sources`);
    a table on Spark.
-#}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(sof_citizen_sources(searchable=true), none,
        identity='person_key') }}",
    post_hook="{{ restatement_post_hook(sof_citizen_sources(searchable=true)) }}"
) }}

with

grants as (
    select * from {{ ref('stg_sof__bevillinger') }}
    where row_status = 'used'
        and {{ restated_citizens_only('person_key', sof_citizen_sources(searchable=true), none,
            identity='person_key') }}
),

interventions as (
    select * from {{ ref('sof_interventions') }}
),

final as (
    select
        grants.grant_id,
        grants.person_key,
        grants.age_anchor_month,
        grants.intervention_code,
        interventions.support_step,
        interventions.deciding_priority,
        interventions.is_coordination_relevant,
        interventions.child_measure_kind,
        interventions.tabel4_column,
        interventions.hoi_sel_group,
        grants.start_date,
        grants.end_date,
        {{ effective_end_date('grants.end_date', 'grants.extraction_date') }}
            as effective_end_date
    from grants
    inner join interventions
        on grants.intervention_code = interventions.intervention_code
)

select * from final
