{#-
    The semantic layer's time spine (dbt `time_spine`, docs/semantic-layer.md): one row
    per day from 1 January 2000 up to, not including, 1 January 2041, a fixed range that
    holds every report year a delivery can have in this century and the next decade.
    MetricFlow joins the metrics' time dimensions to it to fill and roll up periods
    (day, month, quarter, year). No model reads it; it reads none, so a delivery cannot
    change it.
-#}
with

days as (
    {{ dbt.date_spine(
        datepart="day",
        start_date="cast('2000-01-01' as date)",
        end_date="cast('2041-01-01' as date)"
    ) }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
