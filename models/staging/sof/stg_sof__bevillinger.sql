{#-
    SOF grants: one row per raw row of every delivered file. CPR numbers are replaced by
    person_key, CPR-shaped numbers in text are masked; every row gets a status: used,
    merged (superseded by a later delivery of the same bevilling_id, or an exact duplicate
    line) or quarantined (with a reason).
-#}
{%- set rejected_value -%}
    case rejection_reason
        when 'unknown indsats_kode' then intervention_code
        {{ period_rejected_values() }}
    end
{%- endset %}

with

raw_rows as (
    select * from {{ raw_source('sof_bevillinger') }} as raw_rows
),

interventions as (
    select * from {{ ref('sof_interventions') }}
),

parsed as (
    select
        source_file,
        source_line,
        source_encoding,
        read_error,
        {{ mask_cpr('bevilling_id') }} as grant_id,
        {{ mask_cpr('bevilling_id') }} != bevilling_id as is_cpr_shaped_id,
        {{ normalised_cpr('cpr') }} as cpr_normalised,
        {{ mask_cpr('upper(indsats_kode)') }} as intervention_code,
        {{ mask_cpr('indsats_tekst') }} as intervention_text,
        {{ mask_cpr('paragraf') }} as paragraph_text,
        {{ period_columns() }}
    from raw_rows
),

with_birth_date as (
    select
        parsed.*,
        {{ cpr_birth_date('cpr_normalised') }} as birth_date
    from parsed
),

with_lookup as (
    select
        with_birth_date.*,
        interventions.legal_basis,
        interventions.intervention_code is not null as is_known_intervention
    from with_birth_date
    left join interventions
        on with_birth_date.intervention_code = interventions.intervention_code
),

checked as (
    select
        *,
        case
            when read_error is not null then read_error
            when grant_id is null then 'missing bevilling_id'
            when is_cpr_shaped_id then 'cpr-shaped bevilling_id'
            when nullif(cpr_normalised, '') is null then 'missing cpr'
            when intervention_code is null then 'missing indsats_kode'
            {{ missing_period_reasons() }}
            when birth_date is null then 'impossible cpr'
            {{ invalid_period_reasons() }}
            {{ implausible_extraction_reasons('birth_date') }}
            {{ implausible_start_reasons('birth_date') }}
            when not is_known_intervention then 'unknown indsats_kode'
        end as row_reason
    from with_lookup
),

reconciled as (
    select
        *,
        {{ rejection_reason_with_conflicts(
            ['grant_id'],
            ['cpr_normalised', 'intervention_code', 'intervention_text', 'paragraph_text',
                'start_date', 'end_date', 'extraction_date']
        ) }} as rejection_reason
    from checked
),

final as (
    select
        source_file,
        source_line,
        source_encoding,
        grant_id,
        {{ person_columns('cpr_normalised', 'birth_date') }},
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
        {{ row_status(['grant_id']) }} as row_status,
        rejection_reason,
        {{ mask_cpr(rejected_value) }} as rejected_value,
        case
            when rejection_reason = 'impossible cpr' then {{ keyed_hash('cpr_normalised') }}
        end as rejected_cpr_hash
    from reconciled
)

select * from final
