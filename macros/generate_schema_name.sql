{#-
    Custom schema names are used as they are (staging, intermediate, marts, reference),
    so BI tools find the marts in `marts` whatever the target's default schema is.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
