{{ config(severity='warn', warn_if='> 0') }}
{#-
    Warns about every extract whose quarantined rows are more than the share
    `quarantine_warn_share` (dbt_project.yml) of its raw rows, over all its files.
    Quarantined rows never stop the build; many of them point at a broken delivery.
-#}
with

row_accounting as (
    select * from {{ ref('rpt_row_accounting') }}
),

extracts as (
    select
        extract_name,
        sum(raw_rows) as raw_rows,
        sum(rows_quarantined) as rows_quarantined
    from row_accounting
    group by extract_name
),

final as (
    select
        extract_name,
        raw_rows,
        rows_quarantined,
        -- an extract of header-only files has no rows (DuckDB: 0.0 / 0 is NaN, above any share)
        cast(rows_quarantined as double) / nullif(raw_rows, 0) as quarantine_share,
        {{ var('quarantine_warn_share') }} as quarantine_warn_share
    from extracts
    where extract_name is not null
)

select * from final
where quarantine_share > {{ var('quarantine_warn_share') }}
