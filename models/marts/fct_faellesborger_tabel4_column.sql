{#-
    The Tabel 4 columns of every fællesborger year: a fællesborger is in a column when
    they have, in the year, a coordination-relevant intervention whose catalogue column
    (`tabel4_column`, carried from the seed `sof_interventions` by
    `int_sof__person_intervention_years`) it is, their own adult intervention or a
    børnesag as custody holder (rules 3-5 (docs/rules.md#rule-3, docs/rules.md#rule-4,
    docs/rules.md#rule-5)). One row per year, fællesborger and column.

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

intervention_years as (
    select * from {{ ref('int_sof__person_intervention_years') }}
    where is_coordination_relevant
        and tabel4_column is not null
),

in_columns as (
    select distinct
        intervention_years.year,
        intervention_years.person_key,
        intervention_years.tabel4_column
    from intervention_years
    inner join faellesborger
        on intervention_years.year = faellesborger.year
            and intervention_years.person_key = faellesborger.person_key
),

final as (
    select
        cast(year as integer) as year,
        person_key,
        tabel4_column
    from in_columns
)

select * from final
