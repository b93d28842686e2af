{#-
    Rule 7 (docs/rules.md#rule-7): a fællesborger's step of the staircase is the step of
    the deciding intervention. Fails for every row of `fct_faellesborger` whose
    `support_step` differs from the step `dim_sof_intervention` gives its
    `deciding_intervention_code` (rows where either is null are not compared).
-#}
with

fct as (
    select * from {{ ref('fct_faellesborger') }}
),

interventions as (
    select * from {{ ref('dim_sof_intervention') }}
),

final as (
    select
        fct.year,
        fct.person_key,
        fct.deciding_intervention_code,
        fct.support_step,
        interventions.support_step as deciding_intervention_step
    from fct
    left join interventions
        on fct.deciding_intervention_code = interventions.intervention_code

)

select * from final
where support_step != deciding_intervention_step
