{#-
    `int_bif__target_group_period_counts` by difference (docs/incremental.md). Its counts
    are sums over citizens of what each citizen's islands
    (`int_bif__target_group_island_bounds`) add to the cells of their characteristics
    (`int_bif__target_group_people`). After a monthly delivery, on DuckDB, it counts only
    the citizens whose islands or characteristics changed since it counted them: as it
    counted them (the islands the island bounds replaced, kept by their pre-hook:
    macros/replaced_rows.sql; the characteristics it counted, kept by its own post-hook
    in `main.<model>__people`) and as they are now, and adds the difference to the cells.

    It counts every citizen anew (and says why in the log)
    - on a first build, with `--full-refresh`, and on Spark (a table there);
    - when the island bounds computed every citizen anew since it counted (their mark in
      the kept rows, or no kept rows at all);
    - when it holds no record of the characteristics it counted;
    - as a citizen-level model after the island bounds (macros/citizen_restatement.sql):
      when a staged file it reflects was restaged, or its digest changed (its SQL, the vars
      of the ages it keeps, the report periods, the count rows, or the island bounds'
      digest).
-#}


{#- The vars the counts read: the ages of the citizens they keep. -#}
{% macro _target_group_counts_vars() %}
    {{ return(['target_group_min_age', 'target_group_max_age']) }}
{% endmacro %}


{#- The characteristics the model counted, per citizen (see the header). -#}
{% macro counted_people_relation() %}
    {{ return(api.Relation.create(database=target.database, schema='main',
        identifier=this.identifier ~ '__people')) }}
{% endmacro %}


{#-
    Whether this build counts every citizen (`all`, with the reasons) or the changes
    (`changes`). The pre-hook and the body call it alike and see the same tables.
-#}
{% macro target_group_counts_plan(island_bounds, small_inputs=[]) %}
    {%- set plan = by_difference_plan(island_bounds, _target_group_counts_vars(), small_inputs) -%}
    {%- if plan.count == 'changes' and not table_exists_in_main(counted_people_relation()) -%}
        {{ return({'count': 'all',
            'reasons': ['it holds no record of the characteristics it counted']}) }}
    {%- endif -%}
    {{ return(plan) }}
{% endmacro %}


{#-
    What the body reads when counting by difference: the characteristics counted, the
    citizens whose islands the island bounds replaced since, and those islands (none
    kept: an empty selection of the island bounds).
-#}
{% macro target_group_counts_kept(island_bounds) %}
    {{ return({'people': counted_people_relation(),
        'citizens': replaced_citizens_relation(island_bounds),
        'islands': kept_replaced_rows(island_bounds)}) }}
{% endmacro %}


{#- The pre-hook: logs how the build counts; empties the table to count every citizen. -#}
{% macro target_group_counts_pre_hook(island_bounds, people, small_inputs=[]) %}
    {{ return(by_difference_pre_hook(
        target_group_counts_plan(island_bounds, small_inputs),
        'the counts of the citizens whose islands (' ~ island_bounds.identifier
            ~ ') or characteristics (' ~ people.identifier
            ~ ') changed since it counted them')) }}
{% endmacro %}


{#-
    The post-hook, in the transaction that writes the counts: deletes the cells left with
    no person, keeps the characteristics counted, empties the island bounds' kept rows
    (counted now) and records the staged files the counts reflect.
-#}
{% macro target_group_counts_post_hook(island_bounds, people, small_inputs=[]) %}
    {%- if execute and target.type != 'spark' -%}
        create or replace table {{ counted_people_relation() }} as
        select
            person_number,
            sex,
            age_anchor_month,
            origin_group
        from {{ people }};
        {{ by_difference_post_hook(island_bounds, 'persons', _target_group_counts_vars(),
            small_inputs) }}
    {%- endif -%}
{% endmacro %}
