{#-
    Figur 2 (rule 7, docs/rules.md#rule-7): a year's steps in `rpt_support_steps` add up
    to the fællesborgere with a step in `fct_faellesborger`. Fails for every year where
    they differ.
-#}
with

steps as (
    select * from {{ ref('rpt_support_steps') }}
),

fct as (
    select * from {{ ref('fct_faellesborger') }}
),

steps_of_year as (
    select
        year,
        sum(faellesborgere) as faellesborgere
    from steps
    group by year
),

fct_of_year as (
    select
        year,
        count(support_step) as with_step
    from fct
    group by year
),

final as (
    select
        steps_of_year.year,
        steps_of_year.faellesborgere,
        coalesce(fct_of_year.with_step, 0) as fct_with_step
    from steps_of_year
    left join fct_of_year
        on steps_of_year.year = fct_of_year.year
)

select * from final
where faellesborgere != fct_with_step
