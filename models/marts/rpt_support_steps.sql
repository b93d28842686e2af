{#-
    Figur 2 of the report (the staircase) for every year: fællesborgere per step of
    support need (rule 7 (docs/rules.md#rule-7)) and how many of them are in kanten
    (rule 9 (docs/rules.md#rule-9)). Fællesborgere with only børnesager have no step and
    are not counted here. Every step of the seed `support_steps` is present in every
    year.
-#}
with

years as (
    select * from {{ ref('int_report_years') }}
),

steps as (
    select * from {{ ref('support_steps') }}
),

faellesborger as (
    select * from {{ ref('fct_faellesborger') }}
),

counts as (
    select
        year,
        support_step,
        count(*) as faellesborgere,
        sum(case when is_kanten then 1 else 0 end) as faellesborgere_kanten
    from faellesborger
    where support_step is not null
    group by year, support_step
),

cells as (
    select
        years.year,
        years.is_complete_year,
        steps.support_step,
        steps.step_name,
        steps.step_label,
        coalesce(counts.faellesborgere, 0) as faellesborgere,
        coalesce(counts.faellesborgere_kanten, 0) as faellesborgere_kanten
    from years
    cross join steps
    left join counts
        on years.year = counts.year
            and steps.support_step = counts.support_step
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
        {{ share_pct_exact('faellesborgere_kanten', 'faellesborgere') }} as share_kanten_pct_exact,
        cast({{ round_half_up('faellesborgere', var('rounding_support_step_counts')) }} as integer)
            as faellesborgere_rounded,
        is_complete_year
    from cells
)

select * from final
