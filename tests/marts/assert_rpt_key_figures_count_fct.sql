{#-
    The key figures (rules 5 and 4, docs/rules.md#rule-5): a year's `faellesborgere` in
    `rpt_key_figures` are the year's rows of `fct_faellesborger`, and
    `faellesborgere_with_boernesag` those of them with a child's preventive measure or
    placement. Fails for every year where either differs.
-#}
with

key_figures as (
    select * from {{ ref('rpt_key_figures') }}
),

fct as (
    select * from {{ ref('fct_faellesborger') }}
),

fct_of_year as (
    select
        year,
        count(*) as faellesborgere,
        count(case when has_child_preventive or has_child_placed then 1 end)
            as with_boernesag
    from fct
    group by year
),

final as (
    select
        key_figures.year,
        key_figures.faellesborgere,
        key_figures.faellesborgere_with_boernesag,
        coalesce(fct_of_year.faellesborgere, 0) as fct_faellesborgere,
        coalesce(fct_of_year.with_boernesag, 0) as fct_with_boernesag
    from key_figures
    left join fct_of_year
        on key_figures.year = fct_of_year.year
)

select * from final
where faellesborgere != fct_faellesborgere
    or faellesborgere_with_boernesag != fct_with_boernesag
