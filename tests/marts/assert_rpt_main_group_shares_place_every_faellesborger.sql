{#-
    Rule 8 (docs/rules.md#rule-8): every fællesborger is placed in exactly one main
    group, so a year's `faellesborgere_placed` in `rpt_main_group_shares` add up to the
    year's rows of `fct_faellesborger`. Fails for every year where they differ.
-#}
with

shares as (
    select * from {{ ref('rpt_main_group_shares') }}
),

fct as (
    select * from {{ ref('fct_faellesborger') }}
),

shares_of_year as (
    select
        year,
        sum(faellesborgere_placed) as placed_sum
    from shares
    group by year
),

fct_of_year as (
    select
        year,
        count(*) as faellesborgere
    from fct
    group by year
),

final as (
    select
        shares_of_year.year,
        shares_of_year.placed_sum,
        coalesce(fct_of_year.faellesborgere, 0) as fct_faellesborgere
    from shares_of_year
    left join fct_of_year
        on shares_of_year.year = fct_of_year.year
)

select * from final
where placed_sum != fct_faellesborgere
