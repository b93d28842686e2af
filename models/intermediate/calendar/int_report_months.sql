{#-
    The calendar months of the report years: the month spine that spells are counted on.
    A month is complete (`is_complete_month`) when the delivery covers it to its last
    day (the completeness rule of `int_report_years`, docs/rules.md#report-rules).
-#}
with

years as (
    select * from {{ ref('int_report_years') }}
),

month_numbers as (
    {{ dbt.generate_series(12) }}
),

months as (
    select
        years.year,
        years.latest_extraction_date,
        cast(month_numbers.generated_number as integer) as month_of_year,
        cast(
            {{ dbt.dateadd('month', 'cast(month_numbers.generated_number as integer) - 1',
                'years.year_start') }}
            as date
        ) as month_start
    from years
    cross join month_numbers
),

final as (
    select
        year,
        cast(month_of_year as integer) as month_of_year,
        month_start,
        cast({{ dbt.last_day('month_start', 'month') }} as date) as month_end,
        latest_extraction_date >= cast({{ dbt.last_day('month_start', 'month') }} as date)
            as is_complete_month
    from months
)

select * from final
