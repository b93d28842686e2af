{#-
    Row accounting of the raw delivery: one row per entry of the raw folder (read or
    skipped, from `rpt_raw_files`, with its byte-counted lines) and per file that staging
    holds rows of, with the number of rows that staging read from the file and how many
    of them were used, merged (an earlier delivery of an id that a later delivery
    supersedes) or quarantined. The quarantined rows by reason are in
    `rpt_quarantine_reasons`.
-#}
with

raw_files as (
    select * from {{ ref('rpt_raw_files') }}
),

bif_spells as (
    select * from {{ ref('stg_bif__ydelsesforloeb') }}
),

sof_grants as (
    select * from {{ ref('stg_sof__bevillinger') }}
),

custody_relations as (
    select * from {{ ref('stg_sof__foraeldremyndighed') }}
),

persons as (
    select * from {{ ref('stg_cpr__personer') }}
),

staged_rows as (
    select
        'bif_ydelsesforloeb' as extract_name,
        source_file,
        row_status
    from bif_spells
    union all
    select
        'sof_bevillinger' as extract_name,
        source_file,
        row_status
    from sof_grants
    union all
    select
        'sof_foraeldremyndighed' as extract_name,
        source_file,
        row_status
    from custody_relations
    union all
    select
        'cpr_personer' as extract_name,
        source_file,
        row_status
    from persons
),

file_counts as (
    select
        extract_name,
        source_file,
        count(*) as raw_rows,
        sum(case when row_status = 'used' then 1 else 0 end) as rows_used,
        sum(case when row_status = 'merged' then 1 else 0 end) as rows_merged,
        sum(case when row_status = 'quarantined' then 1 else 0 end) as rows_quarantined
    from staged_rows
    group by extract_name, source_file
),

accounted as (
    select
        raw_files.file_status,
        raw_files.skip_reason,
        raw_files.source_encoding,
        raw_files.file_bytes,
        raw_files.physical_lines,
        raw_files.empty_lines,
        raw_files.whitespace_lines,
        coalesce(raw_files.extract_name, file_counts.extract_name) as extract_name,
        coalesce(raw_files.file_name, file_counts.source_file) as source_file,
        case
            when raw_files.file_status = 'read' then coalesce(file_counts.raw_rows, 0)
            else file_counts.raw_rows
        end as raw_rows,
        case
            when raw_files.file_status = 'read' then coalesce(file_counts.rows_used, 0)
            else file_counts.rows_used
        end as rows_used,
        case
            when raw_files.file_status = 'read' then coalesce(file_counts.rows_merged, 0)
            else file_counts.rows_merged
        end as rows_merged,
        case
            when raw_files.file_status = 'read' then coalesce(file_counts.rows_quarantined, 0)
            else file_counts.rows_quarantined
        end as rows_quarantined
    from raw_files
    full outer join file_counts
        on raw_files.extract_name = file_counts.extract_name
            and raw_files.file_name = file_counts.source_file
),

final as (
    select
        -- the listing's columns come typed from rpt_raw_files, staging's are strings
        extract_name,
        source_file,
        file_status,
        skip_reason,
        source_encoding,
        file_bytes,
        physical_lines,
        empty_lines,
        whitespace_lines,
        cast(raw_rows as integer) as raw_rows,
        cast(rows_used as integer) as rows_used,
        cast(rows_merged as integer) as rows_merged,
        cast(rows_quarantined as integer) as rows_quarantined,
        case
            when raw_rows > 0 then cast(rows_quarantined as double) / raw_rows
            when raw_rows = 0 then 0
        end as quarantine_share
    from accounted
)

select * from final
