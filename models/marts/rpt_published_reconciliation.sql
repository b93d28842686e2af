{#-
    Every published figure of the report (seed `published_figures`) next to the same
    figure computed from the marts, with the difference and whether it is within the
    figure's tolerance. The computed side is the long format of rpt_report_figures
    (chapters 3-5 and HOI Tabel 1) and rpt_bilag1a_figures (Bilag 1a): (period, metric,
    dimension_1, dimension_2) figures over all periods of the marts; each published
    figure picks its own. A published figure the marts do not produce has no computed
    value and is not within tolerance.

    tolerance_kind: `absolute` (|computed - published| <= tolerance), `relative_pct`
    (|computed - published| <= tolerance % of published), `exact_text` (the computed
    text equals the published text, e.g. a Tabel 4 cell as printed).
-#}
with

published as (
    select * from {{ ref('published_figures') }}
),

report_figures as (
    select * from {{ ref('rpt_report_figures') }}
),

bilag1a_figures as (
    select * from {{ ref('rpt_bilag1a_figures') }}
),

computed as (
    select * from report_figures
    union all
    select * from bilag1a_figures
),

compared as (
    select
        published.figure_id,
        published.sort_order,
        published.source,
        published.description,
        published.period,
        published.metric,
        published.dimension_1,
        published.dimension_2,
        published.published_value,
        published.published_text,
        computed.computed_value,
        computed.computed_text,
        published.tolerance,
        published.tolerance_kind,
        computed.computed_value - published.published_value as difference
    from published
    left join computed
        on published.period = computed.period
            and published.metric = computed.metric
            and coalesce(published.dimension_1, '') = coalesce(computed.dimension_1, '')
            and coalesce(published.dimension_2, '') = coalesce(computed.dimension_2, '')
),

final as (
    select
        figure_id,
        cast(sort_order as integer) as sort_order,
        source,
        description,
        period,
        metric,
        dimension_1,
        dimension_2,
        cast(published_value as double) as published_value,
        published_text,
        cast(computed_value as double) as computed_value,
        computed_text,
        cast(tolerance as double) as tolerance,
        tolerance_kind,
        cast(difference as double) as difference,
        coalesce(
            case tolerance_kind
                when 'exact_text' then computed_text = published_text
                when 'absolute' then abs(difference) <= tolerance
                when 'relative_pct' then abs(difference) <= tolerance / 100.0 * abs(published_value)
            end,
            false
        ) as is_within_tolerance
    from compared
)

select * from final
