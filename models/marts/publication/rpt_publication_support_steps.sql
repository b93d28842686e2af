{#-
    Figur 2 for publication and BI tools: `rpt_support_steps` with the fællesborgere per
    step (to the nearest 50, as the report) and those in kanten through
    `disclosed_count`; the steps of a year add up to a total, so a second step is
    withheld where one is. Those in kanten are a part of the step's fællesborgere
    (`disclosed_part`): withheld when the step is, never shown above the step's shown
    count. The share in kanten is computed from the shown counts only (a share of exact
    small counts would give them away).
-#}
with

steps as (
    select * from {{ ref('rpt_support_steps') }}
    where {{ published_period('is_complete_year') }}
),

disclosed as (
    select
        year,
        support_step,
        step_name,
        step_label,
        is_complete_year,
        {{ disclosed_count('faellesborgere', ['year'], ['support_step'],
            rounded=round_half_up('faellesborgere', var('rounding_support_step_counts'))) }}
            as faellesborgere,
        {{ disclosed_count('faellesborgere_kanten', ['year'], ['support_step']) }}
            as faellesborgere_kanten
    from steps
),

consistent as (
    select
        year,
        support_step,
        step_name,
        step_label,
        is_complete_year,
        faellesborgere,
        {{ disclosed_part('faellesborgere_kanten', 'faellesborgere') }}
            as faellesborgere_kanten
    from disclosed
),

final as (
    select
        cast(year as integer) as year,
        cast(support_step as integer) as support_step,
        step_name,
        step_label,
        cast(faellesborgere as integer) as faellesborgere,
        cast(faellesborgere_kanten as integer) as faellesborgere_kanten,
        {{ share_pct('faellesborgere_kanten', 'faellesborgere') }} as share_kanten_pct,
        is_complete_year
    from consistent
)

select * from final
