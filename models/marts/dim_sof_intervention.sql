with

interventions as (
    select * from {{ ref('sof_interventions') }}
),

tabel4_columns as (
    select * from {{ ref('tabel4_columns') }}
),

final as (
    select
        interventions.intervention_code,
        interventions.intervention_name,
        interventions.legal_basis,
        interventions.support_step,
        interventions.is_coordination_relevant,
        interventions.child_measure_kind,
        interventions.tabel4_column,
        tabel4_columns.tabel4_label,
        interventions.hoi_sel_group
    from interventions
    left join tabel4_columns
        on interventions.tabel4_column = tabel4_columns.tabel4_column
)

select * from final
