{#-
    Every citizen of the used rows of the extracts (BIF spells, SOF grants, both sides of
    a custody relation, the person register), with what staging derived from the CPR
    number for ages: birth year and age anchor month. One row per person_key; no CPR
    number and no birth date.
-#}
with

spells as (
    select * from {{ ref('stg_bif__ydelsesforloeb') }}
    where row_status = 'used'
),

grants as (
    select * from {{ ref('stg_sof__bevillinger') }}
    where row_status = 'used'
),

relations as (
    select * from {{ ref('stg_sof__foraeldremyndighed') }}
    where row_status = 'used'
),

register as (
    select * from {{ ref('stg_cpr__personer') }}
    where row_status = 'used'
),

unioned as (
    select
        person_key,
        birth_year,
        age_anchor_month
    from spells
    union
    select
        person_key,
        birth_year,
        age_anchor_month
    from grants
    union
    select
        child_person_key,
        child_birth_year,
        child_age_anchor_month
    from relations
    union
    select
        parent_person_key,
        parent_birth_year,
        parent_age_anchor_month
    from relations
    union
    select
        person_key,
        birth_year,
        age_anchor_month
    from register
),

final as (
    select
        person_key,
        cast(birth_year as integer) as birth_year,
        cast(age_anchor_month as integer) as age_anchor_month
    from unioned
)

select * from final
