{#-
    The quarantined raw rows by reason: one row per extract, source file and
    rejection reason that occurs in the file, with the number of rows and their share
    of the file's raw rows. The long companion of `rpt_row_accounting`.
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

row_accounting as (
    select * from {{ ref('rpt_row_accounting') }}
),

quarantined_rows as (
    select
        'bif_ydelsesforloeb' as extract_name,
        source_file,
        rejection_reason
    from bif_spells
    where row_status = 'quarantined'
    union all
    select
        'sof_bevillinger' as extract_name,
        source_file,
        rejection_reason
    from sof_grants
    where row_status = 'quarantined'
    union all
    select
        'sof_foraeldremyndighed' as extract_name,
        source_file,
        rejection_reason
    from custody_relations
    where row_status = 'quarantined'
    union all
    select
        'cpr_personer' as extract_name,
        source_file,
        rejection_reason
    from persons
    where row_status = 'quarantined'
),

reason_counts as (
    select
        extract_name,
        source_file,
        rejection_reason,
        count(*) as rows_quarantined
    from quarantined_rows
    group by extract_name, source_file, rejection_reason
),

final as (
    select
        cast(reason_counts.extract_name as {{ dbt.type_string() }}) as extract_name,
        cast(reason_counts.source_file as {{ dbt.type_string() }}) as source_file,
        cast(reason_counts.rejection_reason as {{ dbt.type_string() }}) as rejection_reason,
        cast(reason_counts.rows_quarantined as integer) as rows_quarantined,
        cast(reason_counts.rows_quarantined as double) / row_accounting.raw_rows
            as share_of_raw_rows
    from reason_counts
    inner join row_accounting
        on reason_counts.extract_name = row_accounting.extract_name
            and reason_counts.source_file = row_accounting.source_file
)

select * from final
