{#-
    Plausibility of a delivery (rule 8, docs/rules.md#rule-8): fewer than the share
    `max_share_in_one_main_group` (default 0.9; the report: kanten 74 pct., the
    largest) of a year's fællesborgere are placed in one main group. Fails for every
    year and main group at or above it.
    Judged only in years with at least `plausibility_min_faellesborgere` (default 50)
    such fællesborgere: a handful of citizens (a small test delivery) says nothing about
    the delivery.
-#}
with

fct as (
    select * from {{ ref('fct_faellesborger') }}
),

main_groups as (
    select
        year,
        main_group_code,
        count(*) as faellesborgere
    from fct
    group by year, main_group_code
),

final as (
    select
        year,
        main_group_code,
        faellesborgere,
        sum(faellesborgere) over (partition by year) as faellesborgere_of_year,
        cast(faellesborgere as double)
        / sum(faellesborgere) over (partition by year) as share_of_year
    from main_groups
)

select * from final
where faellesborgere_of_year >= {{ var('plausibility_min_faellesborgere') }}
    and share_of_year >= {{ var('max_share_in_one_main_group') }}
