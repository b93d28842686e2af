{#-
    Tabel 4 of the report for every year: per kanten LAB group (the groups of the main
    group `kanten_main_group`, rule 9 (docs/rules.md#rule-9)) and Tabel 4 column, the
    distinct kanten fællesborgere of the group with an intervention of the column in the
    year (`fct_faellesborger_lab_group` x `fct_faellesborger_tabel4_column`); the
    all-groups row `ALL` counts distinct citizens over the kanten groups. The pseudo
    column `population` holds the group's BIF population, the group's Tabel 3 population
    (`rpt_tabel3`), and on the `ALL` row the sum over the groups (as the report). Every
    cell exists, 0 when empty. Each cell also as the report prints it, with the
    document's disclosure rounding (macro `tabel4_published_value`, thresholds in
    dbt_project.yml vars).
-#}
with

tabel3_groups as (
    select * from {{ ref('rpt_tabel3') }}
    where row_kind = 'group'
        and main_group_code = '{{ var("kanten_main_group") }}'
),

tabel4_columns as (
    select * from {{ ref('tabel4_columns') }}
),

faellesborger_groups as (
    select * from {{ ref('fct_faellesborger_lab_group') }}
),

faellesborger_columns as (
    select * from {{ ref('fct_faellesborger_tabel4_column') }}
),

kanten_faellesborger_columns as (
    select
        faellesborger_groups.year,
        faellesborger_groups.person_key,
        faellesborger_groups.lab_group_code,
        faellesborger_columns.tabel4_column
    from faellesborger_groups
    inner join tabel3_groups
        on faellesborger_groups.year = tabel3_groups.year
            and faellesborger_groups.lab_group_code = tabel3_groups.lab_group_code
    inner join faellesborger_columns
        on faellesborger_groups.year = faellesborger_columns.year
            and faellesborger_groups.person_key = faellesborger_columns.person_key
),

group_cells as (
    select
        year,
        lab_group_code,
        tabel4_column,
        count(distinct person_key) as citizens
    from kanten_faellesborger_columns
    group by year, lab_group_code, tabel4_column
),

total_cells as (
    select
        year,
        'ALL' as lab_group_code,
        tabel4_column,
        count(distinct person_key) as citizens
    from kanten_faellesborger_columns
    group by year, tabel4_column
),

group_populations as (
    select
        year,
        lab_group_code,
        'population' as tabel4_column,
        population as citizens
    from tabel3_groups
),

total_populations as (
    select
        year,
        'ALL' as lab_group_code,
        'population' as tabel4_column,
        sum(citizens) as citizens
    from group_populations
    group by year
),

counted as (
    select * from group_cells
    union all
    select * from total_cells
    union all
    select * from group_populations
    union all
    select * from total_populations
),

table_rows as (
    select
        year,
        lab_group_code,
        row_label,
        sort_order as row_sort_order,
        false as is_total_row,
        is_complete_year
    from tabel3_groups
    union all
    select
        year,
        'ALL' as lab_group_code,
        'I alt' as row_label,
        max(sort_order) + 1 as row_sort_order,
        true as is_total_row,
        is_complete_year
    from tabel3_groups
    group by year, is_complete_year
),

table_columns as (
    select
        'population' as tabel4_column,
        'Antal borgere i ydelsesmålgruppen' as column_label,
        0 as column_sort_order,
        true as is_population
    union all
    select
        tabel4_column,
        tabel4_label as column_label,
        sort_order as column_sort_order,
        false as is_population
    from tabel4_columns
),

cells as (
    select
        table_rows.year,
        table_rows.lab_group_code,
        table_rows.row_label,
        table_rows.row_sort_order,
        table_rows.is_total_row,
        table_rows.is_complete_year,
        table_columns.tabel4_column,
        table_columns.column_label,
        table_columns.column_sort_order,
        table_columns.is_population,
        coalesce(counted.citizens, 0) as citizens
    from table_rows
    cross join table_columns
    left join counted
        on table_rows.year = counted.year
            and table_rows.lab_group_code = counted.lab_group_code
            and table_columns.tabel4_column = counted.tabel4_column
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
        is_complete_year,
        cast(citizens as integer) as citizens,
        cast({{ tabel4_rounded_value('citizens', 'is_population') }} as integer) as rounded_value,
        {{ tabel4_published_value('citizens', 'is_total_row', 'is_population') }} as published_value
    from cells
)

select * from final
