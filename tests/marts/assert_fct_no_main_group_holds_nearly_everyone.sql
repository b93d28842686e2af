{#-
    Plausibility of a delivery (rule 8, docs/rules.md#rule-8): fewer than the share
    `max_share_in_one_main_group` (default 0.9; the report: kanten 74 pct., the
    largest) of a year's fællesborgere are placed in one main group. Fails for every
    year and main group at or above it.
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
        cast(faellesborgere as double)
        / sum(faellesborgere) over (partition by year) as share_of_year
    from main_groups
)

select * from final
where share_of_year >= {{ var('max_share_in_one_main_group', 0.9) }}
