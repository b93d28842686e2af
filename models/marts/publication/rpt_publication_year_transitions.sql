{#-
    Rule 15 (docs/rules.md#rule-15), the flows between years, for publication and BI
    tools: `rpt_year_transitions` with every count through `disclosed_count` (no count
    under 5, the report's rounding, and complementary suppression among the cells of a
    matrix row: the to-states of one from-state in a year pair add up to that state's
    citizens in Y). Year pairs with an incomplete year are left out unless var
    `publish_incomplete_periods` (macro `published_period`). No exact counts.
-#}
with

transitions as (
    select * from {{ ref('rpt_year_transitions') }}
    where {{ published_period('is_complete_year_pair') }}
),

disclosed as (
    select
        from_year,
        to_year,
        from_state,
        to_state,
        from_state_kind,
        from_main_group_code,
        from_support_step,
        from_state_sort_order,
        to_state_kind,
        to_main_group_code,
        to_support_step,
        to_state_sort_order,
        is_complete_year_pair,
        {{ disclosed_count('citizens', ['from_year', 'from_state'], ['to_state_sort_order']) }}
            as citizens
    from transitions
),

final as (
    select
        cast(from_year as integer) as from_year,
        cast(to_year as integer) as to_year,
        from_state,
        to_state,
        cast(citizens as integer) as citizens,
        {{ disclosed_text('citizens') }} as citizens_text,
        from_state_kind,
        from_main_group_code,
        cast(from_support_step as integer) as from_support_step,
        cast(from_state_sort_order as integer) as from_state_sort_order,
        to_state_kind,
        to_main_group_code,
        cast(to_support_step as integer) as to_support_step,
        cast(to_state_sort_order as integer) as to_state_sort_order,
        is_complete_year_pair
    from disclosed
)

select * from final
