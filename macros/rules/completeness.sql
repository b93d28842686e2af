{#-
    The completeness rule (docs/rules.md#report-rules) in the publication: a period the
    delivery does not cover to its last day is a report period with too-low counts. Its
    flag has one home (`int_report_years.is_complete_year`, and from it
    `int_report_months.is_complete_month` and `int_report_periods.is_complete_period`);
    every report mart carries it, and the publication (models/marts/publication) leaves
    incomplete periods out unless var `publish_incomplete_periods` is true, in which case
    they are published with the flag false beside them (docs/publication.md).

    `published_period(flag_column)` is the condition a publication model's import CTE
    filters on.
-#}
{% macro published_period(flag_column) -%}
    {#- no parenthesis first: Spark reads `where (x)` after a table as an alias `where` with a column list -#}
    {%- if var('publish_incomplete_periods') | string | lower in ['true', '1', 'yes'] -%}
        {{ flag_column }} is not null
    {%- else -%}
        {{ flag_column }} = true
    {%- endif -%}
{%- endmacro %}
