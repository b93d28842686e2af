{#-
    BIF benefit spells: one row per raw row of every delivered file. CPR numbers are
    replaced by person_key, CPR-shaped numbers in text are masked; every row gets a
    status: used, merged (superseded by a later delivery of the same forloeb_id, or an
    exact duplicate line) or quarantined (with a reason). Reads the incremental base model
    (docs/incremental.md), which parsed and checked each row once; here the checks that
    depend on seeds, vars or the build's date, and the reconciliation across rows.
    Incremental on DuckDB: a build stages only the rows of new files, and its post-hook
    sets the status of the earlier rows of the ids they name (`incremental_stg_rows`,
    `incremental_stg_post_hook`, docs/incremental.md); a table on Spark.
-#}
{%- set id_columns = ['spell_id'] -%}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source_file', 'source_line'],
    on_schema_change='fail',
    pre_hook="{{ incremental_stg_pre_hook(ref('base_bif__ydelsesforloeb')) }}",
    post_hook="{{ incremental_stg_post_hook(ref('base_bif__ydelsesforloeb'), " ~ id_columns ~ ") }}"
) }}

{%- set rejected_value -%}
    case rejection_reason
        when 'unknown maalgruppe' then maalgruppe_raw
        {{ period_rejected_values() }}
    end
{%- endset %}

with

base_rows as {{ incremental_stg_rows_cte() }} (
    {{ incremental_stg_rows(ref('base_bif__ydelsesforloeb'), id_columns) }}
),

lab_groups as (
    select * from {{ ref('lab_target_groups') }}
),

with_lookup as {{ inlined_cte() }} (
    select
        base_rows.*,
        lab_groups.lab_group_code is not null as is_known_lab_group
    from base_rows
    left join lab_groups
        on base_rows.lab_group_code = lab_groups.lab_group_code
),

checked as {{ inlined_cte() }} (
    select
        *,
        case
            when row_check_reason is not null then row_check_reason
            {{ implausible_extraction_reasons('is_born_after_extraction') }}
            {{ implausible_start_reasons('is_start_before_birth') }}
            when not is_known_lab_group then 'unknown maalgruppe'
        end as row_reason
    from with_lookup
),

reconciled as (
    {{ reconciled_rows(
        'checked',
        id_columns,
        ['person_key', 'lab_group_code', 'benefit_name', 'unemployment_fund',
            'start_date', 'end_date', 'extraction_date']
    ) }}
),

final as (
    select
        source_file,
        source_line,
        spell_id,
        person_key,
        sex,
        birth_year,
        age_anchor_month,
        lab_group_code,
        benefit_name,
        unemployment_fund,
        start_date,
        end_date,
        extraction_date,
        row_status,
        rejection_reason,
        {{ mask_cpr(rejected_value) }} as rejected_value,
        case
            when rejection_reason = 'impossible cpr' then impossible_cpr_hash
        end as rejected_cpr_hash
    from reconciled
)

select * from final
