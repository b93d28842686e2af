{#-
    Usable SOF grants, one per bevilling_id (its latest delivery), with the catalogue's
    classification of their intervention (seed `sof_interventions`, joined here once and
    carried on by every reader). A grant without an end date runs to the extraction date
    of its delivery (macro `effective_end_date`; rule 3 (docs/rules.md#rule-3)).
-#}
with

grants as (
    select * from {{ ref('stg_sof__bevillinger') }}
    where row_status = 'used'
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
