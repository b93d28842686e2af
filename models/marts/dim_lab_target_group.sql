with

lab_groups as (
    select * from {{ ref('lab_target_groups') }}
),

main_groups as (
    select * from {{ ref('lab_main_groups') }}
),

final as (
    select
        lab_groups.lab_group_code,
        lab_groups.lab_group_name,
        lab_groups.main_group_code,
        main_groups.main_group_name,
        lab_groups.sort_order,
        main_groups.sort_order as main_group_sort_order,
        main_groups.placement_priority,
        lab_groups.benefits_paid
    from lab_groups
    inner join main_groups
        on lab_groups.main_group_code = main_groups.main_group_code
)

select * from final
