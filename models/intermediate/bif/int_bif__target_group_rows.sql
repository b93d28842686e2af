{#-
    The rows of Bilag 1a's target-group tables (rules 11-13, docs/rules.md#rule-11), in
    print order: each LAB group (`row_kind` `group`, `sub_group` `alle`), its Bilag 1a
    sub-groups (`sub_group`, seed `lab_sub_groups`), the total of each main group
    (`main_group_total`) and of every group (`total`), both with `lab_group_code`
    `ALL`. The statistics show every row; the characteristics the groups and
    sub-groups; the durations the groups, sub-groups and the total.
-#}
with

lab_groups as (
    select * from {{ ref('lab_target_groups') }}
),

main_groups as (
    select * from {{ ref('lab_main_groups') }}
),

sub_groups as (
    select * from {{ ref('lab_sub_groups') }}
),

groups_in_order as (
    select
        lab_groups.lab_group_code,
        lab_groups.lab_group_name,
        lab_groups.main_group_code,
        main_groups.main_group_name,
        main_groups.sort_order * 1000 + lab_groups.sort_order * 10 as sort_order,
        main_groups.sort_order * 1000 + 999 as main_group_total_sort_order
    from lab_groups
    inner join main_groups
        on lab_groups.main_group_code = main_groups.main_group_code
),

table_rows as (
    select
        'group' as row_kind,
        lab_group_code,
        'alle' as sub_group,
        main_group_code,
        lab_group_name as row_name,
        sort_order
    from groups_in_order
    union all
    select
        'sub_group' as row_kind,
        sub_groups.lab_group_code,
        sub_groups.sub_group,
        groups_in_order.main_group_code,
        sub_groups.sub_group_name as row_name,
        groups_in_order.sort_order + sub_groups.sort_order as sort_order
    from sub_groups
    inner join groups_in_order
        on sub_groups.lab_group_code = groups_in_order.lab_group_code
    union all
    select distinct
        'main_group_total' as row_kind,
        'ALL' as lab_group_code,
        'alle' as sub_group,
        main_group_code,
        'I alt, ' || main_group_name as row_name,
        main_group_total_sort_order as sort_order
    from groups_in_order
    union all
    select
        'total' as row_kind,
        'ALL' as lab_group_code,
        'alle' as sub_group,
        'ALL' as main_group_code,
        'I alt' as row_name,
        99999 as sort_order
),

final as (
    select
        row_kind,
        lab_group_code,
        sub_group,
        main_group_code,
        row_name,
        cast(sort_order as integer) as sort_order
    from table_rows
)

select * from final
