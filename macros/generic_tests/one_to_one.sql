{#-
    Generic test: the column and `other_column` are one-to-one in the model: each value
    of the column goes with one value of `other_column`, and each value of that with one
    of the column (on rows where both are set). Returns one row per value that goes with
    more than one (`n_values`); the test fails when any row is returned.

    Usage, as a column-level data test:

        data_tests:
          - one_to_one:
              arguments:
                other_column: person_key
-#}
{% test one_to_one(model, column_name, other_column) %}

with

pairs as (
    select distinct
        {{ column_name }} as this_value,
        {{ other_column }} as other_value
    from {{ model }}
    where {{ column_name }} is not null
        and {{ other_column }} is not null
),

this_side as (
    select
        'column' as side,
        cast(this_value as {{ dbt.type_string() }}) as shared_value,
        count(*) as n_values
    from pairs
    group by this_value
    having count(*) > 1
),

other_side as (
    select
        'other_column' as side,
        cast(other_value as {{ dbt.type_string() }}) as shared_value,
        count(*) as n_values
    from pairs
    group by other_value
    having count(*) > 1
),

final as (
    select * from this_side
    union all
    select * from other_side
)

select * from final

{% endtest %}
