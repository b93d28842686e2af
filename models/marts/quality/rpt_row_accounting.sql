{#-
    Row accounting of the raw delivery: one row per extract and source file with the
    number of raw rows that staging read from the file and how many of them were used,
    merged (an earlier delivery of an id that a later delivery supersedes) or
    quarantined. The quarantined rows by reason are in `rpt_quarantine_reasons`.
-#}
with

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
        source_encoding,
        row_status
    from bif_spells
    union all
    select
        'sof_bevillinger' as extract_name,
        source_file,
        source_encoding,
        row_status
    from sof_grants
    union all
    select
        'sof_foraeldremyndighed' as extract_name,
        source_file,
        source_encoding,
        row_status
    from custody_relations
    union all
    select
        'cpr_personer' as extract_name,
        source_file,
        source_encoding,
        row_status
    from persons
),

file_counts as (
    select
        extract_name,
        source_file,
        max(source_encoding) as source_encoding,
        count(*) as raw_rows,
        sum(case when row_status = 'used' then 1 else 0 end) as rows_used,
        sum(case when row_status = 'merged' then 1 else 0 end) as rows_merged,
        sum(case when row_status = 'quarantined' then 1 else 0 end) as rows_quarantined
    from staged_rows
    group by extract_name, source_file
),

final as (
    select
        cast(extract_name as {{ dbt.type_string() }}) as extract_name,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(source_encoding as {{ dbt.type_string() }}) as source_encoding,
        cast(raw_rows as integer) as raw_rows,
        cast(rows_used as integer) as rows_used,
        cast(rows_merged as integer) as rows_merged,
        cast(rows_quarantined as integer) as rows_quarantined,
        cast(rows_quarantined as double) / raw_rows as quarantine_share
    from file_counts
)

select * from final
