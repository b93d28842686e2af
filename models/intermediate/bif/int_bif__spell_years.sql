{#-
    The report years in which each BIF spell has at least one day, with the first and
    the last calendar month of the year that the spell touches (both ends of a spell
    are inclusive). A spell has a day in every month between the two, so the months of
    a spell are a range: one row per spell and year instead of one per month keeps the
    table a twelfth of the size (`int_bif__person_years` counts the distinct months of
    overlapping spells from these ranges).
-#}
with

spells as (
    select * from {{ ref('int_bif__spells') }}
),

years as (
    select * from {{ ref('int_report_years') }}
),

spell_years as (
    select
        spells.spell_id,
        spells.person_key,
        spells.lab_group_code,
        spells.age_anchor_month,
        years.year,
        case
            when spells.start_date < years.year_start then 1
            else extract(month from spells.start_date)
        end as first_month_of_year,
        case
            when spells.effective_end_date > years.year_end then 12
            else extract(month from spells.effective_end_date)
        end as last_month_of_year
    from spells
    inner join years
        on spells.start_date <= years.year_end
            and spells.effective_end_date >= years.year_start
),

final as (
    select
        spell_id,
        person_key,
        lab_group_code,
        age_anchor_month,
        year,
        cast(first_month_of_year as integer) as first_month_of_year,
        cast(last_month_of_year as integer) as last_month_of_year
    from spell_years
)

select * from final
