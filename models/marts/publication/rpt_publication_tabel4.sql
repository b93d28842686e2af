{#-
    Tabel 4 for publication and BI tools: `rpt_tabel4` with every cell through
    `disclosed_count` (no count under 5; populations to the nearest 1.000, other cells as
    the report rounds; a second kanten group withheld in a column where one is).
-#}
with

tabel4 as (
    select * from {{ ref('rpt_tabel4') }}
    where {{ published_period('is_complete_year') }}
),

disclosed as (
    select
        year,
        lab_group_code,
        row_label,
        row_sort_order,
        is_total_row,
        tabel4_column,
        column_label,
        column_sort_order,
        is_population,
        is_complete_year,
        {{ disclosed_count('citizens', ['year', 'tabel4_column', 'is_total_row'],
            ['row_sort_order'], rounded=tabel4_rounded_value('citizens', 'is_population')) }}
            as citizens
    from tabel4
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
        {{ disclosed_text('citizens') }} as citizens_text,
        is_complete_year
    from disclosed
)

select * from final
