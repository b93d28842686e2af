{#-
    Tabel 4: a count cell never exceeds the population of its LAB group (row), and a
    group's cell never exceeds the all-groups cell of its column (distinct citizens over
    the kanten groups). Fails for every row of `rpt_tabel4` where either does.
-#}
with

tabel4 as (
    select * from {{ ref('rpt_tabel4') }}
),

populations as (
    select * from tabel4
    where is_population
),

all_groups as (
    select * from tabel4
    where is_total_row
),

final as (
    select
        tabel4.year,
        tabel4.lab_group_code,
        tabel4.tabel4_column,
        tabel4.is_population,
        tabel4.is_total_row,
        tabel4.citizens,
        populations.citizens as row_population,
        all_groups.citizens as all_groups_citizens
    from tabel4
    left join populations
        on tabel4.year = populations.year
            and tabel4.lab_group_code = populations.lab_group_code
    left join all_groups
        on tabel4.year = all_groups.year
            and tabel4.tabel4_column = all_groups.tabel4_column
)

select * from final
where (not is_population and citizens > row_population)
    or (not is_total_row and citizens > all_groups_citizens)
