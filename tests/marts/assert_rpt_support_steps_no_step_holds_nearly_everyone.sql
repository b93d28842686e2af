{#-
    Figur 2 plausibility (rule 7, docs/rules.md#rule-7): fewer than the share
    `max_share_on_one_step` (default 0.9) of a year's fællesborgere with a step are on
    one step. Fails for every year and step of `rpt_support_steps` at or above it.
    Judged only in years with at least `plausibility_min_faellesborgere` (default 50)
    such fællesborgere: a handful of citizens (a small test delivery) says nothing about
    the delivery.
-#}
with

steps as (
    select * from {{ ref('rpt_support_steps') }}
),

final as (
    select
        year,
        support_step,
        faellesborgere,
        sum(faellesborgere) over (partition by year) as faellesborgere_of_year,
        cast(faellesborgere as double)
        / nullif(sum(faellesborgere) over (partition by year), 0) as share_of_year
    from steps
)

select * from final
where faellesborgere_of_year >= {{ var('plausibility_min_faellesborgere') }}
    and share_of_year >= {{ var('max_share_on_one_step') }}
