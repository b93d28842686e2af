{#-
    Generic test: a boolean SQL `expression` holds on every row of the model. Returns
    the rows where it is false; the test fails when any row is returned. A row where
    the expression evaluates to null is not returned (write `coalesce(...)` or an
    explicit `is not null` into the expression where null must fail). A `where` config
    restricts the rows that are checked.

    Usage, as a model-level data test:

        data_tests:
          - expression_is_true:
              arguments:
                expression: "faellesborgere <= population"
-#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
