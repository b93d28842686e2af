{#-
    Untrusted text (a folder or file name, a value from a delivery) that must stand in SQL
    text goes through these macros: quoted so that no character of it can end the literal.
    The raw reader refuses, before, the names that cannot stand safely in a file reader's
    path (glob characters, backslash, backquote, control characters: raw_intake.py).
-#}

{#- A string literal: DuckDB (and standard SQL) double the quote character. -#}
{% macro sql_string_literal(value) %}
    {{ return(adapter.dispatch('sql_string_literal', 'faellesborger')(value)) }}
{% endmacro %}

{% macro default__sql_string_literal(value) %}
    {{ return("'" ~ (value | string).replace("'", "''") ~ "'") }}
{% endmacro %}

{#- Spark SQL string literals take backslash escapes: escape the backslash first. -#}
{% macro spark__sql_string_literal(value) %}
    {{ return("'" ~ (value | string).replace('\\', '\\\\').replace("'", "\\'") ~ "'") }}
{% endmacro %}

{#- Each of `values` as a string literal (`sql_string_literal`), in their order: a list. -#}
{% macro sql_string_literals(values) %}
    {%- set literals = [] -%}
    {%- for value in values -%}
        {%- do literals.append(sql_string_literal(value)) -%}
    {%- endfor -%}
    {{ return(literals) }}
{% endmacro %}


{#- A path as Spark's backquoted identifier (`binaryFile.`path``): a backquote is doubled. -#}
{% macro spark_path_identifier(path) %}
    {{ return('`' ~ (path | string).replace('`', '``') ~ '`') }}
{% endmacro %}
