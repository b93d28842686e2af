{#-
    Pseudonymisation: `person_key` is a keyed SHA-256 hash of the normalised CPR number.
    The key comes from the environment variable FAELLESBORGER_PSEUDONYM_KEY (handed to
    the engine by the profile, see the implementations below); without it a fixed
    development key is used and the build says so.
    `guarded=false` leaves out the check that stops the build when the engine has no key
    (the hash of a missing key is null): for a constant only (the key probe), whose hash
    the engine then computes once when it plans the query. DuckDB cannot fold the
    check's `error()` into a constant, and hashed it on every row.
-#}
{% macro keyed_hash(column, guarded=true) %}
    {{ return(adapter.dispatch('keyed_hash', 'faellesborger')(column, guarded)) }}
{% endmacro %}


{#- Another engine needs its own way to hand the key over without writing it into SQL. -#}
{% macro default__keyed_hash(column, guarded=true) -%}
    {{ exceptions.raise_compiler_error(
        "keyed_hash is not implemented for adapter '" ~ adapter.type() ~ "': it must read the"
        ~ " pseudonym key from the session, never from compiled SQL") }}
{%- endmacro %}


{#-
    On DuckDB the key is a session variable set by the profile's plugin
    (faellesborger.dbt_plugin), so it never stands in compiled SQL; without the plugin
    the build stops rather than hash with an empty key.
-#}
{% macro duckdb__keyed_hash(column, guarded=true) -%}
    {%- set key = "getvariable('faellesborger_pseudonym_key')" -%}
    sha256(
        {% if guarded -%}
        coalesce(
            {{ key }},
            error('faellesborger_pseudonym_key is not set: enable the faellesborger.dbt_plugin plugin in the profile')
        )
        {%- else -%}
        {{ key }}
        {%- endif %}
        || ':' || {{ column }}
    )
{%- endmacro %}


{#-
    On Spark the key is the SparkSession setting `spark.faellesborger.pseudonym_key`, set by
    the profile's `server_side_parameters` from FAELLESBORGER_PSEUDONYM_KEY, and reaches the
    SQL by Spark's variable substitution (`${...}`, resolved when Spark parses the
    statement), so it never stands in compiled SQL either. An unset setting substitutes
    to '': the build then stops rather than hash with an empty key.
-#}
{% macro spark__keyed_hash(column, guarded=true) -%}
    {%- set key = "nullif('${spark.faellesborger.pseudonym_key}', '')" -%}
    sha2(
        concat(
            {% if guarded -%}
            coalesce(
                {{ key }},
                raise_error('spark.faellesborger.pseudonym_key is not set: set it in the profile (server_side_parameters)')
            ),
            {%- else -%}
            {{ key }},
            {%- endif %}
            ':',
            {{ column }}
        ),
        256
    )
{%- endmacro %}


{#-
    Run at the start of every invocation (on-run-start), before anything is hashed:
    - a key shorter than `pseudonym_key_min_length` (32) characters stops the run: the CPR
      space is small, so a short key is guessed and every person_key reversed;
    - without a key, the fixed DEVELOPMENT key is used only on the shipped synthetic
      delivery (`raw_delivery_is_synthetic`: the generator's SYNTHETIC_DELIVERY.sha256
      lists every CSV file of the raw folder, unchanged), and said loudly; on any other
      delivery the run stops unless FAELLESBORGER_ALLOW_DEVELOPMENT_KEY=yes allows it.
    Neither message shows the key.
-#}
{% macro check_pseudonym_key() %}
    {%- if execute -%}
        {%- set key = env_var('FAELLESBORGER_PSEUDONYM_KEY', '') -%}
        {%- set min_length = var('pseudonym_key_min_length') | int -%}
        {%- if key != '' and key | length < min_length -%}
            {{ exceptions.raise_compiler_error(
                "FAELLESBORGER_PSEUDONYM_KEY is too short (" ~ key | length ~ " characters; at"
                ~ " least " ~ min_length ~ " are required): with a short key every person_key"
                ~ " can be reversed to its CPR number. Set a long random key (see README).") }}
        {%- elif key == '' -%}
            {%- set allowed = env_var('FAELLESBORGER_ALLOW_DEVELOPMENT_KEY', '') | lower
                in ['1', 'true', 'yes'] -%}
            {%- if not allowed and not raw_delivery_is_synthetic() -%}
                {{ exceptions.raise_compiler_error(
                    "FAELLESBORGER_PSEUDONYM_KEY is not set and the raw folder '" ~ raw_dir()
                    ~ "' is not the shipped synthetic delivery: the DEVELOPMENT key is public"
                    ~ " and must not pseudonymise real data. Set a long random key (see"
                    ~ " README), or FAELLESBORGER_ALLOW_DEVELOPMENT_KEY=yes for test data.") }}
            {%- endif -%}
            {{ log("WARNING: FAELLESBORGER_PSEUDONYM_KEY is not set: person_key is built with the"
                ~ " DEVELOPMENT key" ~ (" (allowed by FAELLESBORGER_ALLOW_DEVELOPMENT_KEY)"
                if allowed else " on the shipped synthetic delivery") ~ ". Set a real key"
                ~ " before loading real data (see README).", info=true) }}
        {%- endif -%}
    {%- endif -%}
    select 1
{% endmacro %}


{#- True when the raw folder is the shipped synthetic delivery (faellesborger.synthetic_marker). -#}
{% macro raw_delivery_is_synthetic() %}
    {{ return(adapter.dispatch('raw_delivery_is_synthetic', 'faellesborger')()) }}
{% endmacro %}


{#- DuckDB: the plugin's function checks the marker and every file's SHA-256. -#}
{% macro duckdb__raw_delivery_is_synthetic() %}
    {%- set answer = run_query(
        "select faellesborger_is_synthetic_delivery(" ~ sql_string_literal(raw_dir()) ~ ")") -%}
    {{ return(answer.rows[0][0] is sameas true) }}
{% endmacro %}


{#-
    Spark: the same check in SQL over the folder's files (`binaryFile`): the marker's lines
    (`<sha-256>  <name>`) and the CSV files (any case of `.csv`) with their SHA-256 must be
    the same set.
-#}
{% macro spark__raw_delivery_is_synthetic() %}
    {%- set marker = 'SYNTHETIC_DELIVERY.sha256' -%}
    {%- set check -%}
        with files as (
            select
                regexp_extract(path, '([^/]*)$', 1) as file_name,
                sha2(content, 256) as digest,
                content
            from binaryFile.{{ spark_path_identifier(raw_dir() ~ '/*') }}
        ),
        marker_lines as (
            select explode(split(decode(content, 'UTF-8'), '
')) as line
            from files
            where file_name = '{{ marker }}'
        ),
        listed as (
            select substr(line, 1, 64) as digest, substr(line, 67) as file_name
            from marker_lines
            where line != ''
        ),
        delivered as (
            select file_name, digest from files where lower(file_name) like '%.csv'
        ),
        differences as (
            select 1 as differs
            from delivered
            full outer join listed
                on delivered.file_name = listed.file_name and delivered.digest = listed.digest
            where delivered.file_name is null or listed.file_name is null
        )
        select
            (select count(*) from files where file_name = '{{ marker }}') = 1
            and (select count(*) from differences) = 0 as is_synthetic
    {%- endset -%}
    {{ return(run_query(check).rows[0][0] is sameas true) }}
{% endmacro %}


{#-
    The pseudonymous columns of a row's normalised CPR number `cpr`, from its birth date
    `birth_date` (`cpr_birth_date`, computed by a projection below, so once per row
    and not once for each column that reads it): `person_columns` (the keyed hash, sex,
    birth year, age anchor) and, for a number with no valid birth date,
    `impossible_cpr_hash`, each name prefixed with `prefix`. Each row hashes its own
    number: the staging base models read their rows back from the reader's stored rows
    (`materialized_cte`) on every thread, where grouping the distinct numbers and joining
    them back stored the parsed rows a second time and grew faster than the data
    (BENCHMARKS.md). A null number gives null columns.
-#}
{% macro pseudonymised_columns(cpr, birth_date, prefix='') -%}
    {{ person_columns(cpr, birth_date, prefix) }},
    case when {{ birth_date }} is null then {{ keyed_hash(cpr) }} end
        as {{ prefix }}impossible_cpr_hash
{%- endmacro %}


{#-
    A citizen's `person_key` as an integer: its first 15 hexadecimal digits (60 bits, a
    bigint on every engine). The same key gives the same number in every build, so that
    models which group, partition and count distinct citizens at national scale do so on
    8 bytes, not on 64 characters of text. Two citizens share a number only if their keys
    share those digits (for 10 million citizens a chance of about 1 in 20 000): the
    unique tests of `int_citizen_numbers` (every key of every staged extract with its
    number) fail the build if they do.
-#}
{% macro person_number(person_key) -%}
    {{ return(adapter.dispatch('person_number', 'faellesborger')(person_key)) }}
{%- endmacro %}

{#- Spark (and the default): `conv` reads the digits as base 16 and writes base 10. -#}
{% macro default__person_number(person_key) -%}
    cast(conv(substr({{ person_key }}, 1, 15), 16, 10) as bigint)
{%- endmacro %}

{#- DuckDB: a text of hexadecimal digits after `0x` casts to an integer. -#}
{% macro duckdb__person_number(person_key) -%}
    cast('0x' || substr({{ person_key }}, 1, 15) as bigint)
{%- endmacro %}
