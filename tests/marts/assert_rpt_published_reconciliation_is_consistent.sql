{#-
    The reconciliation against the published figures is consistent with itself:
    `difference` is `computed_value - published_value` (to 1e-6), and a figure marked
    `is_within_tolerance` is within its tolerance (absolute, or `relative_pct` per cent
    of the published value). Fails for every row of `rpt_published_reconciliation`
    where either does not hold. (Whether the figures are within tolerance is
    tests/assert_published_reconciliation_within_tolerance.sql.)
-#}
with

reconciliation as (
    select * from {{ ref('rpt_published_reconciliation') }}
),

final as (
    select
        figure_id,
        period,
        metric,
        computed_value,
        published_value,
        difference,
        tolerance_kind,
        tolerance,
        is_within_tolerance,
        abs(difference - (computed_value - published_value)) as difference_error,
        case tolerance_kind
            when 'absolute' then abs(difference) - tolerance
            when 'relative_pct' then abs(difference) - tolerance * abs(published_value) / 100
        end as excess_over_tolerance
    from reconciliation
)

select * from final
where difference_error > 1e-6
    or (is_within_tolerance and excess_over_tolerance > 1e-6)
