{#-
    Rule 2 (docs/rules.md#rule-2): a BIF-active citizen belongs, in a year, to every LAB
    group in which they have at least one spell day that year. One row per year, citizen
    and group.
-#}
with

spell_years as (
    select * from {{ ref('int_bif__spell_years') }}
),

person_years as (
    select * from {{ ref('int_bif__person_years') }}
    where is_bif_active
),

memberships as (
    select distinct
        spell_years.year,
        spell_years.person_key,
        spell_years.lab_group_code
    from spell_years
    inner join person_years
        on spell_years.person_key = person_years.person_key
            and spell_years.year = person_years.year
),

final as (
    select
        year,
        person_key,
        lab_group_code
    from memberships
)

select * from final
