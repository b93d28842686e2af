{#-
    Tabel 3: a total row's sums over groups (`population_sum_over_groups`,
    `faellesborgere_sum_over_groups`) are the sums of its group rows (of its main group;
    the grand total: of all). Fails for every total row of `rpt_tabel3` where either
    differs.
-#}
with

tabel3 as (
    select * from {{ ref('rpt_tabel3') }}
),

group_rows as (
    select * from tabel3
    where row_kind = 'group'
),

total_rows as (
    select * from tabel3
    where row_kind = 'total'
),

sums as (
    select
        total_rows.year,
        total_rows.row_label,
        total_rows.population_sum_over_groups,
        total_rows.faellesborgere_sum_over_groups,
        sum(group_rows.population) as groups_population,
        sum(group_rows.faellesborgere) as groups_faellesborgere
    from total_rows
    left join group_rows
        on total_rows.year = group_rows.year
            and (
                total_rows.main_group_code is null
                or total_rows.main_group_code = group_rows.main_group_code
            )
    group by
        total_rows.year,
        total_rows.row_label,
        total_rows.population_sum_over_groups,
        total_rows.faellesborgere_sum_over_groups
)

select * from sums
where population_sum_over_groups != groups_population
    or faellesborgere_sum_over_groups != groups_faellesborgere
