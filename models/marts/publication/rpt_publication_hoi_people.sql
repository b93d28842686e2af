{#-
    HOI as people (rule 14 (docs/rules.md#rule-14)) for publication and BI tools:
    `rpt_hoi_people` with every count through `disclosed_count`: no count under 5, the
    report's rounding, complementary suppression among the BIF groups (with their
    `ALL` row) of a month, definition and SEL group.
-#}
with

people as (
    select * from {{ ref('rpt_hoi_people') }}
    where {{ published_period('is_complete_month') }}
),

disclosed as (
    select
        month,
        year,
        month_of_year,
        definition,
        definition_sort_order,
        sel_group,
        sel_group_sort_order,
        bif_group,
        bif_group_sort_order,
        is_complete_month,
        {{ disclosed_count('citizens', ['month', 'definition', 'sel_group'],
            ['bif_group_sort_order']) }} as citizens
    from people
),

final as (
    select
        month,
        cast(year as integer) as year,
        cast(month_of_year as integer) as month_of_year,
        definition,
        cast(definition_sort_order as integer) as definition_sort_order,
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
