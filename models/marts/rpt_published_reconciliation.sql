{#-
    Every published figure of the report (seed `published_figures`) next to the same
    figure computed from the marts, with the difference and whether it is within the
    figure's tolerance. The computed side is a long list of (period, metric,
    dimension_1, dimension_2) figures over all years and months of the marts; each
    published figure picks its own. A published figure the marts do not produce has no
    computed value and is not within tolerance.

    tolerance_kind: `absolute` (|computed - published| <= tolerance), `relative_pct`
    (|computed - published| <= tolerance % of published), `exact_text` (the computed
    text equals the published text, e.g. a Tabel 4 cell as printed).
-#}
with

published as (
    select * from {{ ref('published_figures') }}
),

tabel3 as (
    select * from {{ ref('rpt_tabel3') }}
),

tabel4 as (
    select * from {{ ref('rpt_tabel4') }}
),

support_steps as (
    select * from {{ ref('rpt_support_steps') }}
),

main_group_shares as (
    select * from {{ ref('rpt_main_group_shares') }}
),

key_figures as (
    select * from {{ ref('rpt_key_figures') }}
),

faellesborger as (
    select * from {{ ref('fct_faellesborger') }}
),

faellesborger_groups as (
    select * from {{ ref('fct_faellesborger_lab_group') }}
),

faellesborger_columns as (
    select * from {{ ref('fct_faellesborger_tabel4_column') }}
),

tabel4_columns as (
    select * from {{ ref('tabel4_columns') }}
),

hoi as (
    select * from {{ ref('rpt_hoi_target_group') }}
),

-- Tabel 3: population, fællesborgere and share of every row
tabel3_figures as (
    select
        cast(year as {{ dbt.type_string() }}) as period,
        'tabel3_population' as metric,
        coalesce(lab_group_code, row_label) as dimension_1,
        cast(null as {{ dbt.type_string() }}) as dimension_2,
        cast(population as double) as computed_value,
        {{ danish_integer('population') }} as computed_text
    from tabel3
    union all
    select
        cast(year as {{ dbt.type_string() }}) as period,
        'tabel3_faellesborgere' as metric,
        coalesce(lab_group_code, row_label) as dimension_1,
        cast(null as {{ dbt.type_string() }}) as dimension_2,
        cast(faellesborgere as double) as computed_value,
        {{ danish_integer('faellesborgere') }} as computed_text
    from tabel3
    union all
    select
        cast(year as {{ dbt.type_string() }}) as period,
        'tabel3_share_pct' as metric,
        coalesce(lab_group_code, row_label) as dimension_1,
        cast(null as {{ dbt.type_string() }}) as dimension_2,
        cast(share_pct as double) as computed_value,
        cast(share_pct as {{ dbt.type_string() }}) || ' pct.' as computed_text
    from tabel3
),

-- Tabel 4: every cell, its rounded value and its text as printed
tabel4_figures as (
    select
        cast(year as {{ dbt.type_string() }}) as period,
        'tabel4_cell' as metric,
        lab_group_code as dimension_1,
        tabel4_column as dimension_2,
        cast(rounded_value as double) as computed_value,
        published_value as computed_text
    from tabel4
),

-- Figur 2: fællesborgere per step (rounded) and the kanten share per step
support_step_figures as (
    select
        cast(year as {{ dbt.type_string() }}) as period,
        'support_step_faellesborgere_rounded' as metric,
        cast(support_step as {{ dbt.type_string() }}) as dimension_1,
        cast(null as {{ dbt.type_string() }}) as dimension_2,
        cast(faellesborgere_rounded as double) as computed_value,
        'ca. ' || {{ danish_integer('faellesborgere_rounded') }} as computed_text
    from support_steps
    union all
    select
        cast(year as {{ dbt.type_string() }}) as period,
        'support_step_share_kanten_pct' as metric,
        cast(support_step as {{ dbt.type_string() }}) as dimension_1,
        cast(null as {{ dbt.type_string() }}) as dimension_2,
        share_kanten_pct_exact as computed_value,
        cast(share_kanten_pct as {{ dbt.type_string() }}) || ' pct.' as computed_text
    from support_steps
),

-- Figur 1: share per main group, Tabel 3 group rows summed
main_group_figures as (
    select
        cast(year as {{ dbt.type_string() }}) as period,
        'main_group_share_pct' as metric,
        main_group_code as dimension_1,
        cast(null as {{ dbt.type_string() }}) as dimension_2,
        share_pct_exact as computed_value,
        cast(share_pct as {{ dbt.type_string() }}) || ' pct.' as computed_text
    from main_group_shares
),

-- Chapter 4, sections 5.1, 5.3 and 5.5: one number per year
key_figures_long as (
    select
        year,
        'bif_active_citizens' as metric,
        cast(bif_active_citizens as double) as computed_value
    from key_figures
    union all
    select
        year,
        'sof_citizens' as metric,
        cast(sof_citizens as double) as computed_value
    from key_figures
    union all
    select
        year,
        'boernesag_faellesborgere' as metric,
        cast(faellesborgere_with_boernesag as double) as computed_value
    from key_figures
    union all
    select
        year,
        'bif_active_only_non_coordination' as metric,
        cast(bif_active_only_non_coordination as double) as computed_value
    from key_figures
    union all
    select
        year,
        'faellesborgere_share_of_sof_adults_pct' as metric,
        faellesborgere_share_of_sof_adults_pct_exact as computed_value
    from key_figures
),

key_figure_figures as (
    select
        cast(year as {{ dbt.type_string() }}) as period,
        metric,
        cast(null as {{ dbt.type_string() }}) as dimension_1,
        cast(null as {{ dbt.type_string() }}) as dimension_2,
        computed_value,
        case
            when metric like '%_pct'
                then cast(cast(round(computed_value, 0) as integer) as {{ dbt.type_string() }})
                    || ' pct.'
            else {{ danish_integer('computed_value') }}
        end as computed_text
    from key_figures_long
),

-- Section 5.5: fællesborgere with a børnesag by main group (rule 8)
boernesag_groups as (
    select
        year,
        main_group_code,
        count(*) as faellesborgere
    from faellesborger
    where has_child_preventive or has_child_placed
    group by year, main_group_code
),

boernesag_figures as (
    select
        cast(year as {{ dbt.type_string() }}) as period,
        'boernesag_main_group_share_pct' as metric,
        main_group_code as dimension_1,
        cast(null as {{ dbt.type_string() }}) as dimension_2,
        {{ share_pct_exact('faellesborgere', 'sum(faellesborgere) over (partition by year)') }}
            as computed_value,
        cast(
            {{ share_pct('faellesborgere', 'sum(faellesborgere) over (partition by year)') }}
            as {{ dbt.type_string() }}
        ) || ' pct.' as computed_text
    from boernesag_groups
),

-- Section 5.5: fællesborgere of a LAB group per Tabel 4 column, and each group's top four
lab_group_column_counts as (
    select
        faellesborger_groups.year,
        faellesborger_groups.lab_group_code,
        faellesborger_columns.tabel4_column,
        count(distinct faellesborger_groups.person_key) as faellesborgere
    from faellesborger_groups
    inner join faellesborger_columns
        on faellesborger_groups.year = faellesborger_columns.year
            and faellesborger_groups.person_key = faellesborger_columns.person_key
    group by
        faellesborger_groups.year,
        faellesborger_groups.lab_group_code,
        faellesborger_columns.tabel4_column
),

lab_group_column_figures as (
    select
        cast(year as {{ dbt.type_string() }}) as period,
        'lab_group_tabel4_citizens' as metric,
        lab_group_code as dimension_1,
        tabel4_column as dimension_2,
        cast(faellesborgere as double) as computed_value,
        {{ danish_integer('faellesborgere') }} as computed_text
    from lab_group_column_counts
),

lab_group_column_ranks as (
    select
        lab_group_column_counts.year,
        lab_group_column_counts.lab_group_code,
        lab_group_column_counts.tabel4_column,
        row_number() over (
            partition by lab_group_column_counts.year, lab_group_column_counts.lab_group_code
            order by lab_group_column_counts.faellesborgere desc, tabel4_columns.sort_order asc
        ) as column_rank
    from lab_group_column_counts
    inner join tabel4_columns
        on lab_group_column_counts.tabel4_column = tabel4_columns.tabel4_column
),

lab_group_top4_figures as (
    select
        cast(year as {{ dbt.type_string() }}) as period,
        'lab_group_top4_tabel4_columns' as metric,
        lab_group_code as dimension_1,
        cast(null as {{ dbt.type_string() }}) as dimension_2,
        cast(null as double) as computed_value,
        max(case when column_rank = 1 then tabel4_column end)
        || ', ' || max(case when column_rank = 2 then tabel4_column end)
        || ', ' || max(case when column_rank = 3 then tabel4_column end)
        || ', ' || max(case when column_rank = 4 then tabel4_column end) as computed_text
    from lab_group_column_ranks
    where column_rank <= 4
    group by year, lab_group_code
),

-- HOI Tabel 1: the cells of every month, their row and column sums and the total
hoi_cells as (
    select
        cast(year as {{ dbt.type_string() }}) || '-'
        || lpad(cast(month_of_year as {{ dbt.type_string() }}), 2, '0') as period,
        sel_group,
        bif_group,
        citizens
    from hoi
),

hoi_long as (
    select
        period,
        sel_group as dimension_1,
        bif_group as dimension_2,
        citizens
    from hoi_cells
    union all
    select
        period,
        sel_group as dimension_1,
        'I alt' as dimension_2,
        sum(citizens) as citizens
    from hoi_cells
    group by period, sel_group
    union all
    select
        period,
        'I alt' as dimension_1,
        bif_group as dimension_2,
        sum(citizens) as citizens
    from hoi_cells
    group by period, bif_group
    union all
    select
        period,
        'I alt' as dimension_1,
        'I alt' as dimension_2,
        sum(citizens) as citizens
    from hoi_cells
    group by period
),

hoi_figures as (
    select
        period,
        'hoi_citizens' as metric,
        dimension_1,
        dimension_2,
        cast(citizens as double) as computed_value,
        {{ danish_integer('citizens') }} as computed_text
    from hoi_long
),

computed as (
    select * from tabel3_figures
    union all
    select * from tabel4_figures
    union all
    select * from support_step_figures
    union all
    select * from main_group_figures
    union all
    select * from key_figure_figures
    union all
    select * from boernesag_figures
    union all
    select * from lab_group_column_figures
    union all
    select * from lab_group_top4_figures
    union all
    select * from hoi_figures
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
