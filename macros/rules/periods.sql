{#-
    Periods of spells, grants and custody relations: the rules' one definition of when a
    period ends and when two periods meet. Plain SQL that DuckDB and Spark share.
-#}


{#-
    The open-end rule (docs/rules.md#rule-1, #rule-3, #rule-4): the last day the rules
    count for a spell, grant or custody relation is its `end_date`; one without an end
    date runs to the extraction date of the delivery it came in.
-#}
{% macro effective_end_date(end_date, extraction_date) -%}
    coalesce({{ end_date }}, {{ extraction_date }})
{%- endmacro %}


{#-
    True when the period `start_a` to `end_a` and the period `start_b` to `end_b` share
    at least one day, both ends inclusive (a period ending on the day the other starts
    overlaps it). A period counts in a year or month exactly when it overlaps it.
-#}
{% macro periods_overlap(start_a, end_a, start_b, end_b) -%}
    ({{ start_a }} <= {{ end_b }} and {{ end_a }} >= {{ start_b }})
{%- endmacro %}


{#-
    The number of days from `start_date` to `end_date`, both ends counted (a period of one
    day has 1): the days of a period (rule 11 (docs/rules.md#rule-11)) and the duration
    of an episode on a snapshot day (rule 13 (docs/rules.md#rule-13)). Dispatched: the
    date arithmetic differs between DuckDB and Spark.
-#}
{% macro days_inclusive(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_inclusive', 'faellesborger')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_inclusive(start_date, end_date) -%}
    ({{ dbt.datediff(start_date, end_date, 'day') }} + 1)
{%- endmacro %}

{% macro duckdb__days_inclusive(start_date, end_date) -%}
    (date_diff('day', {{ start_date }}, {{ end_date }}) + 1)
{%- endmacro %}

{% macro spark__days_inclusive(start_date, end_date) -%}
    (datediff({{ end_date }}, {{ start_date }}) + 1)
{%- endmacro %}
