{#-
    Tabel 4 of the report for every year, exact counts: per kanten LAB group (the groups
    of the main group `kanten_main_group`) and Tabel 4 column, the distinct kanten
    fællesborgere of the group with an intervention of the column in the year; the
    all-groups row `ALL` counts distinct citizens over the kanten groups. The pseudo
    column `population` holds the group's BIF population (as in Tabel 3) and, on the
    `ALL` row, the sum over the groups (as the report). Every cell exists, 0 when empty.
-#}
with

years as (
    select * from {{ ref('int_report_years') }}
),

lab_groups as (
    select * from {{ ref('lab_target_groups') }}
    where main_group_code = '{{ var("kanten_main_group") }}'
),

tabel4_columns as (
    select * from {{ ref('tabel4_columns') }}
),

memberships as (
    select * from {{ ref('int_bif__lab_group_years') }}
),

faellesborger_years as (
    select * from {{ ref('int_faellesborger_years') }}
    where is_kanten
),

faellesborger_columns as (
    select * from {{ ref('int_faellesborger_tabel4_columns') }}
),

kanten_members as (
    select
        memberships.year,
        memberships.person_key,
        memberships.lab_group_code
    from memberships
    inner join lab_groups
        on memberships.lab_group_code = lab_groups.lab_group_code
),

kanten_faellesborger_columns as (
    select
        kanten_members.year,
        kanten_members.person_key,
        kanten_members.lab_group_code,
        faellesborger_columns.tabel4_column
    from kanten_members
    inner join faellesborger_years
        on kanten_members.year = faellesborger_years.year
            and kanten_members.person_key = faellesborger_years.person_key
    inner join faellesborger_columns
        on kanten_members.year = faellesborger_columns.year
            and kanten_members.person_key = faellesborger_columns.person_key
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
        count(distinct person_key) as citizens
    from kanten_members
    group by year, lab_group_code
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
        lab_group_code,
        lab_group_name as row_label,
        sort_order as row_sort_order,
        false as is_total_row
    from lab_groups
    union all
    select
        'ALL' as lab_group_code,
        'I alt' as row_label,
        max(sort_order) + 1 as row_sort_order,
        true as is_total_row
    from lab_groups
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
        years.year,
        table_rows.lab_group_code,
        table_rows.row_label,
        table_rows.row_sort_order,
        table_rows.is_total_row,
        table_columns.tabel4_column,
        table_columns.column_label,
        table_columns.column_sort_order,
        table_columns.is_population
    from years
    cross join table_rows
    cross join table_columns
),

final as (
    select
        cast(cells.year as integer) as year,
        cells.lab_group_code,
        cells.row_label,
        cast(cells.row_sort_order as integer) as row_sort_order,
        cells.is_total_row,
        cells.tabel4_column,
        cells.column_label,
        cast(cells.column_sort_order as integer) as column_sort_order,
        cells.is_population,
        cast(coalesce(counted.citizens, 0) as integer) as citizens
    from cells
    left join counted
        on cells.year = counted.year
            and cells.lab_group_code = counted.lab_group_code
            and cells.tabel4_column = counted.tabel4_column
)

select * from final
