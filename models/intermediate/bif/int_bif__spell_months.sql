{#-
    The calendar months (of the report years) in which each BIF spell has at least one
    day: one row per spell and month. Both ends of a spell are inclusive.
-#}
with

spells as (
    select * from {{ ref('int_bif__spells') }}
),

months as (
    select * from {{ ref('int_report_months') }}
),

final as (
    select
        spells.spell_id,
        spells.person_key,
        spells.lab_group_code,
        months.year,
        months.month_start
    from spells
    inner join months
        on spells.start_date <= months.month_end
            and spells.effective_end_date >= months.month_start
)

select * from final
