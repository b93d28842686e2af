{#-
    The LAB groups of every fællesborger year: one row per year, fællesborger and LAB
    group of which they were a member in the year (rule 2 (docs/rules.md#rule-2)).

    Incremental by citizen on DuckDB, after `fct_faellesborger`
    (macros/citizen_restatement.sql, docs/incremental.md); a table on Spark.
-#}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(bif_and_sof_citizen_sources(), none,
        ref('fct_faellesborger'), identity='person_key') }}",
    post_hook="{{ restatement_post_hook(none, ref('fct_faellesborger')) }}"
) }}

with

faellesborger as (
    select * from {{ ref('fct_faellesborger') }}
    where {{ restated_citizens_only('person_key', bif_and_sof_citizen_sources(), none,
        ref('fct_faellesborger'), identity='person_key') }}
),

memberships as (
    select * from {{ ref('int_bif__lab_group_years') }}
),

final as (
    select
        faellesborger.year,
        faellesborger.person_key,
        memberships.lab_group_code
    from faellesborger
    inner join memberships
        on faellesborger.year = memberships.year
            and {{ person_number('faellesborger.person_key') }} = memberships.person_number
)

select * from final
