{#-
    Custody relations between a child and a custody holder: one row per raw row. Both
    CPR numbers are replaced by person keys. A relation is identified by child, holder
    and start date; its latest delivery is used, earlier ones (and exact duplicate lines)
    are merged. Reads the incremental base model (docs/incremental.md), which parsed and
    checked each row once; here the check that depends on the build's date, and the
    reconciliation across rows.
    Incremental on DuckDB: a build stages only the rows of new files, and its post-hook
    sets the status of the earlier rows of the ids they name (`incremental_stg_rows`,
    `incremental_stg_post_hook`, docs/incremental.md); a table on Spark.
-#}
{%- set id_columns = ['child_person_key', 'parent_person_key', 'starts_at_birth', 'start_date'] -%}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source_file', 'source_line'],
    on_schema_change='fail',
    pre_hook="{{ incremental_stg_pre_hook(ref('base_sof__foraeldremyndighed')) }}",
    post_hook="{{ incremental_stg_post_hook(ref('base_sof__foraeldremyndighed'), " ~ id_columns ~ ") }}"
) }}

{%- set rejected_value -%}
    case
        -- a start on the child's birth date is that birth date: never shown
        when starts_at_birth
            then replace(
                case rejection_reason {{ period_rejected_values() }} end,
                startdato_raw,
                '(child''s birth)'
            )
        else case rejection_reason {{ period_rejected_values() }} end
    end
{%- endset %}

with

base_rows as {{ incremental_stg_rows_cte() }} (
    {{ incremental_stg_rows(
        ref('base_sof__foraeldremyndighed'),
        id_columns
    ) }}
),

checked as {{ inlined_cte() }} (
    select
        *,
        case
            when row_check_reason is not null then row_check_reason
            {{ implausible_extraction_reasons('is_born_after_extraction') }}
            when is_parent_not_born_before_child then 'foraelder not born before barn'
            {{ implausible_start_reasons('is_start_before_birth', 'is_start_before_earliest') }}
        end as row_reason
    from base_rows
),

reconciled as (
    {{ reconciled_rows(
        'checked',
        id_columns,
        ['end_date', 'extraction_date']
    ) }}
),

final as (
    select
        source_file,
        source_line,
        child_person_key,
        child_birth_year,
        child_age_anchor_month,
        parent_person_key,
        parent_sex,
        parent_birth_year,
        parent_age_anchor_month,
        start_date,
        starts_at_birth,
        end_date,
        extraction_date,
        row_status,
        rejection_reason,
        {{ mask_cpr(rejected_value) }} as rejected_value,
        rejected_cpr_hash
    from reconciled
)

select * from final
