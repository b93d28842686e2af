with

faellesborger_years as (
    select * from {{ ref('int_faellesborger_years') }}
),

final as (
    select
        year,
        person_key,
        main_group_code,
        is_kanten,
        support_step,
        deciding_intervention_code,
        has_child_preventive,
        has_child_placed
    from faellesborger_years
)

select * from final
