{#-
    The long format of computed figures: one `select ... union all` per entry of
    `figures`, each giving (period, metric, dimension_1, dimension_2, computed_value,
    computed_text) from its relation. An entry names `metric`, `relation` (a CTE of the
    calling model), `value` and `text` (SQL expressions), and optionally `period`
    (default: the year as text), `dimension_1` and `dimension_2` (default: null).
    Used by rpt_report_figures and rpt_bilag1a_figures; rpt_published_reconciliation
    matches the published figures against both on period, metric and dimensions.
-#}
{% macro computed_figures(figures) -%}
    {%- set text_type = dbt.type_string() -%}
    {%- set no_dimension = 'cast(null as ' ~ text_type ~ ')' -%}
    {%- for figure in figures %}
        select
            {{ figure.get('period', 'cast(year as ' ~ text_type ~ ')') }} as period,
            '{{ figure.metric }}' as metric,
            {{ figure.get('dimension_1', no_dimension) }} as dimension_1,
            {{ figure.get('dimension_2', no_dimension) }} as dimension_2,
            cast({{ figure.value }} as double) as computed_value,
            {{ figure.text }} as computed_text
        from {{ figure.relation }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
