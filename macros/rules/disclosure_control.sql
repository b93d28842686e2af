{#-
    Disclosure control for everything that leaves the warehouse (docs/privacy.md, docs/publication.md): the
    one macro the publication models (models/marts/publication) use for every count.

    `disclosed_count(count_column, partition_by=none, order_by=none, rounded=none)` is
    the count as it may be published, or null ("-") when it is withheld:

    1. Primary suppression: a count below `rounding_suppress_below` (5) is never shown,
       so no count from 1 to 4 (nor 0, which the report also prints as "-") leaves.
    2. Rounding as the report does (macro `rounded_count` of report_rounding.sql): from
       `rounding_coarse_from` (100) to the nearest `rounding_coarse_step` (50), below it
       to the nearest `rounding_fine_step` (10), half up. `rounded` replaces this with another rounded
       expression (a population to the nearest 1.000, Figur 2's steps to 50).
    3. Complementary suppression: `partition_by` (a list of columns) names the cells that
       add up to a total someone can see (a table row, or a column). When exactly one
       cell of such a group is suppressed, the smallest shown cell of the group (ties
       broken by `order_by`) is suppressed too, so the suppressed cell cannot be found
       by subtracting the shown cells from the total.

    What protects a withheld cell is rounding, not the second suppression alone. With
    complementary suppression the two withheld cells of a group are known as a sum
    (visible total minus shown cells); which split of that sum is true stays open, but
    with exact counts it can be narrow: a sum of 5 from a withheld 0 and a
    complementary 5 reveals both. So complementary suppression alone, with rounding
    steps of 1, does not keep a withheld cell secret. Rounding makes
    the sum itself uncertain: every shown cell and every total is off by up to half a
    step, so once each step is at least twice `rounding_suppress_below` the sum is
    known only within a band at least as wide as the 0-4 a withheld cell hides. A
    rounding step below that is therefore refused at compile time
    (`check_disclosure_rounding()`), rather than publishing with a guarantee that does
    not hold.

    Parts and their totals (`disclosed_part`): a count that is part of another count
    of the same row (fællesborgere of a population, those in kanten of a step's
    fællesborgere) is rounded on its own, which could show more than its total (24 on a
    step rounds to 0 at 50, 10 of them in kanten round to 10). A part is therefore
    withheld when its total is withheld and capped at its total's shown value. This
    never leaves exactly one withheld part in a group: a total is withheld only when
    one of its group is below 5, and that total's part (no larger) is withheld too.
-#}


{#- Refuses rounding steps too small to protect a withheld cell (see above). -#}
{% macro check_disclosure_rounding() -%}
    {%- set least = 2 * var('rounding_suppress_below') -%}
    {%- for name in ['rounding_fine_step', 'rounding_coarse_step',
                     'rounding_population_step', 'rounding_support_step_counts'] -%}
        {%- if var(name) < least -%}
            {{ exceptions.raise_compiler_error(
                'var ' ~ name ~ ' = ' ~ var(name) ~ ' is below 2 x rounding_suppress_below ('
                ~ least ~ '): withheld cells could be recovered from the published totals '
                ~ '(macros/rules/disclosure_control.sql).') }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}


{% macro disclosed_count(count_column, partition_by=none, order_by=none, rounded=none) -%}
    {%- do check_disclosure_rounding() -%}
    {%- set below = var('rounding_suppress_below') -%}
    {#- The report's rounding of a count has one home: `rounded_count` (report_rounding.sql). -#}
    {%- set shown = rounded if rounded is not none
        else '(' ~ rounded_count(count_column) ~ ')' -%}
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


{#-
    A disclosed part (`part`, e.g. fællesborgere) of a disclosed total of the same row
    (`total`, e.g. the population): null when the total is withheld, never more than the
    total's shown value (see the header).
-#}
{% macro disclosed_part(part, total) -%}
    case
        when {{ total }} is null then null
        when {{ part }} > {{ total }} then {{ total }}
        else {{ part }}
    end
{%- endmacro %}


{#- A disclosed count as the report prints it: '-' when withheld, else Danish style. -#}
{% macro disclosed_text(disclosed_column) -%}
    case
        when {{ disclosed_column }} is null then '-'
        else {{ danish_integer(disclosed_column) }}
    end
{%- endmacro %}
