{#-
    Tabel 3 (rule 2, docs/rules.md#rule-2): every report year has a group row for every
    LAB target group of `dim_lab_target_group` (seed `lab_target_groups`). Fails for
    every year whose number of group rows differs from the number of LAB groups.
-#}
with

tabel3 as (
    select * from {{ ref('rpt_tabel3') }}
),

groups as (
    select * from {{ ref('dim_lab_target_group') }}
),

years as (
    select
        year,
        count(case when row_kind = 'group' then 1 end) as group_rows
    from tabel3
    group by year
),

final as (
    select
        years.year,
        years.group_rows,
        (select count(*) from groups) as lab_groups
    from years
)

select * from final
where group_rows != lab_groups
