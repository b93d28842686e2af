{#-
    Person register extract (optional): origin per person. CPR numbers are replaced by
    person_key, CPR-shaped numbers in text are masked; the latest delivery per person is
    used, earlier ones (and exact duplicate lines) are merged. Reads the incremental base
    model (docs/incremental.md), which parsed and checked each row once; here the check
    that depends on the build's date, and the reconciliation across rows.
    Incremental on DuckDB: a build stages only the rows of new files, and its post-hook
    sets the status of the earlier rows of the ids they name (`incremental_stg_rows`,
    `incremental_stg_post_hook`, docs/incremental.md); a table on Spark.
-#}
{%- set id_columns = ['person_key'] -%}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['source_file', 'source_line'],
    on_schema_change='fail',
    pre_hook="{{ incremental_stg_pre_hook(ref('base_cpr__personer')) }}",
    post_hook="{{ incremental_stg_post_hook(ref('base_cpr__personer'), " ~ id_columns ~ ") }}"
) }}

{%- set rejected_value -%}
    case rejection_reason
        when 'unparsable udtraeksdato' then udtraeksdato_raw
        when 'udtraeksdato in the future' then udtraeksdato_raw
    end
{%- endset %}

with

base_rows as {{ incremental_stg_rows_cte() }} (
    {{ incremental_stg_rows(ref('base_cpr__personer'), id_columns) }}
),

checked as {{ inlined_cte() }} (
    select
        *,
        case
            when row_check_reason is not null then row_check_reason
            {{ implausible_extraction_reasons('is_born_after_extraction') }}
        end as row_reason
    from base_rows
),

reconciled as (
    {{ reconciled_rows(
        'checked',
        id_columns, ['origin', 'extraction_date']
    ) }}
),

final as (
    select
        source_file,
        source_line,
        person_key,
        sex,
        birth_year,
        age_anchor_month,
        origin,
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
