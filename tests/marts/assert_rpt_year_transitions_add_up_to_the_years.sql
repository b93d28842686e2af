{#-
    Rule 15 (docs/rules.md#rule-15): the transition matrix accounts for every citizen of
    both years. For each year pair, the citizens leaving a BIF-active state of Y (every
    `from_state` but `not_bif_active`) are the BIF-active citizens of Y
    (`int_bif__person_years`), those in a fællesborger state are the fællesborgere of Y
    (`fct_faellesborger`), and the same holds for the `to_state`s and Y+1. Fails for
    every year pair and side where they differ.
-#}
with

transitions as (
    select * from {{ ref('rpt_year_transitions') }}
),

person_years as (
    select * from {{ ref('int_bif__person_years') }}
    where is_bif_active
),

faellesborger as (
    select * from {{ ref('fct_faellesborger') }}
),

sides as (
    select
        from_year,
        'from' as side,
        from_year as year,
        sum(case when from_state_kind != 'not_bif_active' then citizens else 0 end) as bif_active,
        sum(case when from_state_kind = 'faellesborger' then citizens else 0 end) as faellesborgere
    from transitions
    group by from_year
    union all
    select
        from_year,
        'to' as side,
        to_year as year,
        sum(case when to_state_kind != 'not_bif_active' then citizens else 0 end) as bif_active,
        sum(case when to_state_kind = 'faellesborger' then citizens else 0 end) as faellesborgere
    from transitions
    group by from_year, to_year
),

bif_active_of_year as (
    select
        year,
        count(*) as bif_active
    from person_years
    group by year
),

faellesborgere_of_year as (
    select
        year,
        count(*) as faellesborgere
    from faellesborger
    group by year
),

final as (
    select
        sides.from_year,
        sides.side,
        sides.year,
        sides.bif_active,
        sides.faellesborgere,
        coalesce(bif_active_of_year.bif_active, 0) as expected_bif_active,
        coalesce(faellesborgere_of_year.faellesborgere, 0) as expected_faellesborgere
    from sides
    left join bif_active_of_year
        on sides.year = bif_active_of_year.year
    left join faellesborgere_of_year
        on sides.year = faellesborgere_of_year.year
)

select * from final
where bif_active != expected_bif_active
    or faellesborgere != expected_faellesborgere
