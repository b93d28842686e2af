{#-
    Plausibility of a delivery (rule 7, docs/rules.md#rule-7): fewer than the share
    `max_share_on_one_step` (default 0.9; the report: 48 / 14 / 36 / 2 pct.) of a
    year's fællesborgere with a step are on one step of the staircase. Fails for every
    year and step at or above it: a delivery with nearly everyone on one step is suspect.
    Judged only in years with at least `plausibility_min_faellesborgere` (default 50)
    such fællesborgere: a handful of citizens (a small test delivery) says nothing about
    the delivery.
-#}
with

fct as (
    select * from {{ ref('fct_faellesborger') }}
),

steps as (
    select
        year,
        support_step,
        count(*) as faellesborgere
    from fct
    where support_step is not null
    group by year, support_step
),

final as (
    select
        year,
        support_step,
        faellesborgere,
        sum(faellesborgere) over (partition by year) as faellesborgere_of_year,
        cast(faellesborgere as double)
        / sum(faellesborgere) over (partition by year) as share_of_year
    from steps
)

select * from final
where faellesborgere_of_year >= {{ var('plausibility_min_faellesborgere') }}
    and share_of_year >= {{ var('max_share_on_one_step') }}
