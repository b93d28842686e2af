{{ config(tags=['published_figures']) }}
{#-
    Tabel 3 of the report year, as computed from the delivery, equals the published
    Tabel 3 (seed `published_tabel3`) in every row: population, fællesborgere and share.
    Fails on any difference, and on a published row the warehouse does not produce.
    Only meaningful on the shipped calibration delivery: exclude the tag for others.
-#}
with

published as (
    select * from {{ ref('published_tabel3') }}
),

computed as (
    select * from {{ ref('rpt_tabel3') }}
    where year = {{ var('report_year') }}
),

compared as (
    select
        published.year,
        published.sort_order,
        published.row_label,
        published.population as published_population,
        computed.population as computed_population,
        published.faellesborgere as published_faellesborgere,
        computed.faellesborgere as computed_faellesborgere,
        published.share_pct as published_share_pct,
        computed.share_pct as computed_share_pct
    from published
    left join computed
        on published.year = computed.year
            and published.sort_order = computed.sort_order
            and published.row_label = computed.row_label
)

select * from compared
where computed_population is null
    or computed_population != published_population
    or computed_faellesborgere != published_faellesborgere
    or computed_share_pct != published_share_pct
