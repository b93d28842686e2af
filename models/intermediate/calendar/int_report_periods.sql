{#-
    The periods of the target-group statistics (rule 11 (docs/rules.md#rule-11)): every
    month, quarter and year of the report years, with its last day, its number of days
    (the denominator of a fuldtidsperson) and its label (`2021-09`, `2021-Q3`, `2021`).
    Built from the month spine, so a quarter or year is exactly its months, and a
    period is complete (`is_complete_period`) when all its months are.
-#}
{%- set text_type = dbt.type_string() -%}
with

months as (
    select * from {{ ref('int_report_months') }}
),

month_periods as (
    select
        'month' as period_type,
        month_start as period_start,
        year,
        month_of_year,
        month_start,
        month_end,
        is_complete_month
    from months
    union all
    select
        'quarter' as period_type,
        cast({{ dbt.date_trunc('quarter', 'month_start') }} as date) as period_start,
        year,
        month_of_year,
        month_start,
        month_end,
        is_complete_month
    from months
    union all
    select
        'year' as period_type,
        cast({{ dbt.date_trunc('year', 'month_start') }} as date) as period_start,
        year,
        month_of_year,
        month_start,
        month_end,
        is_complete_month
    from months
),

periods as (
    select
        period_type,
        period_start,
        min(year) as year,
        min(month_of_year) as first_month_of_year,
        max(month_end) as period_end,
        sum({{ days_inclusive('month_start', 'month_end') }}) as period_days,
        min(case when is_complete_month then 1 else 0 end) = 1 as is_complete_period
    from month_periods
    group by period_type, period_start
),

final as (
    select
        period_type,
        period_start,
        period_end,
        cast(year as integer) as year,
        cast(period_days as integer) as period_days,
        case period_type
            when 'month'
                then cast(year as {{ text_type }}) || '-'
                    || lpad(cast(first_month_of_year as {{ text_type }}), 2, '0')
            when 'quarter'
                then cast(year as {{ text_type }}) || '-Q'
                    || cast(cast((first_month_of_year + 2) / 3 as integer) as {{ text_type }})
            else cast(year as {{ text_type }})
        end as period_label,
        is_complete_period
    from periods
)

select * from final
