{#-
    The inverse of `age_at_month_start` (macros/rules/age.sql): the months in which a
    citizen has a given age on the month's first day, as month indexes. With
    age = floor((month_index - age_anchor_month) / 12), the age is `age` from month
    `age_anchor_month + 12 * age` to month `age_anchor_month + 12 * (age + 1) - 1`. So
    the months aged `min_age` to `max_age` are one range of month indexes, and a model
    can cut a range of months to them without a row per month. Plain SQL that DuckDB
    and Spark share; used by `rpt_benefit_duration`.
-#}


{#- The first month whose first day finds the citizen aged `age`. -#}
{% macro first_month_at_age(age_anchor_month, age) -%}
    (({{ age_anchor_month }}) + 12 * ({{ age }}))
{%- endmacro %}


{#- The last month whose first day finds the citizen aged `age`. -#}
{% macro last_month_at_age(age_anchor_month, age) -%}
    (({{ age_anchor_month }}) + 12 * (({{ age }}) + 1) - 1)
{%- endmacro %}
