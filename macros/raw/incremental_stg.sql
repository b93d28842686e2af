{#-
    Incremental reconciliation of monthly deliveries (docs/incremental.md). A stg model
    reconciles the rows of its base model across files: the conflicts within a file and
    `row_status` (the latest delivery of an id is used) depend only on the rows of the
    same id. A new file can only change the rows of the ids it names, and of those only
    the status (the other checks look at the row alone, a conflict at the rows of one
    file), so on DuckDB the stg model is incremental (delete+insert on `source_file`,
    `source_line`) and a build stages only:
    - the rows of the files it has not staged yet,
    - every row of an id with a row quarantined as 'udtraeksdato in the future', which
      only the build's date decides;
    and its post-hook then sets the status of every row of an id (`key_columns`) that a
    new file names, in any file, as the rows of the id now stand
    (`incremental_stg_post_hook`).
    What a stg model staged is recorded once per file, not on its rows: its post-hook
    (`incremental_stg_post_hook`) writes to `main.restatement_state`, in the transaction
    that writes the rows, one row per staged file with the file's `file_fingerprint` in
    the base model and `settings_probe`, a digest of what the checks depend on besides
    the rows: the pseudonym key (`raw_key_probe`), vars `extraction_date_slack_days` and
    `earliest_plausible_date`, and the file of every seed the model refs (the LAB groups,
    the intervention catalogue). The model restages every row (said in the log) when it
    has no record, a staged file is no longer in the base model or was reloaded with
    other contents (its base model was rebuilt), or the digest changed. The citizen-level
    models read the same record (macros/citizen_restatement.sql). Spark's parquet tables
    have neither DELETE nor MERGE: there the stg models stay tables, rebuilt whole, and
    keep no record.

    Returns {restage: 'all' or 'named', reasons: [why all], new_files: [names]}. The
    model body and its pre-hook call it with the same arguments and see the same table.
-#}
{% macro incremental_stg_plan(base_relation) %}
    {%- if not is_incremental() -%}
        {{ return({'restage': 'all', 'reasons': [], 'new_files': []}) }}
    {%- endif -%}
    {%- set stored = adapter.get_columns_in_relation(this) | map(attribute='name')
        | map('lower') | list -%}
    {%- if 'file_fingerprint' in stored or 'settings_probe' in stored -%}
        {{ exceptions.raise_compiler_error(
            this.identifier ~ " was built by an earlier version, which recorded the staged"
            ~ " files on every row: rebuild it once with"
            ~ " `dbt build --full-refresh --select " ~ this.identifier ~ "+`") }}
    {%- endif -%}
    {%- set state = adapter.get_relation(database=target.database, schema='main',
        identifier='restatement_state') -%}
    {%- set staged = run_query('select source_file, file_fingerprint, settings_probe from '
        ~ state ~ ' where model_name = ' ~ sql_string_literal(this.identifier))
        if state is not none else none -%}
    {%- if staged is none or not staged.rows -%}
        {{ return({'restage': 'all', 'new_files': [],
            'reasons': ['it holds no record of the files it staged']}) }}
    {%- endif -%}
    {%- set based = run_query(
        'select distinct source_file, file_fingerprint from ' ~ base_relation) -%}
    {%- set base_files = {} -%}
    {%- for row in based.rows -%}
        {%- do base_files.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {#- a row of no file records the settings of a model that staged no file -#}
    {%- set settings = incremental_stg_settings() -%}
    {%- set settings_changed =
        'the pseudonym key, the vars or the seeds its checks depend on changed' -%}
    {%- set staged_files = [] -%}
    {%- set reasons = [] -%}
    {%- for row in staged.rows -%}
        {%- if row[0] is not none -%}
            {%- do staged_files.append(row) -%}
        {%- elif row[2] != settings and settings_changed not in reasons -%}
            {%- do reasons.append(settings_changed) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set changes = incremental_file_changes(
        staged_files,
        base_files,
        [[settings, settings_changed]],
        ' was staged and is no longer in ' ~ base_relation.identifier,
        ' was reloaded with other contents (another SHA-256)') -%}
    {%- for reason in changes.reasons if reason not in reasons -%}
        {%- do reasons.append(reason) -%}
    {%- endfor -%}
    {{ return({'restage': 'all' if reasons else 'named', 'reasons': reasons | sort,
        'new_files': [] if reasons else changes.new_files}) }}
{% endmacro %}


{#-
    The digest of what a stg model's checks depend on besides its rows (`settings_probe`,
    see `incremental_stg_plan`): the key probe, the vars, and the checksums dbt keeps of
    the files of the seeds the model refs (so that compiling needs no seed loaded).
-#}
{% macro incremental_stg_settings() %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set parts = [
        'key=' ~ run_query('select ' ~ raw_key_probe()).rows[0][0],
        'extraction_date_slack_days=' ~ var('extraction_date_slack_days'),
        'earliest_plausible_date=' ~ var('earliest_plausible_date'),
    ] -%}
    {%- for node_id in model.depends_on.nodes | sort if node_id.startswith('seed.') -%}
        {%- set seed = graph.nodes[node_id] -%}
        {%- do parts.append(seed.name ~ '=' ~ seed.checksum.checksum) -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join('\n'))) }}
{% endmacro %}


{#-
    The base rows a stg model restages (see `incremental_stg_plan`): every row, or the
    rows of the new files and the staged files' rows of the ids (`key_columns`) that have
    a row quarantined for an extraction date in the future. The earlier rows of the ids
    the new rows name are not restaged: only their status can change, which the
    post-hook sets (`incremental_stg_post_hook`), so the new rows' status is set there
    too. Ids are compared as `reconciled_rows` compares them, a null equal to a null (a
    custody relation from the child's birth has no start date). The new files are named
    as literals (the plan's `new_files`: the base model's files that the model's record
    does not hold, written with its rows): the base model appends a file's rows
    together, so the scans of the new rows read only their row groups, not every column
    of every row of the extract.
-#}
{% macro incremental_stg_rows(base_relation, key_columns) %}
    {%- set plan = incremental_stg_plan(base_relation) if execute else {'restage': 'all'} -%}
    {%- if plan.restage == 'all' -%}
        {{ return('select * from ' ~ base_relation) }}
    {%- endif -%}
    {%- set names = sql_string_literals(plan.new_files) -%}
    {%- set rows -%}
        select new_rows.*
        from {{ base_relation }} as new_rows
        where {{ _in_new_files('new_rows', names) }}
        union all
        select old_rows.*
        from {{ base_relation }} as old_rows
        inner join (
            {{ rechecked_ids(this, key_columns) }}
        ) as rechecked
            on {{ same_ids('old_rows', 'rechecked', key_columns) }}
        where not {{ _in_new_files('old_rows', names) }}
    {%- endset -%}
    {{ return(rows) }}
{% endmacro %}


{#- A base row (`alias`) is of one of the new files (`names`, SQL literals). -#}
{% macro _in_new_files(alias, names) -%}
    {%- if names -%}
        {{ alias }}.source_file in ({{ names | join(', ') }})
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}


{#-
    The keyword of a stg model's `base_rows` CTE (the rows `incremental_stg_rows`
    restages), which `reconciled_rows` reads three times: on a build from nothing every
    base row, computed for each reader (`inlined_cte`), which reads only the columns it
    needs; on an incremental build the few rows of the new files and of the ids
    rechecked for an extraction date in the future, stored once, since finding them
    reads the stg and base tables.
-#}
{% macro incremental_stg_rows_cte() %}
    {{ return('' if is_incremental() else inlined_cte()) }}
{% endmacro %}


{#-
    The ids (`key_columns`, each once) with a row of the stg table `rechecked_relation`
    quarantined for an extraction date in the future, which only the build's date
    decides: a build restages all their rows.
-#}
{% macro rechecked_ids(rechecked_relation, key_columns) -%}
    select distinct {{ key_columns | join(', ') }}
    from {{ rechecked_relation }} as rechecked
    where rechecked.rejection_reason = {{ sql_string_literal(future_extraction_reason()) }}
{%- endmacro %}


{#-
    Two rows name the same id (`key_columns`) as `reconciled_rows` compares them: a null
    equal to a null (a custody relation from the child's birth has no start date).
-#}
{% macro same_ids(left, right, key_columns) -%}
    {%- for column in key_columns -%}
        {%- if not loop.first %} and {% endif -%}
        {{ left }}.{{ column }} is not distinct from {{ right }}.{{ column }}
    {%- endfor -%}
{%- endmacro %}


{#-
    The pre-hook of a stg model: on an incremental build that restages every row (see
    `incremental_stg_plan`), logs why and empties the table; otherwise logs the new
    files whose ids it restages. File names go to the log, never their contents.
-#}
{% macro incremental_stg_pre_hook(base_relation) %}
    {%- if execute and is_incremental() -%}
        {%- set plan = incremental_stg_plan(base_relation) -%}
        {%- if plan.restage == 'all' -%}
            {{ log("Staging '" ~ this.identifier ~ "': restaging every row, because "
                ~ plan.reasons | join('; '), info=true) }}
            truncate table {{ this }}
        {%- elif plan.new_files -%}
            {{ log("Staging '" ~ this.identifier ~ "': staging " ~ plan.new_files | length
                ~ " new file(s) (" ~ plan.new_files | join(', ') ~ "), setting the status"
                ~ " of the earlier rows of the ids they name, and restaging the ids with an"
                ~ " extraction date in the future", info=true) }}
        {%- else -%}
            {{ log("Staging '" ~ this.identifier ~ "': no new file; restaging the ids with"
                ~ " an extraction date in the future", info=true) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#-
    The post-hook of a stg model on DuckDB, in the transaction that wrote its rows:
    - after a build that staged new files (see `incremental_stg_plan`), sets the status
      of every row, in any file, of the ids (`key_columns`) that their rows name, among
      the rows of the id that pass their checks (`latest_delivery_status`, as
      `reconciled_rows` sets it): a new file can make an earlier row 'merged', or 'used'
      again when it delivers an earlier extraction; the body, which reads the new rows
      without the earlier ones, cannot. Only the rows whose status changes are written;
    - records what it staged in `main.restatement_state`: one row per file of its base
      model, which it now holds, with the file's fingerprint there and the settings
      digest (`model_digest` empty: a stg model has none), or one row of no file when
      the base model holds none.
-#}
{% macro incremental_stg_post_hook(base_relation, key_columns) %}
    {%- if execute and target.type != 'spark' -%}
        {%- set plan = incremental_stg_plan(base_relation) -%}
        {%- if plan.restage == 'named' and plan.new_files %}
        update {{ this }} as staged
        set row_status = recomputed.row_status
        from (
            select
                named_rows.source_file,
                named_rows.source_line,
                {{ latest_delivery_status('named_rows.' ~ key_columns
                    | join(', named_rows.')) }} as row_status
            from {{ this }} as named_rows
            inner join (
                select distinct {{ key_columns | join(', ') }}
                from {{ this }} as new_rows
                where {{ _in_new_files('new_rows', sql_string_literals(plan.new_files)) }}
            ) as named
                on {{ same_ids('named_rows', 'named', key_columns) }}
            where named_rows.rejection_reason is null
        ) as recomputed
        where staged.source_file = recomputed.source_file
            and staged.source_line = recomputed.source_line
            and staged.row_status != recomputed.row_status;
        {%- endif -%}
        {%- set state = restatement_state_relation() -%}
        {%- set name = sql_string_literal(this.identifier) -%}
        {%- set settings = sql_string_literal(incremental_stg_settings()) -%}
        delete from {{ state }} where model_name = {{ name }};
        insert into {{ state }}
        select distinct
            {{ name }},
            source_file,
            file_fingerprint,
            {{ settings }},
            cast(null as varchar)
        from {{ base_relation }};
        insert into {{ state }}
        select {{ name }}, null, null, {{ settings }}, cast(null as varchar)
        where not exists (select 1 from {{ state }} where model_name = {{ name }})
    {%- endif -%}
{% endmacro %}


{#-
    The config of a stg model: on DuckDB incremental (delete+insert on the raw row's
    identity, `source_file` and `source_line`); on Spark a table (see
    `incremental_stg_plan`).
-#}
{% macro incremental_stg_materialization() %}
    {{ return('table' if target.type == 'spark' else 'incremental') }}
{% endmacro %}


{#- The reason of a row whose extraction date lies after the build's date (plus slack). -#}
{% macro future_extraction_reason() %}
    {{ return('udtraeksdato in the future') }}
{% endmacro %}
