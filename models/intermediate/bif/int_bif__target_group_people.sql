{#-
    Rule 12 (docs/rules.md#rule-12): the characteristics by which
    `int_bif__target_group_period_counts` counts a citizen, one row per citizen with a
    BIF spell: sex and age anchor (both from the CPR number, in staging, the same on each
    of the citizen's spells) and origin (seed `origin_groups` over the person register's
    `herkomst`; `ukendt` where the register has no row for the citizen or an unlisted
    `herkomst`).

    The register's citizens are named by `person_number`, as the spells' are (macro
    `person_number`, unique per citizen: `int_citizen_numbers`): joined on the integer,
    not on the 64 characters of `person_key` (at scale 30 the text made this join spill,
    and the counts grow faster than the data). The register has one used row per citizen
    and seed `origin_groups` one row per spelling (both tested unique), so each citizen
    joins at most one origin.

    Incremental by citizen on DuckDB, after `int_bif__spells` and the person register
    (macros/citizen_restatement.sql, docs/incremental.md): a build restates the citizens
    of the spells and register rows its new files name, and keeps the rows it replaces
    for the period counts, which count by difference; a table on Spark.
-#}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(target_group_people_citizen_sources(), none,
        ref('int_bif__spells'), keep_replaced=true) }}",
    post_hook="{{ restatement_post_hook(target_group_people_citizen_sources(),
        ref('int_bif__spells')) }}"
) }}

with

spells as (
    select * from {{ ref('int_bif__spells') }}
    where {{ restated_citizens_only('person_number', target_group_people_citizen_sources(),
        none, ref('int_bif__spells')) }}
),

register as (
    select * from {{ ref('stg_cpr__personer') }}
    where row_status = 'used'
        and {{ restated_citizens_only('person_key', target_group_people_citizen_sources(),
            none, ref('int_bif__spells'), identity='person_key') }}
),

origin_groups as (
    select * from {{ ref('origin_groups') }}
),

spell_people as (
    select
        person_number,
        {{ dbt.any_value('sex') }} as sex,
        {{ dbt.any_value('age_anchor_month') }} as age_anchor_month
    from spells
    group by person_number
),

register_origins as (
    select
        {{ person_number('person_key') }} as person_number,
        origin
    from register
),

final as (
    select
        spell_people.person_number,
        spell_people.sex,
        spell_people.age_anchor_month,
        coalesce(origin_groups.origin_group, 'ukendt') as origin_group
    from spell_people
    left join register_origins
        on spell_people.person_number = register_origins.person_number
    left join origin_groups
        on lower(register_origins.origin) = origin_groups.herkomst
)

select * from final
