{#-
    Every entry of the raw folder (var `raw_dir`), read or skipped, with what the raw
    intake counted from its bytes, apart from any CSV parsing: the row accounting checks
    the staged rows of every file against these counts.
-#}
with

raw_folder_entries as (
    select * from {{ raw_folder_entries() }} as raw_folder_entries
),

final as (
    select
        cast(file_name as {{ dbt.type_string() }}) as file_name,
        cast(extract_name as {{ dbt.type_string() }}) as extract_name,
        cast(file_status as {{ dbt.type_string() }}) as file_status,
        cast(skip_reason as {{ dbt.type_string() }}) as skip_reason,
        cast(source_encoding as {{ dbt.type_string() }}) as source_encoding,
        cast(file_bytes as bigint) as file_bytes,
        cast(physical_lines as integer) as physical_lines,
        cast(empty_lines as integer) as empty_lines,
        cast(whitespace_lines as integer) as whitespace_lines
    from raw_folder_entries
)

select * from final
