{#-
    Tabel 3 of the report for every year: per LAB group the BIF-active citizens
    (population, rule 2 (docs/rules.md#rule-2)) and the fællesborgere among them (rule 5
    (docs/rules.md#rule-5)), and the total rows of the seed `tabel3_total_rows`. A total
    row carries both the sum over its group rows and the count of unique citizens;
    `population_basis` and `faellesborgere_basis` say which of the two the published
    table shows (and `population` / `faellesborgere` hold it).
-#}
with

years as (
    select * from {{ ref('int_report_years') }}
),

groups as (
    select * from {{ ref('dim_lab_target_group') }}
),

total_rows as (
    select * from {{ ref('tabel3_total_rows') }}
),

memberships as (
    select * from {{ ref('int_bif__lab_group_years') }}
),

faellesborger as (
    select * from {{ ref('fct_faellesborger') }}
),

-- the fællesborgere by the number the BIF models name citizens by (macro person_number)
faellesborger_numbers as (
    select
        year,
        {{ person_number('person_key') }} as person_number
    from faellesborger
),

members as (
    select
        memberships.year,
        memberships.person_number,
        memberships.lab_group_code,
        groups.main_group_code,
        faellesborger_numbers.person_number is not null as is_faellesborger
    from memberships
    inner join groups
        on memberships.lab_group_code = groups.lab_group_code
    left join faellesborger_numbers
        on memberships.year = faellesborger_numbers.year
            and memberships.person_number = faellesborger_numbers.person_number
),

-- members has one row per year, citizen and group (as int_bif__lab_group_years, whose
-- test says so), so its rows per group are the group's citizens: counted, not
-- deduplicated
group_counts as (
    select
        year,
        lab_group_code,
        count(*) as population,
        sum(case when is_faellesborger then 1 else 0 end) as faellesborgere
    from members
    group by year, lab_group_code
),

group_rows as (
    select
        years.year,
        groups.sort_order,
        groups.lab_group_name as row_label,
        'group' as row_kind,
        groups.lab_group_code,
        groups.main_group_code,
        coalesce(group_counts.population, 0) as population,
        coalesce(group_counts.faellesborgere, 0) as faellesborgere
    from years
    cross join groups
    left join group_counts
        on years.year = group_counts.year
            and groups.lab_group_code = group_counts.lab_group_code
),

total_sums as (
    select
        group_rows.year,
        total_rows.row_label,
        sum(group_rows.population) as population_sum_over_groups,
        sum(group_rows.faellesborgere) as faellesborgere_sum_over_groups
    from total_rows
    inner join group_rows
        on total_rows.main_group_code is null
            or total_rows.main_group_code = group_rows.main_group_code
    group by group_rows.year, total_rows.row_label
),

total_uniques as (
    select
        years.year,
        total_rows.row_label,
        count(distinct members.person_number) as population_unique_citizens,
        count(distinct case when members.is_faellesborger then members.person_number end)
            as faellesborgere_unique_citizens
    from years
    cross join total_rows
    left join members
        on years.year = members.year
            and (
                total_rows.main_group_code is null
                or total_rows.main_group_code = members.main_group_code
            )
    group by years.year, total_rows.row_label
),

totals as (
    select
        total_sums.year,
        total_rows.sort_order,
        total_rows.row_label,
        'total' as row_kind,
        cast(null as {{ dbt.type_string() }}) as lab_group_code,
        total_rows.main_group_code,
        total_sums.population_sum_over_groups,
        total_uniques.population_unique_citizens,
        total_sums.faellesborgere_sum_over_groups,
        total_uniques.faellesborgere_unique_citizens,
        total_rows.population_basis,
        total_rows.faellesborgere_basis
    from total_sums
    inner join total_uniques
        on total_sums.year = total_uniques.year
            and total_sums.row_label = total_uniques.row_label
    inner join total_rows
        on total_sums.row_label = total_rows.row_label
),

unioned as (
    select
        year,
        sort_order,
        row_label,
        row_kind,
        lab_group_code,
        main_group_code,
        population,
        faellesborgere,
        population as population_sum_over_groups,
        population as population_unique_citizens,
        faellesborgere as faellesborgere_sum_over_groups,
        faellesborgere as faellesborgere_unique_citizens,
        cast(null as {{ dbt.type_string() }}) as population_basis,
        cast(null as {{ dbt.type_string() }}) as faellesborgere_basis
    from group_rows
    union all
    select
        year,
        sort_order,
        row_label,
        row_kind,
        lab_group_code,
        main_group_code,
        case population_basis
            when 'unique_citizens' then population_unique_citizens
            else population_sum_over_groups
        end as population,
        case faellesborgere_basis
            when 'unique_citizens' then faellesborgere_unique_citizens
            else faellesborgere_sum_over_groups
        end as faellesborgere,
        population_sum_over_groups,
        population_unique_citizens,
        faellesborgere_sum_over_groups,
        faellesborgere_unique_citizens,
        population_basis,
        faellesborgere_basis
    from totals
),

flagged as (
    select
        unioned.*,
        years.is_complete_year
    from unioned
    inner join years
        on unioned.year = years.year
),

final as (
    select
        cast(year as integer) as year,
        cast(sort_order as integer) as sort_order,
        row_label,
        row_kind,
        lab_group_code,
        main_group_code,
        cast(population as integer) as population,
        cast(faellesborgere as integer) as faellesborgere,
        {{ share_pct('faellesborgere', 'population') }} as share_pct,
        {{ share_pct_exact('faellesborgere', 'population') }} as share_pct_exact,
        cast(population_sum_over_groups as integer) as population_sum_over_groups,
        cast(population_unique_citizens as integer) as population_unique_citizens,
        cast(faellesborgere_sum_over_groups as integer) as faellesborgere_sum_over_groups,
        cast(faellesborgere_unique_citizens as integer) as faellesborgere_unique_citizens,
        population_basis,
        faellesborgere_basis,
        is_complete_year
    from flagged
)

select * from final
