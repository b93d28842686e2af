{#-
    Generic test: the combination of `combination_of_columns` is unique in the model.
    Returns one row per duplicated combination, with the number of rows that share it
    (`n_records`); the test fails when any row is returned. Null values group together,
    so two rows that are equal except for both being null in a key column count as
    duplicates. A `where` config restricts the rows that are checked.

    Usage, as a model-level data test:

        data_tests:
          - unique_combination_of_columns:
              arguments:
                combination_of_columns: [year, person_key]
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{%- if combination_of_columns is string -%}
    {%- set combination_of_columns = [combination_of_columns] -%}
{%- endif -%}
{%- set columns_csv = combination_of_columns | join(', ') -%}

select
    {{ columns_csv }},
    count(*) as n_records
from {{ model }}
group by {{ columns_csv }}
having count(*) > 1

{% endtest %}
