{{ config(tags=['published_figures']) }}
{#-
    Tabel 3 of the report year, as computed from the delivery, equals the published
    Tabel 3 in every row: population, fællesborgere and share, exactly (whatever the
    tolerance of the figure). The published numbers are the Tabel 3 figures of seed
    `published_figures` (metrics `tabel3_*`, dimension 1 the LAB group or the total row's
    label), the same the reconciliation reads. Fails on any difference, on a published
    row the warehouse does not produce, on a published row that lacks one of the three
    figures and on a published row with more fællesborgere than population.
    Only meaningful on the shipped calibration delivery: exclude the tag for others.
-#}
with

published_figures as (
    select * from {{ ref('published_figures') }}
    where metric in ('tabel3_population', 'tabel3_faellesborgere', 'tabel3_share_pct')
),

computed as (
    select * from {{ ref('rpt_tabel3') }}
    where year = {{ var('report_year') }}
),

published as (
    select
        period,
        dimension_1,
        max(case when metric = 'tabel3_population' then published_value end) as population,
        max(case when metric = 'tabel3_faellesborgere' then published_value end)
            as faellesborgere,
        max(case when metric = 'tabel3_share_pct' then published_value end) as share_pct
    from published_figures
    group by period, dimension_1
),

compared as (
    select
        published.period,
        published.dimension_1,
        computed.row_label,
        published.population as published_population,
        computed.population as computed_population,
        published.faellesborgere as published_faellesborgere,
        computed.faellesborgere as computed_faellesborgere,
        published.share_pct as published_share_pct,
        computed.share_pct as computed_share_pct
    from published
    left join computed
        on published.period = cast(computed.year as {{ dbt.type_string() }})
            and published.dimension_1 = coalesce(computed.lab_group_code, computed.row_label)
)

select * from compared
where not coalesce(computed_population = published_population, false)
    or not coalesce(computed_faellesborgere = published_faellesborgere, false)
    or not coalesce(computed_share_pct = published_share_pct, false)
    or published_faellesborgere > published_population
