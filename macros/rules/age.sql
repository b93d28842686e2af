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
    An age anchor rounded up to a multiple of `months_per_period` (1, 3 or 12): on the
    first day of a month whose index is such a multiple (a quarter's or a year's), the
    age (`age_at_month_start`) is the same from either anchor. With anchor a rounded up
    to a' (a' - a < p) and m such a month, m - a' is a multiple of p and m - a lies
    less than p above it: no multiple of p lies in between, so none of 12 (p divides
    12), and the whole years are the same.
-#}
{% macro period_age_anchor(age_anchor_month, months_per_period) -%}
    (cast(ceil(({{ age_anchor_month }}) / ({{ months_per_period }})) as integer)
        * ({{ months_per_period }}))
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
