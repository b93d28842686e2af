{#-
    BIF benefit spells: one row per raw row of every delivered file. CPR numbers are
    replaced by person_key, CPR-shaped numbers in text are masked; every row gets a
    status: used, merged (superseded by a later delivery of the same forloeb_id, or an
    exact duplicate line) or quarantined (with a reason).
-#}
{%- set rejected_value -%}
    case rejection_reason
        when 'unknown maalgruppe' then maalgruppe_raw
        {{ period_rejected_values() }}
    end
{%- endset %}

with

raw_rows as (
    select * from {{ raw_source('bif_ydelsesforloeb') }} as raw_rows
),

lab_groups as (
    select * from {{ ref('lab_target_groups') }}
),

parsed as (
    select
        source_file,
        source_line,
        source_encoding,
        read_error,
        {{ mask_cpr('forloeb_id') }} as spell_id,
        {{ mask_cpr('forloeb_id') }} != forloeb_id as is_cpr_shaped_id,
        {{ normalised_cpr('cpr') }} as cpr_normalised,
        maalgruppe as maalgruppe_raw,
        {{ lab_group_code('maalgruppe') }} as lab_group_code,
        {{ mask_cpr('ydelse') }} as benefit_name,
        {{ mask_cpr('akasse') }} as unemployment_fund,
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
        lab_groups.lab_group_code is not null as is_known_lab_group
    from with_birth_date
    left join lab_groups
        on with_birth_date.lab_group_code = lab_groups.lab_group_code
),

checked as (
    select
        *,
        case
            when read_error is not null then read_error
            when spell_id is null then 'missing forloeb_id'
            when is_cpr_shaped_id then 'cpr-shaped forloeb_id'
            when nullif(cpr_normalised, '') is null then 'missing cpr'
            when maalgruppe_raw is null then 'missing maalgruppe'
            {{ missing_period_reasons() }}
            when birth_date is null then 'impossible cpr'
            {{ invalid_period_reasons() }}
            {{ implausible_extraction_reasons('birth_date') }}
            {{ implausible_start_reasons('birth_date') }}
            when not is_known_lab_group then 'unknown maalgruppe'
        end as row_reason
    from with_lookup
),

reconciled as (
    select
        *,
        {{ rejection_reason_with_conflicts(
            ['spell_id'],
            ['cpr_normalised', 'lab_group_code', 'benefit_name', 'unemployment_fund',
                'start_date', 'end_date', 'extraction_date']
        ) }} as rejection_reason
    from checked
),

final as (
    select
        source_file,
        source_line,
        source_encoding,
        spell_id,
        {{ person_columns('cpr_normalised', 'birth_date') }},
        lab_group_code,
        benefit_name,
        unemployment_fund,
        start_date,
        end_date,
        extraction_date,
        {{ row_status(['spell_id']) }} as row_status,
        rejection_reason,
        {{ mask_cpr(rejected_value) }} as rejected_value,
        case
            when rejection_reason = 'impossible cpr' then {{ keyed_hash('cpr_normalised') }}
        end as rejected_cpr_hash
    from reconciled
)

select * from final
