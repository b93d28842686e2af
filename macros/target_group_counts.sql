{#-
    `int_bif__target_group_period_counts` by difference (docs/incremental.md). Its counts
    are sums over citizens of what each citizen's islands
    (`int_bif__target_group_island_bounds`) add to the cells of their characteristics
    (`int_bif__target_group_people`). After a monthly delivery, on DuckDB, it counts only
    the citizens whose islands or characteristics changed since it counted them: as it
    counted them (the islands and the characteristics that the two models replaced, kept
    by their pre-hooks: macros/replaced_rows.sql) and as they are now, and adds the
    difference to the cells.

    It counts every citizen anew (and says why in the log)
    - on a first build, with `--full-refresh`, and on Spark (a table there);
    - when the island bounds or the characteristics computed every citizen anew since it
      counted (their mark in the kept rows, or no kept rows at all);
    - as a citizen-level model after the island bounds (macros/citizen_restatement.sql):
      when a staged file it reflects was restaged, or its digest changed (its SQL, the vars
      of the ages it keeps, the report periods, the count rows, or the island bounds'
      digest).
-#}


{#- The vars the counts read: the ages of the citizens they keep. -#}
{% macro _target_group_counts_vars() %}
    {{ return(['target_group_min_age', 'target_group_max_age']) }}
{% endmacro %}


{#-
    Whether this build counts every citizen (`all`, with the reasons) or the changes
    (`changes`). The pre-hook and the body call it alike and see the same tables.
-#}
{% macro target_group_counts_plan(island_bounds, people, small_inputs=[]) %}
    {%- set plan = by_difference_plan(island_bounds, _target_group_counts_vars(), small_inputs) -%}
    {%- if plan.count == 'changes' and not replaced_rows_are_complete(people) -%}
        {{ return({'count': 'all', 'reasons': [people.identifier
            ~ ' computed every citizen anew since they were counted']}) }}
    {%- endif -%}
    {{ return(plan) }}
{% endmacro %}


{#-
    What the body reads when counting by difference: the citizens whose islands the
    island bounds replaced since, and those islands; the citizens whose characteristics
    the characteristics model replaced since, and those characteristics (none kept: an
    empty selection of the model).
-#}
{% macro target_group_counts_kept(island_bounds, people) %}
    {{ return({'citizens': replaced_citizens_relation(island_bounds),
        'islands': kept_replaced_rows(island_bounds),
        'people_citizens': replaced_citizens_relation(people),
        'people': kept_replaced_rows(people)}) }}
{% endmacro %}


{#- The pre-hook: logs how the build counts; empties the table to count every citizen. -#}
{% macro target_group_counts_pre_hook(island_bounds, people, small_inputs=[]) %}
    {{ return(by_difference_pre_hook(
        target_group_counts_plan(island_bounds, people, small_inputs),
        'the counts of the citizens whose islands (' ~ island_bounds.identifier
            ~ ') or characteristics (' ~ people.identifier
            ~ ') changed since it counted them')) }}
{% endmacro %}


{#-
    The post-hook, in the transaction that writes the counts: deletes the cells left with
    no person, empties the kept rows of the characteristics and of the island bounds
    (counted now) and records the staged files the counts reflect. It also drops the copy
    of every citizen's characteristics that the counts kept before the characteristics
    model kept the rows it replaces.
-#}
{% macro target_group_counts_post_hook(island_bounds, people, small_inputs=[]) %}
    {%- if execute and target.type != 'spark' -%}
        drop table if exists {{ api.Relation.create(database=target.database, schema='main',
            identifier=this.identifier ~ '__people') }};
        {{ consume_replaced_rows(people) }};
        {{ by_difference_post_hook(island_bounds, 'persons', _target_group_counts_vars(),
            small_inputs) }}
    {%- endif -%}
{% endmacro %}
