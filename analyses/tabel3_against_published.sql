-- Tabel 3 of the report year next to the published table, with the differences.
-- Compile with `dbt compile --select tabel3_against_published` and run the SQL in
-- target/compiled/ against a warehouse built from another delivery (e.g. a real one)
-- to see how far it is from the report.
with

published as (
    select * from {{ ref('published_tabel3') }}
),

computed as (
    select * from {{ ref('rpt_tabel3') }}
    where year = {{ var('report_year') }}
),

final as (
    select
        published.sort_order,
        published.row_label,
        published.population as published_population,
        computed.population as computed_population,
        published.faellesborgere as published_faellesborgere,
        computed.faellesborgere as computed_faellesborgere,
        published.share_pct as published_share_pct,
        computed.share_pct as computed_share_pct,
        computed.population - published.population as population_difference,
        computed.faellesborgere - published.faellesborgere as faellesborgere_difference
    from published
    left join computed
        on published.sort_order = computed.sort_order
)

select * from final
order by sort_order
