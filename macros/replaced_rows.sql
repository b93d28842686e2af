{#-
    Rows a citizen-level incremental model replaced, kept for a model that follows it by
    difference (docs/incremental.md): `int_bif__target_group_period_counts` sums the
    islands of `int_bif__target_group_island_bounds` over every citizen, so after a
    monthly delivery it subtracts what the restated citizens' old islands added and adds
    what their new ones add, instead of summing every citizen again.

    Two tables in schema `main`, named after the model that replaces the rows:
    - `<model>__replaced_citizens` (`person_number`): the citizens the model restated
      since the follower last counted, and a row with a null `person_number` when the
      model computed every citizen anew (the follower then counts anew too);
    - `<model>__replaced`: the model's rows of those citizens as the follower counted
      them, the rows of each citizen's first restatement since: a citizen restated twice
      before the follower runs keeps the rows it counted.
    The model's pre-hook writes them (`restatement_pre_hook` with `keep_replaced`), in the
    transaction that deletes the rows; the follower's post-hook empties them, in the
    transaction that writes its counts. DuckDB only: on Spark both models are tables.

    A follower by difference (`int_bif__target_group_period_counts` after the island
    bounds, `int_bif__benefit_duration_ranges` after the support episodes) counts the
    changed citizens twice by its own steps, as counted (their kept rows, weight -1) and
    as they are now (weight 1), adds the sums to the rows of its table they change
    (`delete+insert` on the table's key) and deletes the rows left at 0
    (`by_difference_plan`, `by_difference_pre_hook`, `by_difference_post_hook`).
-#}


{% macro replaced_rows_relation(model_relation) %}
    {{ return(api.Relation.create(database=target.database, schema='main',
        identifier=model_relation.identifier ~ '__replaced')) }}
{% endmacro %}


{% macro replaced_citizens_relation(model_relation) %}
    {{ return(api.Relation.create(database=target.database, schema='main',
        identifier=model_relation.identifier ~ '__replaced_citizens')) }}
{% endmacro %}


{#- The mark that the model computes every citizen anew; no rows are needed then. -#}
{% macro keep_replaced_everyone(model_relation) -%}
    create table if not exists {{ replaced_citizens_relation(model_relation) }} (
        person_number bigint
    );
    delete from {{ replaced_citizens_relation(model_relation) }};
    insert into {{ replaced_citizens_relation(model_relation) }} values (null);
    drop table if exists {{ replaced_rows_relation(model_relation) }}
{%- endmacro %}


{#-
    Keeps the rows of the citizens (`citizens`: a query of their `person_number`) that the
    model is about to delete, unless a citizen's rows are kept already.
-#}
{% macro keep_replaced_citizens(model_relation, citizens) -%}
    {%- set kept_citizens = replaced_citizens_relation(model_relation) -%}
    {%- set kept_rows = replaced_rows_relation(model_relation) -%}
    create table if not exists {{ kept_citizens }} (
        person_number bigint
    );
    create table if not exists {{ kept_rows }} as
    select * from {{ model_relation }} limit 0;
    insert into {{ kept_rows }}
    select * from {{ model_relation }}
    where person_number in ({{ citizens }})
        and person_number not in (
            select person_number from {{ kept_citizens }} where person_number is not null
        );
    insert into {{ kept_citizens }}
    select distinct restated.person_number
    from ({{ citizens }}) as restated
    where restated.person_number not in (
        select person_number from {{ kept_citizens }} where person_number is not null
    )
{%- endmacro %}


{#- Whether schema `main` holds the table (not `adapter.get_relation`: dbt's cache does
    not see tables a hook created). -#}
{% macro table_exists_in_main(relation) %}
    {%- set found = run_query("select count(*) from information_schema.tables"
        ~ " where table_catalog = " ~ sql_string_literal(relation.database)
        ~ " and table_schema = 'main' and table_name = "
        ~ sql_string_literal(relation.identifier)) -%}
    {{ return(found.rows[0][0] > 0) }}
{% endmacro %}


{#-
    Whether the kept rows tell the follower every change since it counted: the table of
    citizens exists and holds no mark of a model computed anew.
-#}
{% macro replaced_rows_are_complete(model_relation) %}
    {%- set kept_citizens = replaced_citizens_relation(model_relation) -%}
    {%- if not table_exists_in_main(kept_citizens) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set marks = run_query('select count(*) from ' ~ kept_citizens
        ~ ' where person_number is null') -%}
    {{ return(marks.rows[0][0] == 0) }}
{% endmacro %}


{#- The follower's post-hook statements: it has counted every change kept. -#}
{% macro consume_replaced_rows(model_relation) -%}
    create table if not exists {{ replaced_citizens_relation(model_relation) }} (
        person_number bigint
    );
    delete from {{ replaced_citizens_relation(model_relation) }};
    drop table if exists {{ replaced_rows_relation(model_relation) }}
{%- endmacro %}


{#-
    Whether a follower by difference of `parent` counts every citizen (`all`, with the
    reasons) or the changes kept since it counted (`changes`). It counts every citizen on
    a first build, with `--full-refresh` and on Spark; when `parent` computed every
    citizen anew since; and, as a citizen-level model that follows `parent`
    (macros/citizen_restatement.sql), when a staged file it reflects was restaged or its
    digest changed (its SQL, `rule_vars`, `small_inputs`, the parent's digest). The
    pre-hook and the body call it alike and see the same tables.
-#}
{% macro by_difference_plan(parent, rule_vars=[], small_inputs=[]) %}
    {%- if not execute or this is none or target.type == 'spark' or not is_incremental() -%}
        {{ return({'count': 'all', 'reasons': []}) }}
    {%- endif -%}
    {#- a model that follows another reads its record, not the stg model (none) -#}
    {%- set plan = restatement_plan(none, parent, rule_vars, small_inputs) -%}
    {%- if plan.restate == 'all' -%}
        {{ return({'count': 'all', 'reasons': plan.reasons}) }}
    {%- endif -%}
    {%- if not replaced_rows_are_complete(parent) -%}
        {{ return({'count': 'all', 'reasons': [parent.identifier
            ~ ' computed every citizen anew since they were counted']}) }}
    {%- endif -%}
    {{ return({'count': 'changes', 'reasons': []}) }}
{% endmacro %}


{#-
    The kept rows of `parent`, or an empty selection of it when none are kept (the
    follower's post-hook drops the kept rows, and a follower built again before its parent
    finds none): a relation to follow `from`, which the caller names with an alias.
-#}
{% macro kept_replaced_rows(parent) %}
    {%- set kept = replaced_rows_relation(parent) -%}
    {%- if not table_exists_in_main(kept) -%}
        {{ return('(select * from ' ~ parent ~ ' where false)') }}
    {%- endif -%}
    {{ return(kept) }}
{% endmacro %}


{#-
    The follower's pre-hook: logs how the build counts (`plan`, from `by_difference_plan`;
    `changes_text` says what it counts by difference), and empties the table to count
    every citizen.
-#}
{% macro by_difference_pre_hook(plan, changes_text) %}
    {%- if execute and this is not none and target.type != 'spark' and is_incremental() -%}
        {%- if plan.count == 'all' -%}
            {{ log("Restating '" ~ this.identifier ~ "': every citizen, because "
                ~ plan.reasons | join('; '), info=true) }}
            delete from {{ this }}
        {%- else -%}
            {{ log("Restating '" ~ this.identifier ~ "': " ~ changes_text, info=true) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#-
    The follower's post-hook statements, in the transaction of its rows: deletes the rows
    left at 0 (`count_column`), empties `parent`'s kept rows (counted now) and records
    the staged files its rows reflect (`restatement_post_hook`).
-#}
{% macro by_difference_post_hook(parent, count_column, rule_vars=[], small_inputs=[]) %}
    {%- if execute and target.type != 'spark' -%}
        delete from {{ this }} where {{ count_column }} = 0;
        {{ consume_replaced_rows(parent) }};
        {{ restatement_post_hook(none, parent, rule_vars, small_inputs) }}
    {%- endif -%}
{% endmacro %}
