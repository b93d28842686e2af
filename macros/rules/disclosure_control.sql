{#-
    Disclosure control for everything that leaves the warehouse (domain.md, Privacy): the
    one macro the publication models (models/marts/publication) use for every count.

    `disclosed_count(count_column, partition_by=none, order_by=none, rounded=none)` is
    the count as it may be published, or null ("-") when it is withheld:

    1. Primary suppression: a count below `rounding_suppress_below` (5) is never shown,
       so no count from 1 to 4 (nor 0, which the report also prints as "-") leaves.
    2. Rounding as the report does (report_rounding.sql): from `rounding_coarse_from`
       (100) to the nearest `rounding_coarse_step` (50), below it to the nearest
       `rounding_fine_step` (10), half up. `rounded` replaces this with another rounded
       expression (a population to the nearest 1.000, Figur 2's steps to 50).
    3. Complementary suppression: `partition_by` (a list of columns) names the cells that
       add up to a total someone can see (a table row, or a column). When exactly one
       cell of such a group is suppressed, the smallest shown cell of the group (ties
       broken by `order_by`) is suppressed too, so the suppressed cell cannot be found
       by subtracting the shown cells from the total.

    Rounding alone already stops exact recovery: every shown cell and total is a
    multiple of 10 or 50, off by up to half a step, so total minus shown cells gives the
    suppressed cell only within a band of several times 5 - wider than the 1-4 it
    hides. The complementary rule makes the guarantee hold without that argument (e.g.
    should an analyst set the rounding steps to 1).
-#}
{% macro disclosed_count(count_column, partition_by=none, order_by=none, rounded=none) -%}
    {%- set below = var('rounding_suppress_below') -%}
    {%- set shown = rounded if rounded is not none
        else '(case when ' ~ count_column ~ ' >= ' ~ var('rounding_coarse_from')
            ~ ' then ' ~ round_half_up(count_column, var('rounding_coarse_step'))
            ~ ' else ' ~ round_half_up(count_column, var('rounding_fine_step')) ~ ' end)' -%}
    case
        when {{ count_column }} < {{ below }} then null
        {%- if partition_by %}
        {%- set partition = partition_by | join(', ') %}
        when sum(case when {{ count_column }} < {{ below }} then 1 else 0 end)
                over (partition by {{ partition }}) = 1
            and row_number() over (
                partition by {{ partition }}
                order by
                    case when {{ count_column }} < {{ below }} then 1 else 0 end,
                    {{ count_column }}
                    {%- if order_by %}, {{ order_by | join(', ') }}{% endif %}
            ) = 1
            then null
        {%- endif %}
        else cast({{ shown }} as integer)
    end
{%- endmacro %}


{#- A disclosed count as the report prints it: '-' when withheld, else Danish style. -#}
{% macro disclosed_text(disclosed_column) -%}
    case
        when {{ disclosed_column }} is null then '-'
        else {{ danish_integer(disclosed_column) }}
    end
{%- endmacro %}
