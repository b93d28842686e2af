{#-
    Custody relations between a child and a custody holder: one row per raw row. Both
    CPR numbers are replaced by person keys. A relation is identified by child, holder
    and start date; its latest delivery is used, earlier ones (and exact duplicate lines)
    are merged.
-#}
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

raw_rows as (
    select * from {{ raw_source('sof_foraeldremyndighed') }} as raw_rows
),

parsed as (
    select
        source_file,
        source_line,
        source_encoding,
        read_error,
        {{ normalised_cpr('barn_cpr') }} as child_cpr_normalised,
        {{ normalised_cpr('foraelder_cpr') }} as parent_cpr_normalised,
        {{ period_columns() }}
    from raw_rows
),

with_birth_dates as (
    select
        parsed.*,
        {{ cpr_birth_date('child_cpr_normalised') }} as child_birth_date,
        {{ cpr_birth_date('parent_cpr_normalised') }} as parent_birth_date
    from parsed
),

checked as (
    select
        with_birth_dates.*,
        case
            when with_birth_dates.read_error is not null then with_birth_dates.read_error
            when nullif(with_birth_dates.child_cpr_normalised, '') is null then 'missing barn_cpr'
            when
                nullif(with_birth_dates.parent_cpr_normalised, '') is null
                then 'missing foraelder_cpr'
            {{ missing_period_reasons() }}
            when with_birth_dates.child_birth_date is null then 'impossible barn_cpr'
            when with_birth_dates.parent_birth_date is null then 'impossible foraelder_cpr'
            when
                with_birth_dates.child_cpr_normalised = with_birth_dates.parent_cpr_normalised
                then 'custody of oneself'
            {{ invalid_period_reasons() }}
            {{ implausible_extraction_reasons('with_birth_dates.child_birth_date') }}
            when
                with_birth_dates.parent_birth_date >= with_birth_dates.child_birth_date
                then 'foraelder not born before barn'
            {{ implausible_start_reasons('with_birth_dates.child_birth_date') }}
        end as row_reason
    from with_birth_dates
),

keyed as (
    select
        source_file,
        source_line,
        source_encoding,
        {{ person_columns('child_cpr_normalised', 'child_birth_date', 'child_') }},
        {{ person_columns('parent_cpr_normalised', 'parent_birth_date', 'parent_') }},
        -- custody from the child's birth is kept without the date: it is a birth date
        case when start_date = child_birth_date then null else start_date end as start_date,
        coalesce(start_date = child_birth_date, false) as starts_at_birth,
        end_date,
        extraction_date,
        startdato_raw,
        slutdato_raw,
        udtraeksdato_raw,
        row_reason,
        case
            when
                row_reason = 'impossible barn_cpr'
                then {{ keyed_hash('child_cpr_normalised') }}
            when
                row_reason = 'impossible foraelder_cpr'
                then {{ keyed_hash('parent_cpr_normalised') }}
        end as rejected_cpr_hash
    from checked
),

reconciled as (
    select
        *,
        {{ rejection_reason_with_conflicts(
            ['child_person_key', 'parent_person_key', 'starts_at_birth', 'start_date'],
            ['end_date', 'extraction_date']
        ) }} as rejection_reason
    from keyed
),

final as (
    select
        source_file,
        source_line,
        source_encoding,
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
        {{ row_status(
            ['child_person_key', 'parent_person_key', 'starts_at_birth', 'start_date']
        ) }} as row_status,
        rejection_reason,
        {{ mask_cpr(rejected_value) }} as rejected_value,
        rejected_cpr_hash
    from reconciled
)

select * from final
