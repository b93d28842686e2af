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


{#-
    Whether the kept rows tell the follower every change since it counted: the table of
    citizens exists and holds no mark of a model computed anew.
-#}
{% macro replaced_rows_are_complete(model_relation) %}
    {%- set kept_citizens = replaced_citizens_relation(model_relation) -%}
    {#- Not `adapter.get_relation`: dbt's cache does not see tables a hook created. -#}
    {%- set found = run_query("select count(*) from information_schema.tables"
        ~ " where table_catalog = " ~ sql_string_literal(kept_citizens.database)
        ~ " and table_schema = 'main' and table_name = "
        ~ sql_string_literal(kept_citizens.identifier)) -%}
    {%- if found.rows[0][0] == 0 -%}
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
