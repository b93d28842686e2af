{#-
    SOF grants: one row per raw row of every delivered file. CPR numbers are replaced by
    person_key, CPR-shaped numbers in text are masked; every row gets a status: used,
    merged (superseded by a later delivery of the same bevilling_id, or an exact duplicate
    line) or quarantined (with a reason). Reads the incremental base model
    (docs/incremental.md), which parsed and checked each row once; here the checks that
    depend on seeds, vars or the build's date, and the reconciliation across rows.
    Incremental on DuckDB: a build stages only the rows of new files, and its post-hook
    sets the status of the earlier rows of the ids they name (`incremental_stg_rows`,
    `incremental_stg_post_hook`, docs/incremental.md); a table on Spark.
-#}
{%- set id_columns = ['grant_id'] -%}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source_file', 'source_line'],
    on_schema_change='fail',
    pre_hook="{{ incremental_stg_pre_hook(ref('base_sof__bevillinger')) }}",
    post_hook="{{ incremental_stg_post_hook(ref('base_sof__bevillinger'), " ~ id_columns ~ ") }}"
) }}

{%- set rejected_value -%}
    case rejection_reason
        when 'unknown indsats_kode' then intervention_code
        {{ period_rejected_values() }}
    end
{%- endset %}

with

base_rows as {{ incremental_stg_rows_cte() }} (
    {{ incremental_stg_rows(ref('base_sof__bevillinger'), id_columns) }}
),

interventions as (
    select * from {{ ref('sof_interventions') }}
),

with_lookup as {{ inlined_cte() }} (
    select
        base_rows.*,
        interventions.legal_basis,
        interventions.intervention_code is not null as is_known_intervention
    from base_rows
    left join interventions
        on base_rows.intervention_code = interventions.intervention_code
),

checked as {{ inlined_cte() }} (
    select
        *,
        case
            when row_check_reason is not null then row_check_reason
            {{ implausible_extraction_reasons('is_born_after_extraction') }}
            {{ implausible_start_reasons('is_start_before_birth') }}
            when not is_known_intervention then 'unknown indsats_kode'
        end as row_reason
    from with_lookup
),

reconciled as (
    {{ reconciled_rows(
        'checked',
        id_columns,
        ['person_key', 'intervention_code', 'intervention_text', 'paragraph_text',
            'start_date', 'end_date', 'extraction_date']
    ) }}
),

final as (
    select
        source_file,
        source_line,
        grant_id,
        person_key,
        sex,
        birth_year,
        age_anchor_month,
        intervention_code,
        intervention_text,
        paragraph_text,
        coalesce(
            {{ normalised_paragraph('paragraph_text') }}
            != {{ normalised_paragraph('legal_basis') }},
            false
        ) as is_paragraph_contradicting,
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
