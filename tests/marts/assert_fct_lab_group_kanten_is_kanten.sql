{#-
    Rule 9 (docs/rules.md#rule-9): a fællesborger in a LAB group of the kanten main
    group (var `kanten_main_group`, seed `lab_target_groups`) is in kanten. Fails for
    every row of `fct_faellesborger_lab_group` in such a group whose citizen is not
    `is_kanten` in `fct_faellesborger`.
-#}
with

lab_group as (
    select * from {{ ref('fct_faellesborger_lab_group') }}
),

fct as (
    select * from {{ ref('fct_faellesborger') }}
),

groups as (
    select * from {{ ref('dim_lab_target_group') }}
),

final as (
    select
        lab_group.year,
        lab_group.person_key,
        lab_group.lab_group_code,
        fct.is_kanten
    from lab_group
    inner join groups
        on lab_group.lab_group_code = groups.lab_group_code
    left join fct
        on lab_group.year = fct.year
            and lab_group.person_key = fct.person_key
    where groups.main_group_code = '{{ var("kanten_main_group") }}'
)

select * from final
where not is_kanten
