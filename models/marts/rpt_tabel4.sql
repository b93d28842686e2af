{#-
    Tabel 4 of the report for every year: the exact counts of `int_tabel4_counts` and
    each cell as the report prints it, with the document's disclosure rounding (macro
    `tabel4_published_value`, thresholds in dbt_project.yml vars).
-#}
with

counts as (
    select * from {{ ref('int_tabel4_counts') }}
),

final as (
    select
        cast(year as integer) as year,
        lab_group_code,
        row_label,
        cast(row_sort_order as integer) as row_sort_order,
        is_total_row,
        tabel4_column,
        column_label,
        cast(column_sort_order as integer) as column_sort_order,
        is_population,
        cast(citizens as integer) as citizens,
        cast({{ tabel4_rounded_value('citizens', 'is_population') }} as integer) as rounded_value,
        {{ tabel4_published_value('citizens', 'is_total_row', 'is_population') }} as published_value
    from counts
)

select * from final
