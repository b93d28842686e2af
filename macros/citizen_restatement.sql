{#-
    Citizen-level incremental intermediate models (docs/incremental.md). A model whose
    rows of a citizen depend only on that citizen's staged rows (every rule that windows,
    groups or joins on `person_number` alone) need not be computed whole after a monthly
    delivery: on DuckDB it is incremental, and a build restates only the citizens of the
    ids that the new files name (in any file: a re-delivery may move an id to another
    CPR number, whose earlier citizen is restated too) and of the ids staging rechecks
    for an extraction date in the future. It deletes their rows and inserts them anew
    from their staged rows; every other citizen's rows stay.

    A chain starts at one or more stg models (`citizen_source`: the BIF spells; the SOF
    grants and custody relations, `macros/citizen_sources.sql`). What a model's rows
    reflect is recorded in `main.restatement_state` (one row per model and staged file:
    the file's `file_fingerprint` and `settings_probe` from the stg model's own record
    there, macros/raw/incremental_stg.sql, and `model_digest`), written by the model's
    post-hook in the transaction that writes its rows. A model compares its record with
    its parents', not with staging's: a model built alone (`--select`) after a new month
    would otherwise restate the month's citizens from a parent that has not seen it, and
    keep them stale once the parent has.
    So the first model of a chain records the stg models' files and each model after it
    copies its parents' records (one parent per chain it follows; and the files of a stg
    model it reads itself, a `direct` source).

    A build restates every citizen (and says why in the log) when
    - the model has no record (a warehouse built before the record existed),
    - a file of its record is not in its parents', or has another fingerprint or settings
      probe there (the stg model restaged every row: a reloaded file, another pseudonym
      key, a changed seed or var of staging),
    - its `model_digest` changed: the checksum of the model's SQL file, the seeds it
      refs, the vars it names (`rule_vars`), the columns it reads of the small models it
      reads whole (`small_inputs`, pairs of a model and its columns: the report years,
      which follow the deliveries' extraction dates), and its parents' digests (so a
      change of a model between it and staging reaches it too) and, for the stg models it
      reads itself, a hash of the stg rows quarantined for an extraction date in the
      future: when the days pass and staging uses such a row, its citizen is no longer
      among those the rows name, so every citizen is restated,
    - it names its stg models by text (it cannot search them) and a key of citizens it
      needs was not written earlier in the same build.
    A first build and `--full-refresh` compute the model whole, as does every build on
    Spark, where the models stay tables (parquet has no DELETE).

    The citizens are found once per build: the first model of a chain writes them to
    `main.restated_citizens` under the build's `invocation_id` and a key per new file
    (and one per stg model for the rows quarantined for a future extraction date), and
    that model's delete and body, and every later model that restates the same files,
    whichever chains it follows, read them there. The table keeps the latest build's
    citizens only (emptied on run start).
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


{#-
    A source of a chain's citizens: a stg model whose rows name citizens in
    `person_columns`, by ids `key_columns`. With `related` ([relation, from column, to
    column]), the citizens it names bring along those that rows of the relation relate
    them to (a child's grant restates the custody holders: `sof_citizen_sources`). A
    model that only follows parents may name the stg model by its name, a text: it never
    searches it, and reads the citizens that the chain's first models found in this build
    (a model that reads a stg model only to search it would be one more child of it). A
    model that follows parents and also reads a stg model itself (`direct`: the citizens'
    characteristics read the person register) follows that stg model's files as the first
    model of a chain does.
-#}
{% macro citizen_source(staged, key_columns, person_columns=['person_key'], related=none,
        direct=false) %}
    {{ return({
        'relation': none if staged is string else staged,
        'name': staged if staged is string else staged.identifier,
        'keys': key_columns,
        'persons': person_columns,
        'related': related,
        'direct': direct,
    }) }}
{% endmacro %}


{#- The sources of a model's citizens: one stg model and its ids, or `citizen_source`s. -#}
{% macro _restatement_sources(staged_relation, key_columns) %}
    {%- if staged_relation is none -%}
        {{ return([]) }}
    {%- elif staged_relation.identifier is defined -%}
        {{ return([citizen_source(staged_relation, key_columns)]) }}
    {%- endif -%}
    {{ return(staged_relation) }}
{% endmacro %}


{#- A model's parents: none, one model, or one model per chain it follows. -#}
{% macro _restatement_parents(parent) %}
    {%- if parent is none -%}
        {{ return([]) }}
    {%- elif parent.identifier is defined -%}
        {{ return([parent]) }}
    {%- endif -%}
    {{ return(parent) }}
{% endmacro %}


{#- The names, as SQL literals, of a model's parents. -#}
{% macro _restatement_parent_names(parents) %}
    {{ return(sql_string_literals(parents | map(attribute='identifier')) | join(', ')) }}
{% endmacro %}


{#-
    The files a model's parents reflect: the stg models' records of what they staged
    (`incremental_stg_post_hook`), or the parents' records (the files of every chain it
    follows; a parent's row of no file only when it is the one).
-#}
{% macro _restatement_parent_files(staged_relation, parent) %}
    {%- set parents = _restatement_parents(parent) -%}
    {%- set selects = [] -%}
    {%- for source in _restatement_direct_sources(staged_relation, parent) -%}
        {%- do selects.append('select distinct source_file, file_fingerprint, settings_probe'
            ~ ' from ' ~ restatement_state_relation() ~ ' where model_name = '
            ~ sql_string_literal(source.relation.identifier)
            ~ ' and source_file is not null') -%}
    {%- endfor -%}
    {%- if parents -%}
        {%- do selects.append('select distinct source_file, file_fingerprint, settings_probe'
            ~ ' from ' ~ restatement_state_relation() ~ ' where model_name in ('
            ~ _restatement_parent_names(parents) ~ ')'
            ~ (' and source_file is not null' if parents | length > 1 or selects else '')) -%}
    {%- endif -%}
    {{ return(selects | join(' union ')) }}
{% endmacro %}


{#- The sources whose stg rows a model reads itself: every one for the first model of a
    chain, the `direct` ones for a model that follows parents. -#}
{% macro _restatement_direct_sources(staged_relation, parent) %}
    {%- set parents = _restatement_parents(parent) -%}
    {%- set direct = [] -%}
    {%- for source in _restatement_sources(staged_relation, [])
        if source.relation is not none and (source.direct or not parents) -%}
        {%- do direct.append(source) -%}
    {%- endfor -%}
    {{ return(direct) }}
{% endmacro %}


{#- The model's digest (see the header); its parents' are read from the record. -#}
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
    {%- set parents = _restatement_parents(parent) -%}
    {%- if parents -%}
        {%- set found = run_query('select distinct '
            ~ ('model_digest' if parents | length == 1 else "model_name || '=' || model_digest")
            ~ ' from ' ~ restatement_state_relation() ~ ' where model_name in ('
            ~ _restatement_parent_names(parents) ~ ')') -%}
        {%- do parts.append('parent=' ~ (found.rows | map('first') | sort | join(','))) -%}
    {%- endif -%}
    {%- set direct = _restatement_direct_sources(staged_relation, parent) -%}
    {%- for source in direct -%}
        {#- DuckDB's hash: the plan only runs on DuckDB (on Spark the models are tables). -#}
        {%- set future = run_query('select count(*), sum(hash(source_file, source_line))'
            ~ ' from ' ~ source.relation ~ ' where rejection_reason = '
            ~ sql_string_literal(future_extraction_reason())) -%}
        {%- do parts.append(('future=' if direct | length == 1 and not parents else 'future '
            ~ source.name ~ '=') ~ future.rows[0].values() | join(',')) -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join('\n'))) }}
{% endmacro %}


{#-
    The keys under which `main.restated_citizens` holds the citizens a model restates
    for its new files (see the header): one per new file (the citizens of the ids its
    rows name) and one per source (those of the ids it quarantines for an extraction
    date in the future). Every model that needs the citizens of a file reads them under
    the same key, whichever model found them.
-#}
{% macro _restated_citizens_keys(sources, new_files) %}
    {%- set keys = [] -%}
    {%- for name in new_files | sort -%}
        {%- do keys.append({'key': local_md5('file|' ~ name), 'file': name, 'source': none}) -%}
    {%- endfor -%}
    {%- for source in sources -%}
        {%- do keys.append({'key': local_md5('future|' ~ source.name), 'file': none,
            'source': source.name}) -%}
    {%- endfor -%}
    {{ return(keys) }}
{% endmacro %}


{#- The keys of `keys` that a model before this one in this build wrote. -#}
{% macro _written_citizens_keys(keys) %}
    {%- if not keys -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set literals = sql_string_literals(keys | map(attribute='key')) -%}
    {%- set written = run_query('select distinct citizens_key from '
        ~ restated_citizens_relation() ~ ' where invocation_id = '
        ~ sql_string_literal(invocation_id) ~ ' and citizens_key in ('
        ~ literals | join(', ') ~ ')') -%}
    {{ return(written.rows | map('first') | list) }}
{% endmacro %}


{#-
    Whether this build restates every citizen or the citizens of the new files:
    {restate: 'all' or 'citizens', reasons: [why all], new_files: [names], keys: [the
    citizens' keys]}. The pre-hook and the body call it alike and see the same tables. A
    model that cannot search a source for its citizens (named by text) restates every
    citizen when a key it needs was not written in this build.
-#}
{% macro restatement_plan(staged_relation, parent=none, rule_vars=[], small_inputs=[]) %}
    {#- A unit test renders the model without `this`: computed whole. -#}
    {%- if not execute or this is none or not is_incremental() -%}
        {{ return({'restate': 'all', 'reasons': [], 'new_files': [], 'keys': []}) }}
    {%- endif -%}
    {%- set state = adapter.get_relation(database=target.database, schema='main',
        identifier='restatement_state') -%}
    {%- if state is none -%}
        {{ return({'restate': 'all', 'new_files': [], 'keys': [],
            'reasons': ['it holds no record of the staged files it reflects']}) }}
    {%- endif -%}
    {%- set own = run_query('select source_file, file_fingerprint, settings_probe,'
        ~ ' model_digest from ' ~ state ~ ' where model_name = '
        ~ sql_string_literal(this.identifier)) -%}
    {%- set theirs = run_query(_restatement_parent_files(staged_relation, parent)) -%}
    {%- set reasons = [] -%}
    {%- set parent_files = {} -%}
    {%- for row in theirs.rows -%}
        {%- if row[0] in parent_files and parent_files[row[0]] != [row[1], row[2]] -%}
            {#- two parents reflect one file as staged differently -#}
            {%- do reasons.append('restaged') -%}
        {%- endif -%}
        {%- do parent_files.update({row[0]: [row[1], row[2]]}) -%}
    {%- endfor -%}
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
    {%- set parents = _restatement_parents(parent) -%}
    {%- set sources = _restatement_sources(staged_relation, []) -%}
    {%- set followed = [] -%}
    {%- for each in (parents if parents else sources) -%}
        {%- do followed.append(each.identifier if parents else each.name) -%}
    {%- endfor -%}
    {%- set texts = {
        'digest': 'its SQL, a seed, var or report calendar its rules read, or a model'
            ~ ' before it changed',
        'restaged': followed | join(' or ')
            ~ ' restaged or recomputed every row since it was built',
    } -%}
    {%- set why = [] -%}
    {%- for reason in reasons | unique -%}
        {%- do why.append(texts.get(reason, reason)) -%}
    {%- endfor -%}
    {%- set new_files = [] -%}
    {%- for name in parent_files.keys() | sort if name not in own_files -%}
        {%- do new_files.append(name) -%}
    {%- endfor -%}
    {%- set keys = [] if why else _restated_citizens_keys(sources, new_files) -%}
    {%- if keys and sources | selectattr('relation', 'none') | list -%}
        {%- set written = _written_citizens_keys(keys)
            if flags.WHICH in ['run', 'build'] else [] -%}
        {%- set missing = keys | rejectattr('key', 'in', written) | list -%}
        {%- if missing and not _searchable_keys(sources, missing) -%}
            {%- do why.append('the citizens of its new files were not found earlier in this'
                ~ ' build (the models that search the staged rows for them did not run)') -%}
        {%- endif -%}
    {%- endif -%}
    {{ return({'restate': 'all' if why else 'citizens', 'reasons': why,
        'new_files': [] if why else new_files, 'keys': [] if why else keys}) }}
{% endmacro %}


{#-
    Whether the model can search its sources for the citizens under each of the keys: a
    stg model it names by relation holds the key's file, or is the key's source.
-#}
{% macro _searchable_keys(sources, keys) %}
    {%- set searchable = sources | rejectattr('relation', 'none') | list -%}
    {%- set names = searchable | map(attribute='name') | list -%}
    {%- set files = sql_string_literals(keys | map(attribute='file') | reject('none')) -%}
    {%- set held = [] -%}
    {%- if files -%}
        {%- for source in searchable -%}
            {%- set found = run_query('select distinct source_file from ' ~ source.relation
                ~ ' where source_file in (' ~ files | join(', ') ~ ')') -%}
            {%- do held.extend(found.rows | map('first') | list) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for each in keys -%}
        {%- if (each.file is not none and each.file not in held)
            or (each.file is none and each.source not in names) -%}
            {{ return(false) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(true) }}
{% endmacro %}


{#-
    The citizens under one key (`_restated_citizens_keys`), as `person_key`: those named
    by the rows of the file (`file`), or quarantined for an extraction date in the
    future (`source`, a source's name), in every source that can be searched, each with
    the citizens its `related` rows relate them to. Ids are compared as
    `reconciled_rows` compares them, a null equal to a null.
-#}
{% macro _restated_citizens_search(sources, file=none, source_name=none) %}
    {%- set selects = [] -%}
    {%- for source in sources
        if source.relation is not none and (file is not none or source.name == source_name) -%}
        {%- set named -%}
            select {{ source['keys'] | join(', ') }}
            from {{ source.relation }} as named_rows
            where
            {%- if file is not none %} named_rows.source_file = {{ sql_string_literal(file) }}
            {%- else %} named_rows.rejection_reason
                = {{ sql_string_literal(future_extraction_reason()) }}
            {%- endif %}
        {%- endset -%}
        {%- set persons = [] -%}
        {%- for column in source.persons -%}
            {%- set person -%}
            select distinct restated.{{ column }} as person_key
            from {{ source.relation }} as restated
            inner join ({{ named }}) as named
                on {{ same_ids('restated', 'named', source['keys']) }}
            {%- endset -%}
            {%- do persons.append(person) -%}
        {%- endfor -%}
        {%- if source.related is none -%}
            {%- do selects.append(persons | join('\nunion\n')) -%}
        {%- else -%}
            {%- set relation, from_column, to_column = source.related -%}
            {%- set related -%}
            select person_key from (
                with found as (
                    {{ persons | join('\nunion\n') }}
                )
                select person_key from found
                union
                select related.{{ to_column }} as person_key
                from {{ relation }} as related
                where related.{{ from_column }} in (select person_key from found)
            ) as found_and_related
            {%- endset -%}
            {%- do selects.append(related) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not selects -%}
        {{ return('select cast(null as ' ~ dbt.type_string() ~ ') as person_key where false') }}
    {%- endif -%}
    {{ return(selects | join('\nunion\n')) }}
{% endmacro %}


{#-
    The pre-hook's statements that find the citizens once per build and key: write them
    to `main.restated_citizens`, with a row of no citizen that marks the key as found, for
    each key no model before it in this build has written (a query of its own when the
    hook is rendered, so that the statement of a later model holds no search at all), or
    nothing (`select 1`). Two models that run side by side may both write a key: the rows
    are the same, and read as a set.
-#}
{% macro _write_restated_citizens(sources, keys) %}
    {%- set found = restated_citizens_relation() -%}
    {%- set written = _written_citizens_keys(keys) -%}
    {%- set statements = [] -%}
    {%- for each in keys if each.key not in written -%}
        {%- set statement -%}
    insert into {{ found }} (invocation_id, citizens_key, person_key)
    select {{ sql_string_literal(invocation_id) }}, {{ sql_string_literal(each.key) }}, person_key
    from (
        {{ _restated_citizens_search(sources, each.file, each.source) }}
        union all
        select null as person_key
    ) as citizens
        {%- endset -%}
        {%- do statements.append(statement) -%}
    {%- endfor -%}
    {{ return(statements | join(';\n') if statements else 'select 1') }}
{% endmacro %}


{#-
    The citizens a build restates, as `person_number` (or `person_key`, `identity`). In
    a run or build, those written under the plan's keys (`_write_restated_citizens`);
    elsewhere (`dbt compile`, `dbt show`, where no pre-hook runs) the search itself.
-#}
{% macro restated_citizens(staged_relation, key_columns, identity='person_number', keys=[]) %}
    {%- if flags.WHICH in ['run', 'build'] -%}
        {%- set literals = sql_string_literals(keys | map(attribute='key')) -%}
        {%- set citizens -%}
            select person_key
            from {{ restated_citizens_relation() }}
            where invocation_id = {{ sql_string_literal(invocation_id) }}
                and citizens_key in ({{ literals | join(', ') if literals else 'null' }})
                and person_key is not null
        {%- endset -%}
    {%- else -%}
        {%- set searches = [] -%}
        {%- for each in keys -%}
            {%- do searches.append(_restated_citizens_search(
                _restatement_sources(staged_relation, key_columns), each.file, each.source)) -%}
        {%- endfor -%}
        {%- set citizens = searches | join('\nunion\n') if searches
            else _restated_citizens_search([]) -%}
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
        staged_relation, key_columns, identity, plan['keys']) ~ ')') }}
{% endmacro %}


{#-
    The pre-hook: logs what the build restates, finds those citizens (once per build and
    key: `_write_restated_citizens`) and deletes their rows (every row when it restates
    every citizen), the model's citizens named by `identity`. File names go to the log,
    never their contents. With `keep_replaced`, the rows it deletes are kept first for a
    model that follows this one by difference (macros/replaced_rows.sql): those of the
    citizens it restates, or a mark that it computes every citizen anew (also on a first
    build and with `--full-refresh`).
-#}
{% macro restatement_pre_hook(staged_relation, key_columns, parent=none, rule_vars=[],
        small_inputs=[], keep_replaced=false, identity='person_number') %}
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
                {%- set sources = _restatement_sources(staged_relation, key_columns) %}
                {%- set citizens = restated_citizens(
                    staged_relation, key_columns, identity, plan['keys']) %}
                {{ _write_restated_citizens(sources, plan['keys']) }};
                {%- if keep_replaced %}
                {{ keep_replaced_citizens(this, restated_citizens(
                    staged_relation, key_columns, keys=plan['keys'])) }};
                {%- endif %}
                delete from {{ this }}
                where {{ identity }} in ({{ citizens }})
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
