{#-
    Every raw line is accounted for, by counts that do not go through the CSV reader:
    per file that the reader read, the physical lines counted from the file's bytes
    (`rpt_raw_files`, listed by the raw intake) are the header, the empty lines and the
    staged rows, and the staged rows split into used, merged and quarantined, whose
    reasons add up. Returns one row per file where anything differs, including staged
    rows of a file that the listing does not show as read.
-#}
with

row_accounting as (
    select * from {{ ref('rpt_row_accounting') }}
),

quarantine_reasons as (
    select * from {{ ref('rpt_quarantine_reasons') }}
),

reason_totals as (
    select
        extract_name,
        source_file,
        sum(rows_quarantined) as rows_quarantined_by_reason
    from quarantine_reasons
    group by extract_name, source_file
),

compared as (
    select
        row_accounting.extract_name,
        row_accounting.source_file,
        row_accounting.file_status,
        row_accounting.physical_lines,
        row_accounting.empty_lines,
        row_accounting.raw_rows,
        row_accounting.rows_used,
        row_accounting.rows_merged,
        row_accounting.rows_quarantined,
        coalesce(reason_totals.rows_quarantined_by_reason, 0) as rows_quarantined_by_reason
    from row_accounting
    left join reason_totals
        on row_accounting.extract_name = reason_totals.extract_name
            and row_accounting.source_file = reason_totals.source_file
),

final as (
    select * from compared
    where
        (
            file_status = 'read'
            and (
                physical_lines is null
                or raw_rows is null
                or physical_lines != 1 + empty_lines + raw_rows
                or rows_used + rows_merged + rows_quarantined != raw_rows
                or rows_quarantined_by_reason != rows_quarantined
            )
        )
        or (coalesce(file_status, '') != 'read' and coalesce(raw_rows, 0) > 0)
)

select * from final
