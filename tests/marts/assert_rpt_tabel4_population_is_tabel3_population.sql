{#-
    Tabel 4 and Tabel 3 agree (rule 2, docs/rules.md#rule-2): a LAB group's population
    cell in `rpt_tabel4` is its population in `rpt_tabel3`. Fails for every group
    population row where they differ.
-#}
with

tabel4 as (
    select * from {{ ref('rpt_tabel4') }}
),

tabel3 as (
    select * from {{ ref('rpt_tabel3') }}
),

final as (
    select
        tabel4.year,
        tabel4.lab_group_code,
        tabel4.citizens,
        tabel3.population as tabel3_population
    from tabel4
    left join tabel3
        on tabel4.year = tabel3.year
            and tabel4.lab_group_code = tabel3.lab_group_code
    where tabel4.is_population and not tabel4.is_total_row
)

select * from final
where citizens != tabel3_population
