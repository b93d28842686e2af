{#-
    Pseudonymisation: `person_key` is a keyed SHA-256 hash of the normalised CPR number.
    The key comes from the environment variable FAELLESBORGER_PSEUDONYM_KEY (handed to
    the engine by the profile, see the implementations below); without it a fixed
    development key is used and the build says so.
-#}
{% macro keyed_hash(column) %}
    {{ return(adapter.dispatch('keyed_hash', 'faellesborger')(column)) }}
{% endmacro %}


{#- Another engine needs its own way to hand the key over without writing it into SQL. -#}
{% macro default__keyed_hash(column) -%}
    {{ exceptions.raise_compiler_error(
        "keyed_hash is not implemented for adapter '" ~ adapter.type() ~ "': it must read the"
        ~ " pseudonym key from the session, never from compiled SQL") }}
{%- endmacro %}


{#-
    On DuckDB the key is a session variable set by the profile's plugin
    (faellesborger.dbt_plugin), so it never stands in compiled SQL; without the plugin
    the build stops rather than hash with an empty key.
-#}
{% macro duckdb__keyed_hash(column) -%}
    sha256(
        coalesce(
            getvariable('faellesborger_pseudonym_key'),
            error('faellesborger_pseudonym_key is not set: enable the faellesborger.dbt_plugin plugin in the profile')
        )
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
{% macro spark__keyed_hash(column) -%}
    sha2(
        concat(
            coalesce(
                nullif('${spark.faellesborger.pseudonym_key}', ''),
                raise_error('spark.faellesborger.pseudonym_key is not set: set it in the profile (server_side_parameters)')
            ),
            ':',
            {{ column }}
        ),
        256
    )
{%- endmacro %}


{#- Run at the start of every invocation: says loudly when the development key is used. -#}
{% macro announce_pseudonym_key() %}
    {%- if execute and env_var('FAELLESBORGER_PSEUDONYM_KEY', '') == '' -%}
        {{ log("WARNING: FAELLESBORGER_PSEUDONYM_KEY is not set: person_key is built with the"
            ~ " DEVELOPMENT key. Set a real key before loading real data (see README).",
            info=true) }}
    {%- endif -%}
    select 1
{% endmacro %}
