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
