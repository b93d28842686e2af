{#-
    Figur 2's rounding (docs/publication.md; var `rounding_support_step_counts`): the
    fællesborgere per step are published to the nearest multiple of the step, so a
    rounded count is a multiple of it and at most half a step from the exact count.
    Fails for every row of `rpt_support_steps` where either does not hold.
-#}
with

steps as (
    select * from {{ ref('rpt_support_steps') }}
),

final as (
    select
        year,
        support_step,
        faellesborgere,
        faellesborgere_rounded,
        faellesborgere_rounded % {{ var('rounding_support_step_counts') }} as rounding_remainder,
        abs(faellesborgere_rounded - faellesborgere) as rounding_gap
    from steps
)

select * from final
where rounding_remainder != 0
    or rounding_gap > {{ var('rounding_support_step_counts') }} / 2.0
    or rounding_gap < 0
