{#-
    Usable BIF spells, one per forloeb_id (its latest delivery). A spell without an end
    date runs to the extraction date of its delivery.
-#}

{#- Read by one model only (int_bif__spell_years):
    a view, so the rows are not written twice. -#}
{{ config(materialized='view') }}
with

spells as (
    select * from {{ ref('stg_bif__ydelsesforloeb') }}
    where row_status = 'used'
),

final as (
    select
        spell_id,
        person_key,
        age_anchor_month,
        lab_group_code,
        start_date,
        end_date,
        extraction_date,
        coalesce(end_date, extraction_date) as effective_end_date
    from spells
)

select * from final
