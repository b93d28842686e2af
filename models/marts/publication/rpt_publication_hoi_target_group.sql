{#-
    The HOI target group (rule 10 (docs/rules.md#rule-10)) for publication and BI tools: `rpt_hoi_target_group`
    with every cell through `disclosed_count`; the BIF groups of a month and SEL group
    add up to the published "I alt", so a second cell is withheld where one is.
-#}
with

hoi as (
    select * from {{ ref('rpt_hoi_target_group') }}
    where {{ published_period('is_complete_month') }}
),

disclosed as (
    select
        month,
        year,
        month_of_year,
        sel_group,
        sel_group_sort_order,
        bif_group,
        bif_group_sort_order,
        is_complete_month,
        {{ disclosed_count('citizens', ['month', 'sel_group'], ['bif_group_sort_order']) }}
            as citizens
    from hoi
),

final as (
    select
        month,
        cast(year as integer) as year,
        cast(month_of_year as integer) as month_of_year,
        sel_group,
        cast(sel_group_sort_order as integer) as sel_group_sort_order,
        bif_group,
        cast(bif_group_sort_order as integer) as bif_group_sort_order,
        cast(citizens as integer) as citizens,
        {{ disclosed_text('citizens') }} as citizens_text,
        is_complete_month
    from disclosed
)

select * from final
