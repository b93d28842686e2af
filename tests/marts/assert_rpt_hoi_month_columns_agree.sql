{#-
    The HOI target group (rule 10, docs/rules.md#rule-10): a month is given by its first
    day, `year` is the month's year and `month_of_year` its number. Fails for every row
    of `rpt_hoi_target_group` where one of them does not hold.
-#}
with

hoi as (
    select * from {{ ref('rpt_hoi_target_group') }}
),

final as (
    select
        year,
        month,
        month_of_year,
        sel_group,
        bif_group,
        extract(day from month) as day_of_month,
        extract(year from month) as year_of_month,
        extract(month from month) as month_number
    from hoi
)

select * from final
where day_of_month != 1
    or year != year_of_month
    or month_of_year != month_number
