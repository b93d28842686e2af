{#-
    The follow-up of Tabel 1's citizens (rule 14 (docs/rules.md#rule-14)) for
    publication and BI tools: `rpt_hoi_followup` with every count through
    `disclosed_count`: no count under 5, the report's rounding, and complementary
    suppression among the six states of a cohort month and months after (they add up
    to the cohort, which is shown too).
-#}
with

followup as (
    select * from {{ ref('rpt_hoi_followup') }}
    where {{ published_period('is_complete_month') }}
),

ordered as (
    select
        *,
        bif_state_sort_order * 2 + case when has_sel_group_grant then 0 else 1 end
            as state_sort_order
    from followup
),

disclosed as (
    select
        cohort_month,
        months_after,
        target_month,
        bif_state,
        bif_state_sort_order,
        has_sel_group_grant,
        is_complete_month,
        {{ disclosed_count('citizens', ['cohort_month', 'months_after'],
            ['state_sort_order']) }} as citizens,
        {{ disclosed_count('cohort_citizens') }} as cohort_citizens
    from ordered
),

final as (
    select
        cohort_month,
        cast(months_after as integer) as months_after,
        target_month,
        bif_state,
        cast(bif_state_sort_order as integer) as bif_state_sort_order,
        has_sel_group_grant,
        cast(citizens as integer) as citizens,
        cast(cohort_citizens as integer) as cohort_citizens,
        {{ disclosed_text('citizens') }} as citizens_text,
        is_complete_month
    from disclosed
)

select * from final
