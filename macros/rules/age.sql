{#-
    Ages without birth dates. Staging keeps only `age_anchor_month` (see the macro
    `age_anchor_month`): the month index (year * 12 + month - 1) of the first month that
    begins on or after the birth date. Plain SQL that DuckDB and Spark share.
-#}


{#- Month index (year * 12 + month - 1) of a year and month number (1-12). -#}
{% macro month_index(year, month_of_year) -%}
    (({{ year }}) * 12 + ({{ month_of_year }}) - 1)
{%- endmacro %}


{#-
    Age in whole years on the first day of the month with index `month_index`: someone
    born on the 1st of a month has their birthday on that day, so turns 25 on the first
    day of the month; someone born on the 2nd turns 25 a month later.
-#}
{% macro age_at_month_start(month_index, age_anchor_month) -%}
    cast(floor((({{ month_index }}) - ({{ age_anchor_month }})) / 12.0) as integer)
{%- endmacro %}


{#-
    The inverse of `age_at_month_start`: with age = floor((month_index -
    age_anchor_month) / 12), a citizen is `age` on the first day of the months
    `age_anchor_month + 12 * age` to `age_anchor_month + 12 * (age + 1) - 1`. So the
    months aged `min_age` to `max_age` are one range of month indexes, and a model can
    cut a range of months to them without a row per month (`rpt_benefit_duration`).
-#}
{% macro first_month_at_age(age_anchor_month, age) -%}
    (({{ age_anchor_month }}) + 12 * ({{ age }}))
{%- endmacro %}


{% macro last_month_at_age(age_anchor_month, age) -%}
    (({{ age_anchor_month }}) + 12 * (({{ age }}) + 1) - 1)
{%- endmacro %}


{#-
    The months `first_month` to `last_month` (1-12) of a year as a 12-bit mask: bit
    m - 1 is set for month m. `bit_or` over a citizen's masks and `bit_count` of the
    result give the number of distinct months (DuckDB and Spark share all three).
-#}
{% macro month_range_mask(first_month, last_month) -%}
    cast(power(2, {{ last_month }}) - power(2, ({{ first_month }}) - 1) as integer)
{%- endmacro %}
