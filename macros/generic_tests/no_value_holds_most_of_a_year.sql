{#-
    Generic test, plausibility of a delivery: in no year does one value of the column
    hold the share in dbt var `max_share_var` or more of the year's rows (or, with
    `count_column`, of the year's sum of that column, for a model that already counts). Rows where the
    column is null are not counted. Judged only in years with at least
    `plausibility_min_faellesborgere` (dbt var) counted: a handful of citizens (a small
    test delivery) says nothing about a delivery. Returns one row per year and value at
    or above the share.

    Usage, as a column test (the share is a dbt var, so an analyst changes it in one place):

        - name: support_step
          data_tests:
            - no_value_holds_most_of_a_year:
                arguments:
                  max_share_var: max_share_on_one_step
-#}
{% test no_value_holds_most_of_a_year(model, column_name, max_share_var, count_column=none) %}

with

counted as (
    select
        year,
        {{ column_name }} as value,
        {% if count_column %}sum({{ count_column }}){% else %}count(*){% endif %} as counted
    from {{ model }}
    where {{ column_name }} is not null
    group by year, {{ column_name }}
),

shares as (
    select
        year,
        value,
        counted,
        sum(counted) over (partition by year) as counted_in_year
    from counted
)

select *
from shares
where counted_in_year >= {{ var('plausibility_min_faellesborgere') }}
    and counted >= {{ var(max_share_var) }} * counted_in_year

{% endtest %}
