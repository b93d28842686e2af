{#-
    Figur 1 of the report for every year: the share of fællesborgere per main group. As
    the report computes it, the Tabel 3 group rows are summed per main group (a citizen
    in two LAB groups counts in both), and the share is of the sum over all groups.
    Beside it, the unique-citizen variant: each fællesborger placed in one main group by
    rule 8 (docs/rules.md#rule-8) (`fct_faellesborger.main_group_code`). Every main
    group is present in every year.
-#}
with

years as (
    select * from {{ ref('int_report_years') }}
),

main_groups as (
    select * from {{ ref('lab_main_groups') }}
),

tabel3 as (
    select * from {{ ref('rpt_tabel3') }}
    where row_kind = 'group'
),

faellesborger as (
    select * from {{ ref('fct_faellesborger') }}
),

summed as (
    select
        year,
        main_group_code,
        sum(faellesborgere) as faellesborgere
    from tabel3
    group by year, main_group_code
),

placed as (
    select
        year,
        main_group_code,
        count(*) as faellesborgere_placed
    from faellesborger
    group by year, main_group_code
),

cells as (
    select
        years.year,
        years.is_complete_year,
        main_groups.main_group_code,
        main_groups.main_group_name,
        main_groups.sort_order,
        coalesce(summed.faellesborgere, 0) as faellesborgere,
        coalesce(placed.faellesborgere_placed, 0) as faellesborgere_placed
    from years
    cross join main_groups
    left join summed
        on years.year = summed.year
            and main_groups.main_group_code = summed.main_group_code
    left join placed
        on years.year = placed.year
            and main_groups.main_group_code = placed.main_group_code
),

with_totals as (
    select
        cells.*,
        sum(cells.faellesborgere) over (partition by cells.year) as faellesborgere_all_groups,
        sum(cells.faellesborgere_placed)
            over (partition by cells.year)
            as faellesborgere_placed_all_groups
    from cells
),

final as (
    select
        cast(year as integer) as year,
        main_group_code,
        main_group_name,
        cast(sort_order as integer) as sort_order,
        cast(faellesborgere as integer) as faellesborgere,
        {{ share_pct('faellesborgere', 'faellesborgere_all_groups') }} as share_pct,
        {{ share_pct_exact('faellesborgere', 'faellesborgere_all_groups') }} as share_pct_exact,
        cast(faellesborgere_placed as integer) as faellesborgere_placed,
        {{ share_pct('faellesborgere_placed', 'faellesborgere_placed_all_groups') }}
            as share_placed_pct,
        {{ share_pct_exact('faellesborgere_placed', 'faellesborgere_placed_all_groups') }}
            as share_placed_pct_exact,
        is_complete_year
    from with_totals
)

select * from final
