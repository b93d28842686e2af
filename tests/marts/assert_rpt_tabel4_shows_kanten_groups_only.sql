{#-
    Tabel 4 shows the LAB groups of kanten only (rule 9, docs/rules.md#rule-9; var
    `kanten_main_group`). Fails for every row of `rpt_tabel4` whose LAB group belongs to
    another main group in `dim_lab_target_group`.
-#}
with

tabel4 as (
    select * from {{ ref('rpt_tabel4') }}
),

groups as (
    select * from {{ ref('dim_lab_target_group') }}
),

final as (
    select
        tabel4.year,
        tabel4.lab_group_code,
        tabel4.tabel4_column,
        groups.main_group_code
    from tabel4
    inner join groups
        on tabel4.lab_group_code = groups.lab_group_code
)

select * from final
where main_group_code != '{{ var("kanten_main_group") }}'
