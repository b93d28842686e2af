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


{% macro _table_exists_in_main(relation) %}
    {#- Not `adapter.get_relation`: dbt's cache does not see tables a hook created. -#}
    {%- set found = run_query("select count(*) from information_schema.tables"
        ~ " where table_catalog = " ~ sql_string_literal(relation.database)
        ~ " and table_schema = 'main' and table_name = "
        ~ sql_string_literal(relation.identifier)) -%}
    {{ return(found.rows[0][0] > 0) }}
{% endmacro %}


{#-
    Whether this build counts every citizen (`all`, with the reasons) or the changes
    (`changes`). The pre-hook and the body call it alike and see the same tables.
-#}
{% macro target_group_counts_plan(island_bounds, small_inputs=[]) %}
    {%- if not execute or this is none or target.type == 'spark' or not is_incremental() -%}
        {{ return({'count': 'all', 'reasons': []}) }}
    {%- endif -%}
    {#- a model that follows another reads its record, not the stg model (none) -#}
    {%- set plan = restatement_plan(none, island_bounds,
        _target_group_counts_vars(), small_inputs) -%}
    {%- if plan.restate == 'all' -%}
        {{ return({'count': 'all', 'reasons': plan.reasons}) }}
    {%- endif -%}
    {%- if not replaced_rows_are_complete(island_bounds) -%}
        {{ return({'count': 'all', 'reasons': [island_bounds.identifier
            ~ ' computed every citizen anew since they were counted']}) }}
    {%- endif -%}
    {%- if not _table_exists_in_main(counted_people_relation()) -%}
        {{ return({'count': 'all',
            'reasons': ['it holds no record of the characteristics it counted']}) }}
    {%- endif -%}
    {{ return({'count': 'changes', 'reasons': []}) }}
{% endmacro %}


{#-
    What the body reads when counting by difference: the characteristics counted, the
    citizens whose islands the island bounds replaced since, and those islands (none
    kept: an empty selection of the island bounds).
-#}
{% macro target_group_counts_kept(island_bounds) %}
    {%- set islands = replaced_rows_relation(island_bounds) -%}
    {%- if not _table_exists_in_main(islands) -%}
        {%- set islands = '(select * from ' ~ island_bounds ~ ' where false) as no_kept_islands' -%}
    {%- endif -%}
    {{ return({'people': counted_people_relation(),
        'citizens': replaced_citizens_relation(island_bounds),
        'islands': islands}) }}
{% endmacro %}


{#- The pre-hook: logs how the build counts; empties the table to count every citizen. -#}
{% macro target_group_counts_pre_hook(island_bounds, people, small_inputs=[]) %}
    {%- if execute and this is not none and target.type != 'spark' and is_incremental() -%}
        {%- set plan = target_group_counts_plan(island_bounds, small_inputs) -%}
        {%- if plan.count == 'all' -%}
            {{ log("Restating '" ~ this.identifier ~ "': every citizen, because "
                ~ plan.reasons | join('; '), info=true) }}
            delete from {{ this }}
        {%- else -%}
            {{ log("Restating '" ~ this.identifier ~ "': the counts of the citizens whose"
                ~ " islands (" ~ island_bounds.identifier ~ ") or characteristics ("
                ~ people.identifier ~ ") changed since it counted them", info=true) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#-
    The post-hook, in the transaction that writes the counts: deletes the cells left with
    no person, keeps the characteristics counted, empties the island bounds' kept rows
    (counted now) and records the staged files the counts reflect.
-#}
{% macro target_group_counts_post_hook(island_bounds, people, small_inputs=[]) %}
    {%- if execute and target.type != 'spark' -%}
        delete from {{ this }} where persons = 0;
        create or replace table {{ counted_people_relation() }} as
        select
            person_number,
            sex,
            age_anchor_month,
            origin_group
        from {{ people }};
        {{ consume_replaced_rows(island_bounds) }};
        {{ restatement_post_hook(none, island_bounds, _target_group_counts_vars(),
            small_inputs) }}
    {%- endif -%}
{% endmacro %}
