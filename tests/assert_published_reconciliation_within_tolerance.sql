{{ config(tags=['published_figures']) }}
{#-
    Every published figure of the report (seed `published_figures`: Tabel 3 and 4,
    Figur 1 and 2, sections 4, 5.1, 5.3 and 5.5, HOI Tabel 1) is reproduced within its
    tolerance by `rpt_published_reconciliation`. Returns the figures that are not, with
    the published and computed values side by side, including a published figure with
    no computed value. Only meaningful on the shipped calibration delivery: exclude the
    tag for others, and query the model itself to see how far a delivery is from the
    report.
-#}
with

reconciliation as (
    select * from {{ ref('rpt_published_reconciliation') }}
),

final as (
    select
        figure_id,
        source,
        period,
        published_text,
        computed_text,
        published_value,
        computed_value,
        difference,
        tolerance,
        tolerance_kind
    from reconciliation
    where not is_within_tolerance
        or (computed_value is null and computed_text is null)
)

select * from final
