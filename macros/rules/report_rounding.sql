{#-
    The report's disclosure rounding (Tabel 4 and Figur 2; docs/publication.md), in one place. The
    thresholds are dbt_project.yml vars, so an analyst changes them there:

    - `rounding_suppress_below` (5): counts below it are printed as "-";
    - `rounding_coarse_from` (100): counts from it are rounded to `rounding_coarse_step`
      (50), smaller ones to `rounding_fine_step` (10);
    - `rounding_population_step` (1000): a population cell is rounded to it;
    - `rounding_support_step_counts` (50): fællesborgere per step of Figur 2.

    Rounding is half up (5 -> 10, 95 -> 100, 125 -> 150). Plain SQL that DuckDB and
    Spark share: no engine-specific number formatting.
-#}


{#- `value` (a non-negative number) rounded half up to a multiple of `step`. -#}
{% macro round_half_up(value, step) -%}
    (cast(floor(({{ value }} + {{ step }} / 2.0) / {{ step }}) as integer) * {{ step }})
{%- endmacro %}


{#-
    A non-negative whole number as the report prints it, Danish style, with '.' as the
    thousands separator: 950 -> '950', 1100 -> '1.100', 139895 -> '139.895',
    1234567 -> '1.234.567'. Null stays null.
-#}
{% macro danish_integer(value) -%}
    case
        when ({{ value }}) >= 1000000 then
            cast(cast(floor(({{ value }}) / 1000000.0) as integer) as {{ dbt.type_string() }})
            || '.' || lpad(cast(cast(floor(({{ value }}) / 1000.0) as integer) % 1000
                as {{ dbt.type_string() }}), 3, '0')
            || '.' || lpad(cast(cast(({{ value }}) as integer) % 1000
                as {{ dbt.type_string() }}), 3, '0')
        when ({{ value }}) >= 1000 then
            cast(cast(floor(({{ value }}) / 1000.0) as integer) as {{ dbt.type_string() }})
            || '.' || lpad(cast(cast(({{ value }}) as integer) % 1000
                as {{ dbt.type_string() }}), 3, '0')
        else cast(cast(({{ value }}) as integer) as {{ dbt.type_string() }})
    end
{%- endmacro %}


{#-
    A count as the report rounds counts (Tabel 4, and every count of the publication,
    `disclosed_count` in disclosure_control.sql): from `rounding_coarse_from` to the
    nearest `rounding_coarse_step`, a smaller count to the nearest `rounding_fine_step`
    (so 0-4 give 0, which the printed value shows as "-").
-#}
{% macro rounded_count(count_column) -%}
    case
        when {{ count_column }} >= {{ var('rounding_coarse_from') }}
            then {{ round_half_up(count_column, var('rounding_coarse_step')) }}
        else {{ round_half_up(count_column, var('rounding_fine_step')) }}
    end
{%- endmacro %}


{#-
    The number a Tabel 4 cell is rounded to: a population (`is_population`, a boolean
    SQL expression) to the nearest `rounding_population_step`, a count as
    `rounded_count` rounds it.
-#}
{% macro tabel4_rounded_value(count_column, is_population) -%}
    case
        when {{ is_population }}
            then {{ round_half_up(count_column, var('rounding_population_step')) }}
        else {{ rounded_count(count_column) }}
    end
{%- endmacro %}


{#-
    A Tabel 4 cell as the report prints it (text): the rounded value in Danish style;
    "-" for a count below `rounding_suppress_below`; "ca. " before the value on the
    all-groups row (`is_total_row`), except in the population column, whose cells are
    the rounded population only ("3.000", "23.000"). `is_total_row` and `is_population`
    are boolean SQL expressions.
-#}
{% macro tabel4_published_value(count_column, is_total_row, is_population) -%}
    case
        when {{ is_population }}
            then {{ danish_integer(tabel4_rounded_value(count_column, 'true')) }}
        when {{ count_column }} < {{ var('rounding_suppress_below') }} then '-'
        when {{ is_total_row }}
            then 'ca. ' || {{ danish_integer(tabel4_rounded_value(count_column, 'false')) }}
        else {{ danish_integer(tabel4_rounded_value(count_column, 'false')) }}
    end
{%- endmacro %}


{#-
    Share in percent of `numerator` in `denominator` (null when it is 0), unrounded. In
    double precision on every engine: `100.0 * n` would be a decimal, which DuckDB divides
    as doubles but Spark as a decimal rounded to a few places.
-#}
{% macro share_pct_exact(numerator, denominator) -%}
    (100 * cast({{ numerator }} as double) / nullif({{ denominator }}, 0))
{%- endmacro %}


{#- The same share as a whole percent, as the report prints it ("23 pct."). -#}
{% macro share_pct(numerator, denominator) -%}
    cast(round({{ share_pct_exact(numerator, denominator) }}, 0) as integer)
{%- endmacro %}
