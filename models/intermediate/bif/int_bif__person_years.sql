{#-
    Rule 1: per citizen and year, the number of distinct calendar months with at least
    one BIF spell day (any LAB group), and whether that makes the citizen BIF-active
    (at least `bif_min_active_months`, 2 in the report: "minimum 2 måneder").
-#}
with

spell_months as (
    select * from {{ ref('int_bif__spell_months') }}
),

counted as (
    select
        person_key,
        year,
        count(distinct month_start) as active_months
    from spell_months
    group by person_key, year
),

final as (
    select
        year,
        person_key,
        cast(active_months as integer) as active_months,
        active_months >= {{ var('bif_min_active_months') }} as is_bif_active
    from counted
)

select * from final
