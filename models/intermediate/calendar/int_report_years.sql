{#-
    The years the reports cover: from the year of the earliest BIF spell start to the
    year of the latest extraction date, keeping a year only when the delivery covers at
    least its first `bif_min_active_months` months (a year can then have BIF-active
    citizens). `is_complete_year` says whether the delivery covers the whole year (the
    latest extraction date is on or after its last day): the one home of the
    completeness rule, with `latest_extraction_date` beside it, from which
    `int_report_months` and `int_report_periods` flag their months and periods.
    Both bounds come from used rows only: staging quarantines a start before
    `earliest_plausible_date` (or before birth), a start after its own extraction date
    and an extraction date in the future of the build, so no such row can move the
    years. The years are counted back from the last one: were the span ever longer than
    the series (200 years), the oldest years would be cut, never the recent ones.

    History is not a report year: the BIF extract also carries its citizens' earlier
    spells (back to at least six years before its latest extraction date, for the
    durations of rule 13 (docs/rules.md#rule-13)), so the earliest spell start says
    nothing about which years the delivery reports on. Of the years kept above, only the
    last `report_window_years` (3: the calibration delivery reports on 2019-2021) are
    report years; earlier years that spells reach are history, read by rule 13 only.
-#}
with

spells as (
    select * from {{ ref('stg_bif__ydelsesforloeb') }}
    where row_status = 'used'
),

bounds as (
    select
        cast(min(extract(year from start_date)) as integer) as first_year,
        cast(max(extract(year from extraction_date)) as integer) as last_year,
        max(extraction_date) as latest_extraction_date
    from spells
),

numbers as (
    {{ dbt.generate_series(200) }}
),

years as (
    select
        bounds.latest_extraction_date,
        -- dbt's generate_series yields doubles on some engines (Spark): a whole year here
        cast(bounds.last_year - numbers.generated_number + 1 as integer) as year
    from bounds
    cross join numbers
    where bounds.last_year - numbers.generated_number + 1 >= bounds.first_year
),

dated as (
    select
        cast(year as integer) as year,
        cast(cast(year as {{ dbt.type_string() }}) || '-01-01' as date) as year_start,
        cast(cast(year as {{ dbt.type_string() }}) || '-12-31' as date) as year_end,
        latest_extraction_date
    from years
),

covered as (
    select
        year,
        year_start,
        year_end,
        latest_extraction_date,
        max(year) over () as last_covered_year
    from dated
    where latest_extraction_date
        >= {{ dbt.dateadd('month', var('bif_min_active_months'), 'year_start') }}
),

final as (
    select
        year,
        year_start,
        year_end,
        latest_extraction_date,
        latest_extraction_date >= year_end as is_complete_year
    from covered
    where year > last_covered_year - {{ var('report_window_years') }}
)

select * from final
