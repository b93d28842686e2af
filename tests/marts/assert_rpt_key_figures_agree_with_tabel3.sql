{#-
    The key figures and Tabel 3 agree (rules 1 and 5, docs/rules.md#rule-1): a year's
    `bif_active_citizens` in `rpt_key_figures` are Tabel 3's unique population
    (Hovedtotal of `rpt_tabel3`) and its `faellesborgere` Tabel 3's unique
    fællesborgere. Fails for every year where either differs.
-#}
with

key_figures as (
    select * from {{ ref('rpt_key_figures') }}
),

tabel3 as (
    select * from {{ ref('rpt_tabel3') }}
),

grand_total as (
    select
        year,
        population_unique_citizens,
        faellesborgere_unique_citizens
    from tabel3
    where row_kind = 'total' and main_group_code is null
),

final as (
    select
        key_figures.year,
        key_figures.bif_active_citizens,
        key_figures.faellesborgere,
        grand_total.population_unique_citizens,
        grand_total.faellesborgere_unique_citizens
    from key_figures
    left join grand_total
        on key_figures.year = grand_total.year
)

select * from final
where bif_active_citizens != population_unique_citizens
    or faellesborgere != faellesborgere_unique_citizens
