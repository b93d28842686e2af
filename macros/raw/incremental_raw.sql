{#-
    Incremental staging of monthly deliveries (docs/incremental.md). Each raw extract has
    a base model (models/staging/<source>/base/base_<source>__<entity>.sql), materialized
    incremental and keyed on `source_file`: it holds the parsed, row-checked rows of the
    files it has loaded, with each file's `file_fingerprint` (SHA-256 of its bytes) and
    `key_probe` (the keyed hash of a fixed string: it changes with the pseudonym key).

    `incremental_raw_plan` decides which files a build of a base model loads, from the
    listing of the raw folder and what the base model holds:
    - a first build or `--full-refresh`: every file of the extract;
    - else, when a loaded file was removed or changed (another fingerprint), the pseudonym
      key changed, or the vars its rows depend on (`raw_base_settings`) changed: every
      file again, after the pre-hook (`incremental_raw_pre_hook`) emptied the table: a
      full rebuild of that extract, said in the log;
    - else the files not loaded yet (none when nothing was delivered).
    Returns {files: [file names], rebuild: true/false, reasons: [what changed]}. The
    model body and its pre-hook call it with the same arguments and see the same table.
-#}
{% macro incremental_raw_plan(extract) %}
    {%- set settings = raw_base_settings(extract) -%}
    {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', 'raw')
        | selectattr('name', 'equalto', extract) | first -%}
    {%- set listed = {} -%}
    {%- for file in raw_extract_files(extract, node.meta.get('is_required', true)) -%}
        {%- do listed.update({file.file_name: file.file_fingerprint}) -%}
    {%- endfor -%}
    {%- set every_file = listed.keys() | sort -%}
    {%- if not is_incremental() -%}
        {{ return({'files': every_file, 'rebuild': false, 'reasons': []}) }}
    {%- endif -%}
    {%- set loaded_query -%}
        select distinct source_file, file_fingerprint, key_probe, settings_probe
        from {{ this }}
    {%- endset -%}
    {%- set changes = incremental_file_changes(
        run_query(loaded_query).rows,
        listed,
        [
            [run_query('select ' ~ raw_key_probe()).rows[0][0], 'the pseudonym key changed'],
            [settings, 'the settings its rows depend on changed (now ' ~ settings ~ ')'],
        ],
        ' was loaded and is no longer in the raw folder',
        ' changed since it was loaded (another SHA-256)') -%}
    {%- if changes.reasons -%}
        {{ return({'files': every_file, 'rebuild': true, 'reasons': changes.reasons}) }}
    {%- endif -%}
    {{ return({'files': changes.new_files, 'rebuild': false, 'reasons': []}) }}
{% endmacro %}


{#-
    The pre-hook of a base model: on an incremental build that must rebuild the extract
    (see `incremental_raw_plan`), logs why and empties the table (`truncate table`, which
    DuckDB and Spark's parquet tables both support), so that the body's rows of every
    file replace it; otherwise logs the files it loads, and runs nothing. File names go
    to the log, never their contents.
-#}
{% macro incremental_raw_pre_hook(extract) %}
    {%- if execute and is_incremental() -%}
        {%- set plan = incremental_raw_plan(extract) -%}
        {%- if plan.rebuild -%}
            {{ log("Raw extract '" ~ extract ~ "': rebuilding " ~ this.identifier
                ~ " from all " ~ plan.files | length ~ " file(s), because "
                ~ plan.reasons | join('; '), info=true) }}
            truncate table {{ this }}
        {%- elif plan.files -%}
            {{ log("Raw extract '" ~ extract ~ "': loading " ~ plan.files | length
                ~ " new file(s) into " ~ this.identifier ~ ": " ~ plan.files | join(', '),
                info=true) }}
        {%- else -%}
            {{ log("Raw extract '" ~ extract ~ "': no new file for " ~ this.identifier,
                info=true) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#-
    A fixed string's keyed hash (`keyed_hash`): every base row stores it as `key_probe`;
    another value in the current session means another pseudonym key, so every
    person_key of the base model is stale and its extract is rebuilt. Without the
    check for a missing key (`guarded=false`; the person_key of the same rows has it),
    so that the engine hashes the constant once when it plans the query: as a scalar
    subquery, DuckDB held the model's rows for a cross product with it (over a quarter
    of a base model's time alone at scale 10).
-#}
{% macro raw_key_probe() %}
    {{ return(keyed_hash("'faellesborger pseudonym key probe'", guarded=false)) }}
{% endmacro %}


{#-
    The config of a staging base model: incremental on `source_file` (DuckDB:
    delete+insert; Spark's parquet tables have no MERGE: append, which is safe because
    the plan never loads a file twice), a schema change fails the build, and the pre-hook
    that rebuilds the extract when a loaded file changed.
-#}
{% macro incremental_raw_strategy() %}
    {{ return('append' if target.type == 'spark' else 'delete+insert') }}
{% endmacro %}


{#-
    The vars a base model's stored rows depend on, as text (`settings_probe`; empty when
    none): only the custody extract's, whose start may be the child's birth date, so that
    its check against var `earliest_plausible_date` is made in the base model.
-#}
{% macro raw_base_settings(extract) %}
    {%- if extract == 'sof_foraeldremyndighed' -%}
        {{ return('earliest_plausible_date=' ~ var('earliest_plausible_date')) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}


{#-
    What changed between the files a model holds and the files it reads from (the base
    models: the raw folder; the stg models: their base model). `held_rows`: one row per
    held file and version, (file name, fingerprint, probe values...); `current`: {file
    name: fingerprint}; `probes`: per probe column, [the expected value, the reason when a
    row holds another]; `gone` and `changed`: the reason's words after a file's name
    when it is no longer current, or current with another fingerprint. Returns {reasons:
    sorted and distinct, new_files: the current files not held, in name order}.
-#}
{% macro incremental_file_changes(held_rows, current, probes, gone, changed) %}
    {%- set reasons = [] -%}
    {%- set held_names = [] -%}
    {%- for row in held_rows -%}
        {%- do held_names.append(row[0]) -%}
        {%- set found = [] -%}
        {%- if row[0] not in current -%}
            {%- do found.append(row[0] ~ gone) -%}
        {%- elif row[1] != current[row[0]] -%}
            {%- do found.append(row[0] ~ changed) -%}
        {%- endif -%}
        {%- for position in range(probes | length) -%}
            {%- if row[position + 2] != probes[position][0] -%}
                {%- do found.append(probes[position][1]) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for reason in found[:1] if reason not in reasons -%}
            {%- do reasons.append(reason) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set new_files = [] -%}
    {%- for name in current.keys() | sort if name not in held_names -%}
        {%- do new_files.append(name) -%}
    {%- endfor -%}
    {{ return({'reasons': reasons | sort, 'new_files': new_files}) }}
{% endmacro %}
