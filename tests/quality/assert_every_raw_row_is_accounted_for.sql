{#-
    Every raw row is accounted for: per extract and file, the rows that staging marked
    used, merged and quarantined add up to the number of data rows in the raw file,
    counted here straight from the CSV files (the `raw_source` macro reads them again,
    independently of the staging tables), and the quarantined rows by reason add up to
    the quarantined rows. Returns one row per file where anything differs, including a
    file that is in the raw folder but not in the accounting, or the other way round.
-#}
with

bif_raw_rows as (
    select * from {{ raw_source('bif_ydelsesforloeb') }} as raw_rows
),

sof_grant_raw_rows as (
    select * from {{ raw_source('sof_bevillinger') }} as raw_rows
),

custody_raw_rows as (
    select * from {{ raw_source('sof_foraeldremyndighed') }} as raw_rows
),

person_raw_rows as (
    select * from {{ raw_source('cpr_personer') }} as raw_rows
),

row_accounting as (
    select * from {{ ref('rpt_row_accounting') }}
),

quarantine_reasons as (
    select * from {{ ref('rpt_quarantine_reasons') }}
),

raw_rows as (
    select
        'bif_ydelsesforloeb' as extract_name,
        source_file
    from bif_raw_rows
    union all
    select
        'sof_bevillinger' as extract_name,
        source_file
    from sof_grant_raw_rows
    union all
    select
        'sof_foraeldremyndighed' as extract_name,
        source_file
    from custody_raw_rows
    union all
    select
        'cpr_personer' as extract_name,
        source_file
    from person_raw_rows
),

raw_files as (
    select
        extract_name,
        source_file,
        count(*) as raw_file_rows
    from raw_rows
    group by extract_name, source_file
),

reason_totals as (
    select
        extract_name,
        source_file,
        sum(rows_quarantined) as rows_quarantined_by_reason
    from quarantine_reasons
    group by extract_name, source_file
),

files as (
    select
        extract_name,
        source_file
    from raw_files
    union
    select
        extract_name,
        source_file
    from row_accounting
),

compared as (
    select
        files.extract_name,
        files.source_file,
        raw_files.raw_file_rows,
        row_accounting.raw_rows,
        row_accounting.rows_used,
        row_accounting.rows_merged,
        row_accounting.rows_quarantined,
        coalesce(reason_totals.rows_quarantined_by_reason, 0) as rows_quarantined_by_reason
    from files
    left join raw_files
        on files.extract_name = raw_files.extract_name
            and files.source_file = raw_files.source_file
    left join row_accounting
        on files.extract_name = row_accounting.extract_name
            and files.source_file = row_accounting.source_file
    left join reason_totals
        on files.extract_name = reason_totals.extract_name
            and files.source_file = reason_totals.source_file
),

final as (
    select * from compared
    where
        raw_file_rows is null
        or raw_rows is null
        or raw_rows != raw_file_rows
        or rows_used + rows_merged + rows_quarantined != raw_file_rows
        or rows_quarantined_by_reason != rows_quarantined
)

select * from final
