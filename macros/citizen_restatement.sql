{#-
    Citizen-level incremental intermediate models (docs/incremental.md). A model whose
    rows of a citizen depend only on that citizen's staged rows (every rule that windows,
    groups or joins on `person_number` alone) need not be computed whole after a monthly
    delivery: on DuckDB it is incremental, and a build restates only the citizens of the
    ids that the new files name (in any file: a re-delivery may move an id to another
    CPR number, whose earlier citizen is restated too) and of the ids staging rechecks
    for an extraction date in the future. It deletes their rows and inserts them anew
    from their staged rows; every other citizen's rows stay.

    What a model's rows reflect is recorded in `main.restatement_state` (one row per
    model and staged file: the file's `file_fingerprint` and `settings_probe` from the
    stg model, and `model_digest`), written by the model's post-hook in the transaction
    that writes its rows. A model compares its record with its parent's, not with
    staging's: a model built alone (`--select`) after a new month would otherwise
    restate the month's citizens from a parent that has not seen it, and keep them stale
    once the parent has. So the first model of a chain records the stg model's files and
    each model after it copies its parent's record.

    A build restates every citizen (and says why in the log) when
    - the model has no record (a warehouse built before the record existed),
    - a file of its record is not in its parent's, or has another fingerprint or settings
      probe there (the stg model restaged every row: a reloaded file, another pseudonym
      key, a changed seed or var of staging),
    - its `model_digest` changed: the checksum of the model's SQL file, the seeds it
      refs, the vars it names (`rule_vars`), the columns it reads of the small models it
      reads whole (`small_inputs`, pairs of a model and its columns: the report years,
      which follow the deliveries' extraction dates), and its parent's digest (so a
      change of a model between it and staging reaches it too) or, for the first model
      of a chain, a hash of the stg rows quarantined for an extraction date in the
      future: when the days pass and staging uses such a row, its citizen is no longer
      among those the rows name, so every citizen is restated.
    A first build and `--full-refresh` compute the model whole, as does every build on
    Spark, where the models stay tables (parquet has no DELETE).

    The citizens are found once per build: the first model's pre-hook writes them to
    `main.restated_citizens` under the build's `invocation_id` and a key of what names
    them (the stg model, its id columns and the new files), and that model's delete and
    body, and every later model of the chain that restates the same files, read them
    there. The table keeps the latest build's citizens only (emptied on run start).
-#}


{#- The record's table (in schema `main`, beside `build_state`). -#}
{% macro restatement_state_relation() %}
    {{ return(api.Relation.create(
        database=target.database, schema='main', identifier='restatement_state')) }}
{% endmacro %}


{#- The citizens found in this build (see the header), beside the record. -#}
{% macro restated_citizens_relation() %}
    {{ return(api.Relation.create(
        database=target.database, schema='main', identifier='restated_citizens')) }}
{% endmacro %}


{#- The files a model's parent reflects: the stg model's, or the parent's record. -#}
{% macro _restatement_parent_files(staged_relation, parent) %}
    {%- if parent is none -%}
        {{ return('select distinct source_file, file_fingerprint, settings_probe from '
            ~ staged_relation) }}
    {%- endif -%}
    {{ return('select source_file, file_fingerprint, settings_probe from '
        ~ restatement_state_relation() ~ ' where model_name = '
        ~ sql_string_literal(parent.identifier)) }}
{% endmacro %}


{#- The model's digest (see the header); its parent's is read from the record. -#}
{% macro _restatement_digest(staged_relation, parent, rule_vars, small_inputs) %}
    {%- set parts = ['sql=' ~ model.checksum.checksum] -%}
    {%- for node_id in model.depends_on.nodes | sort if node_id.startswith('seed.') -%}
        {%- do parts.append(graph.nodes[node_id].name ~ '='
            ~ graph.nodes[node_id].checksum.checksum) -%}
    {%- endfor -%}
    {%- for name in rule_vars -%}
        {%- do parts.append(name ~ '=' ~ var(name)) -%}
    {%- endfor -%}
    {%- for relation, columns in small_inputs -%}
        {%- set rows = run_query('select distinct ' ~ columns | join(', ') ~ ' from '
            ~ relation) -%}
        {%- set texts = [] -%}
        {%- for row in rows.rows -%}
            {%- do texts.append(row.values() | join('|')) -%}
        {%- endfor -%}
        {%- do parts.append(relation.identifier ~ '=' ~ (texts | sort | join(';'))) -%}
    {%- endfor -%}
    {%- if parent is not none -%}
        {%- set found = run_query('select distinct model_digest from '
            ~ restatement_state_relation() ~ ' where model_name = '
            ~ sql_string_literal(parent.identifier)) -%}
        {%- do parts.append('parent=' ~ (found.rows | map('first') | sort | join(','))) -%}
    {%- else -%}
        {#- DuckDB's hash: the plan only runs on DuckDB (on Spark the models are tables). -#}
        {%- set future = run_query('select count(*), sum(hash(source_file, source_line))'
            ~ ' from ' ~ staged_relation ~ ' where rejection_reason = '
            ~ sql_string_literal(future_extraction_reason())) -%}
        {%- do parts.append('future=' ~ future.rows[0].values() | join(',')) -%}
    {%- endif -%}
    {{ return(local_md5(parts | join('\n'))) }}
{% endmacro %}


{#-
    Whether this build restates every citizen or the citizens of the new files:
    {restate: 'all' or 'citizens', reasons: [why all], new_files: [names]}. The pre-hook
    and the body call it alike and see the same tables.
-#}
{% macro restatement_plan(staged_relation, parent=none, rule_vars=[], small_inputs=[]) %}
    {#- A unit test renders the model without `this`: computed whole. -#}
    {%- if not execute or this is none or not is_incremental() -%}
        {{ return({'restate': 'all', 'reasons': [], 'new_files': []}) }}
    {%- endif -%}
    {%- set state = adapter.get_relation(database=target.database, schema='main',
        identifier='restatement_state') -%}
    {%- if state is none -%}
        {{ return({'restate': 'all', 'new_files': [],
            'reasons': ['it holds no record of the staged files it reflects']}) }}
    {%- endif -%}
    {%- set own = run_query('select source_file, file_fingerprint, settings_probe,'
        ~ ' model_digest from ' ~ state ~ ' where model_name = '
        ~ sql_string_literal(this.identifier)) -%}
    {%- set theirs = run_query(_restatement_parent_files(staged_relation, parent)) -%}
    {%- set parent_files = {} -%}
    {%- for row in theirs.rows -%}
        {%- do parent_files.update({row[0]: [row[1], row[2]]}) -%}
    {%- endfor -%}
    {%- set reasons = [] -%}
    {%- if not own.rows -%}
        {%- do reasons.append('it holds no record of the staged files it reflects') -%}
    {%- endif -%}
    {%- set digest = _restatement_digest(staged_relation, parent, rule_vars, small_inputs) -%}
    {%- set own_files = [] -%}
    {%- for row in own.rows -%}
        {%- do own_files.append(row[0]) -%}
        {%- if row[3] != digest and 'digest' not in reasons -%}
            {%- do reasons.append('digest') -%}
        {%- endif -%}
        {%- if row[0] is not none and parent_files.get(row[0]) != [row[1], row[2]]
            and 'restaged' not in reasons -%}
            {%- do reasons.append('restaged') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set texts = {
        'digest': 'its SQL, a seed, var or report calendar its rules read, or a model'
            ~ ' before it changed',
        'restaged': (parent.identifier if parent is not none else staged_relation.identifier)
            ~ ' restaged or recomputed every row since it was built',
    } -%}
    {%- set why = [] -%}
    {%- for reason in reasons -%}
        {%- do why.append(texts.get(reason, reason)) -%}
    {%- endfor -%}
    {%- set new_files = [] -%}
    {%- for name in parent_files.keys() | sort if name not in own_files -%}
        {%- do new_files.append(name) -%}
    {%- endfor -%}
    {{ return({'restate': 'all' if why else 'citizens', 'reasons': why,
        'new_files': [] if why else new_files}) }}
{% endmacro %}


{#-
    The search for the citizens a build restates, as `person_key`: those of every staged
    row of an id (`key_columns`) that a row of a file in the parent's record and not in
    the model's names, or that has a row quarantined for an extraction date in the
    future. Ids are compared as `reconciled_rows` compares them, a null equal to a null.
-#}
{% macro _restated_citizens_search(staged_relation, key_columns, parent=none) %}
    {%- set state = restatement_state_relation() -%}
    {%- set new_files_condition -%}
        new_rows.source_file not in (
            select source_file from {{ state }}
            where model_name = {{ sql_string_literal(this.identifier) }}
                and source_file is not null
        )
        {%- if parent is not none %}
        and new_rows.source_file in (
            select source_file from {{ state }}
            where model_name = {{ sql_string_literal(parent.identifier) }}
        )
        {%- endif %}
    {%- endset -%}
    select distinct restated.person_key
    from {{ staged_relation }} as restated
    inner join (
        {{ named_ids(staged_relation, new_files_condition, staged_relation, key_columns) }}
    ) as named
        on {{ same_ids('restated', 'named', key_columns) }}
{% endmacro %}


{#-
    What names a build's citizens, for `main.restated_citizens`: the stg model, its id
    columns and the new files (`plan.new_files`). Models that restate the same files of
    the same stg model restate the same citizens.
-#}
{% macro _restated_citizens_key(staged_relation, key_columns, new_files) %}
    {{ return(local_md5(staged_relation.identifier ~ '|' ~ key_columns | join(',') ~ '|'
        ~ new_files | sort | join(','))) }}
{% endmacro %}


{#-
    The pre-hook's statement that finds the citizens once per build: writes them to
    `main.restated_citizens`, with a row of no citizen that marks the key as found, or
    nothing (`select 1`) when a model before it in this build has (a query of its own
    when the hook is rendered, so that the statement of a later model holds no search
    at all). Two models that run side by side may both write them: the rows are the
    same, and read as a set.
-#}
{% macro _write_restated_citizens(staged_relation, key_columns, parent, new_files) %}
    {%- set found = restated_citizens_relation() -%}
    {%- set key = _restated_citizens_key(staged_relation, key_columns, new_files) -%}
    {%- set written = run_query('select count(*) from ' ~ found
        ~ ' where invocation_id = ' ~ sql_string_literal(invocation_id)
        ~ ' and citizens_key = ' ~ sql_string_literal(key)) -%}
    {%- if written.rows[0][0] > 0 -%}
        select 1
    {%- else -%}
    insert into {{ found }} (invocation_id, citizens_key, person_key)
    select {{ sql_string_literal(invocation_id) }}, {{ sql_string_literal(key) }}, person_key
    from (
        {{ _restated_citizens_search(staged_relation, key_columns, parent) }}
        union all
        select null as person_key
    ) as citizens
    {%- endif -%}
{% endmacro %}


{#-
    The citizens a build restates, as `person_number` (or `person_key`, `identity`). In
    a run or build, those the pre-hook wrote (`_write_restated_citizens`); elsewhere
    (`dbt compile`, `dbt show`, where no pre-hook runs) the search itself.
-#}
{% macro restated_citizens(staged_relation, key_columns, parent=none,
        identity='person_number', new_files=[]) %}
    {%- if flags.WHICH in ['run', 'build'] -%}
        {%- set key = _restated_citizens_key(staged_relation, key_columns, new_files) -%}
        {%- set citizens -%}
            select person_key
            from {{ restated_citizens_relation() }}
            where invocation_id = {{ sql_string_literal(invocation_id) }}
                and citizens_key = {{ sql_string_literal(key) }}
                and person_key is not null
        {%- endset -%}
    {%- else -%}
        {%- set citizens = _restated_citizens_search(staged_relation, key_columns, parent) -%}
    {%- endif -%}
    select
        {%- if identity == 'person_key' %}
        restated_keys.person_key
        {%- else %}
        {{ person_number('restated_keys.person_key') }} as person_number
        {%- endif %}
    from (
        {{ citizens }}
    ) as restated_keys
{% endmacro %}


{#-
    The condition a model's import CTE adds to read only the restated citizens' rows:
    `column` (a `person_number`, or a `person_key` with `identity='person_key'`) is one
    of theirs; `true` when the build restates every citizen (see `restatement_plan`).
-#}
{% macro restated_citizens_only(column, staged_relation, key_columns, parent=none,
        rule_vars=[], small_inputs=[], identity='person_number') %}
    {%- set plan = restatement_plan(staged_relation, parent, rule_vars, small_inputs) -%}
    {%- if plan.restate == 'all' -%}
        {{ return('true') }}
    {%- endif -%}
    {{ return(column ~ ' in (' ~ restated_citizens(
        staged_relation, key_columns, parent, identity, plan.new_files) ~ ')') }}
{% endmacro %}


{#-
    The pre-hook: logs what the build restates, finds those citizens (once per build and
    key: `_write_restated_citizens`) and deletes their rows (every row when it restates
    every citizen). File names go to the log, never their contents. With `keep_replaced`,
    the rows it deletes are kept first for a model that follows this one by difference
    (macros/replaced_rows.sql): those of the citizens it restates, or a mark that it
    computes every citizen anew (also on a first build and with `--full-refresh`).
-#}
{% macro restatement_pre_hook(staged_relation, key_columns, parent=none, rule_vars=[],
        small_inputs=[], keep_replaced=false) %}
    {%- if execute and this is not none and target.type != 'spark' -%}
        {%- if not is_incremental() -%}
            {%- if keep_replaced -%}
                {{ keep_replaced_everyone(this) }}
            {%- endif -%}
        {%- else -%}
            {%- set plan = restatement_plan(staged_relation, parent, rule_vars, small_inputs) -%}
            {%- if plan.restate == 'all' -%}
                {{ log("Restating '" ~ this.identifier ~ "': every citizen, because "
                    ~ plan.reasons | join('; '), info=true) }}
                {%- if keep_replaced %}
                {{ keep_replaced_everyone(this) }};
                {%- endif %}
                delete from {{ this }}
            {%- else -%}
                {{ log("Restating '" ~ this.identifier ~ "': the citizens of the ids named by "
                    ~ plan.new_files | length ~ " new file(s)"
                    ~ (" (" ~ plan.new_files | join(', ') ~ ")" if plan.new_files else "")
                    ~ " and of those with an extraction date in the future", info=true) }}
                {%- set citizens = restated_citizens(
                    staged_relation, key_columns, parent, new_files=plan.new_files) %}
                {{ _write_restated_citizens(staged_relation, key_columns, parent, plan.new_files) }};
                {%- if keep_replaced %}
                {{ keep_replaced_citizens(this, citizens) }};
                {%- endif %}
                delete from {{ this }}
                where person_number in ({{ citizens }})
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#-
    The record's table and that of the build's citizens, created on run start
    (dbt_project.yml), before the models that write them run side by side: DuckDB
    refuses two transactions that both create one. The citizens' table is emptied: it
    holds one build's.
-#}
{% macro create_restatement_state() %}
    {%- if execute and target.type != 'spark'
        and flags.WHICH in ['run', 'build', 'seed', 'snapshot'] -%}
        {%- do run_query('create schema if not exists main') -%}
        {%- do run_query('create table if not exists ' ~ restatement_state_relation() ~ ' ('
            ~ 'model_name varchar, source_file varchar, file_fingerprint varchar,'
            ~ ' settings_probe varchar, model_digest varchar)') -%}
        {%- do run_query('create table if not exists ' ~ restated_citizens_relation() ~ ' ('
            ~ 'invocation_id varchar, citizens_key varchar, person_key varchar)') -%}
        {%- do run_query('delete from ' ~ restated_citizens_relation()) -%}
        {%- do adapter.commit() -%}
    {%- endif -%}
    select 1
{% endmacro %}


{#- The post-hook: records what the model's rows now reflect (see the header). -#}
{% macro restatement_post_hook(staged_relation, parent=none, rule_vars=[], small_inputs=[]) %}
    {%- if execute and target.type != 'spark' -%}
        {%- set state = restatement_state_relation() -%}
        {%- set digest = _restatement_digest(staged_relation, parent, rule_vars, small_inputs) -%}
        delete from {{ state }} where model_name = {{ sql_string_literal(this.identifier) }};
        insert into {{ state }}
        select
            {{ sql_string_literal(this.identifier) }},
            parent_files.source_file,
            parent_files.file_fingerprint,
            parent_files.settings_probe,
            {{ sql_string_literal(digest) }}
        from ({{ _restatement_parent_files(staged_relation, parent) }}) as parent_files;
        insert into {{ state }}
        select
            {{ sql_string_literal(this.identifier) }},
            null,
            null,
            null,
            {{ sql_string_literal(digest) }}
        where not exists (
            select 1 from {{ state }}
            where model_name = {{ sql_string_literal(this.identifier) }}
        )
    {%- endif -%}
{% endmacro %}
