{#-
    Usable custody relations (forældremyndighed), one per child, holder and start date.
    A relation without an end date holds until the extraction date of its delivery
    (macro `effective_end_date`; rule 4 (docs/rules.md#rule-4)).
-#}

{#- Read by one model only (int_sof__person_intervention_years):
    a view, so the rows are not written twice. -#}
{{ config(materialized='view') }}
with

relations as (
    select * from {{ ref('stg_sof__foraeldremyndighed') }}
    where row_status = 'used'
),

final as (
    select
        child_person_key,
        parent_person_key,
        parent_age_anchor_month,
        start_date,
        starts_at_birth,
        end_date,
        {{ effective_end_date('end_date', 'extraction_date') }} as effective_end_date
    from relations
)

select * from final
