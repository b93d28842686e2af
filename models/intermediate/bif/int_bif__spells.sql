{#-
    Every usable BIF spell (the `used` row of its forloeb_id), of every year the extract
    reaches, history included: the spells that rules 11 and 13 (docs/rules.md#rule-11,
    #rule-13) count in days. A spell without an end date runs to the extraction date of
    its delivery (macro `effective_end_date`). Each spell carries its Bilag 1a sub-group
    (seed `lab_sub_groups`): 6.1 `akademikere` when its `akasse`, lower-cased, is a
    spelling of an AC fund (seed `ac_unemployment_funds`), else `ikke_akademikere`
    (an empty `akasse` included); 6.9 `ledige` (ledighedsydelse) or `ansatte`
    (fleksløntilskud) by its benefit; null for a group without sub-groups, or a 6.9 spell
    of another benefit. Sex and the age anchor come from staging (derived from the CPR
    number there); no birth date. The citizen is named by `person_number`, its
    `person_key` as an integer (macro `person_number`, the same in every build;
    `int_citizen_numbers` pairs the two): the rules over these spells group, partition
    and count distinct citizens on it rather than on the 64-character key (at national
    scale they handle tens of millions of citizen-periods), and no model after this one
    reads the key, so the table does not store it.

    Incremental by citizen on DuckDB (macros/citizen_restatement.sql,
    docs/incremental.md): a build after a monthly delivery restates the citizens of the
    spells the new files name and keeps the others' rows; a table on Spark.
-#}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(ref('stg_bif__ydelsesforloeb'), ['spell_id']) }}",
    post_hook="{{ restatement_post_hook(ref('stg_bif__ydelsesforloeb')) }}"
) }}

with

staged_spells as (
    select * from {{ ref('stg_bif__ydelsesforloeb') }}
    where row_status = 'used'
        and {{ restated_citizens_only(
            'person_key', ref('stg_bif__ydelsesforloeb'), ['spell_id'], identity='person_key'
        ) }}
),

ac_funds as (
    select * from {{ ref('ac_unemployment_funds') }}
),

sub_groups as (
    select * from {{ ref('lab_sub_groups') }}
),

spells as (
    select
        staged_spells.spell_id,
        {{ person_number('staged_spells.person_key') }} as person_number,
        staged_spells.sex,
        staged_spells.age_anchor_month,
        staged_spells.lab_group_code,
        staged_spells.benefit_name,
        staged_spells.unemployment_fund,
        lower(staged_spells.benefit_name) as benefit_key,
        ac_funds.akasse_spelling is not null as is_ac_fund,
        staged_spells.start_date,
        {{ effective_end_date('staged_spells.end_date', 'staged_spells.extraction_date') }}
            as effective_end_date
    from staged_spells
    left join ac_funds
        on lower(staged_spells.unemployment_fund) = ac_funds.akasse_spelling
),

placed as (
    select
        spells.*,
        sub_groups.sub_group
    from spells
    left join sub_groups
        on spells.lab_group_code = sub_groups.lab_group_code
            and case sub_groups.split_by
                when 'ac_fund' then spells.is_ac_fund
                when 'not_ac_fund' then not spells.is_ac_fund
                when 'benefit' then spells.benefit_key = sub_groups.benefit_name
                else false
            end
),

final as (
    select
        placed.spell_id,
        placed.person_number,
        placed.sex,
        cast(placed.age_anchor_month as integer) as age_anchor_month,
        placed.lab_group_code,
        placed.sub_group,
        placed.benefit_name,
        placed.unemployment_fund,
        placed.is_ac_fund,
        placed.start_date,
        placed.effective_end_date
    from placed
)

select * from final
