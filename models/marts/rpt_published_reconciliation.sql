{#-
    Every published figure of the report (seed `published_figures`) next to the same
    figure computed from the marts, with the difference and whether it is within the
    figure's tolerance. The computed side is a long list of (period, metric,
    dimension_1, dimension_2) figures over all years and months of the marts; each
    published figure picks its own. A published figure the marts do not produce has no
    computed value and is not within tolerance.

    The computed side is generated from ONE list, `figures` below: one entry per metric
    of the seed, naming the relation (an import CTE, or a CTE that shapes a report model
    for it), the expressions of its period and dimensions (default: the year, no
    dimension), its value and its text as the report prints it. A new kind of published
    figure is one entry in the list and its rows in the seed.

    tolerance_kind: `absolute` (|computed - published| <= tolerance), `relative_pct`
    (|computed - published| <= tolerance % of published), `exact_text` (the computed
    text equals the published text, e.g. a Tabel 4 cell as printed).
-#}
{%- set text_type = dbt.type_string() -%}
{%- set year_period = 'cast(year as ' ~ text_type ~ ')' -%}
{%- set boernesag_all = 'sum(faellesborgere) over (partition by year)' -%}
{%- set figures = [
    {'metric': 'tabel3_population', 'relation': 'tabel3',
        'dimension_1': 'coalesce(lab_group_code, row_label)',
        'value': 'population', 'text': danish_integer('population')},
    {'metric': 'tabel3_faellesborgere', 'relation': 'tabel3',
        'dimension_1': 'coalesce(lab_group_code, row_label)',
        'value': 'faellesborgere', 'text': danish_integer('faellesborgere')},
    {'metric': 'tabel3_share_pct', 'relation': 'tabel3',
        'dimension_1': 'coalesce(lab_group_code, row_label)',
        'value': 'share_pct', 'text': 'cast(share_pct as ' ~ text_type ~ ") || ' pct.'"},
    {'metric': 'tabel4_cell', 'relation': 'tabel4',
        'dimension_1': 'lab_group_code', 'dimension_2': 'tabel4_column',
        'value': 'rounded_value', 'text': 'published_value'},
    {'metric': 'support_step_faellesborgere_rounded', 'relation': 'support_steps',
        'dimension_1': 'cast(support_step as ' ~ text_type ~ ')',
        'value': 'faellesborgere_rounded',
        'text': "'ca. ' || " ~ danish_integer('faellesborgere_rounded')},
    {'metric': 'support_step_share_kanten_pct', 'relation': 'support_steps',
        'dimension_1': 'cast(support_step as ' ~ text_type ~ ')',
        'value': 'share_kanten_pct_exact',
        'text': 'cast(share_kanten_pct as ' ~ text_type ~ ") || ' pct.'"},
    {'metric': 'main_group_share_pct', 'relation': 'main_group_shares',
        'dimension_1': 'main_group_code',
        'value': 'share_pct_exact', 'text': 'cast(share_pct as ' ~ text_type ~ ") || ' pct.'"},
    {'metric': 'bif_active_citizens', 'relation': 'key_figures',
        'value': 'bif_active_citizens', 'text': danish_integer('bif_active_citizens')},
    {'metric': 'sof_citizens', 'relation': 'key_figures',
        'value': 'sof_citizens', 'text': danish_integer('sof_citizens')},
    {'metric': 'boernesag_faellesborgere', 'relation': 'key_figures',
        'value': 'faellesborgere_with_boernesag',
        'text': danish_integer('faellesborgere_with_boernesag')},
    {'metric': 'bif_active_only_non_coordination', 'relation': 'key_figures',
        'value': 'bif_active_only_non_coordination',
        'text': danish_integer('bif_active_only_non_coordination')},
    {'metric': 'faellesborgere_share_of_sof_adults_pct', 'relation': 'key_figures',
        'value': 'faellesborgere_share_of_sof_adults_pct_exact',
        'text': 'cast(faellesborgere_share_of_sof_adults_pct as ' ~ text_type ~ ") || ' pct.'"},
    {'metric': 'boernesag_main_group_share_pct', 'relation': 'boernesag_groups',
        'dimension_1': 'main_group_code',
        'value': share_pct_exact('faellesborgere', boernesag_all),
        'text': 'cast(' ~ share_pct('faellesborgere', boernesag_all) ~ ' as ' ~ text_type
            ~ ") || ' pct.'"},
    {'metric': 'lab_group_tabel4_citizens', 'relation': 'lab_group_column_counts',
        'dimension_1': 'lab_group_code', 'dimension_2': 'tabel4_column',
        'value': 'faellesborgere', 'text': danish_integer('faellesborgere')},
    {'metric': 'lab_group_top4_tabel4_columns', 'relation': 'lab_group_top4',
        'dimension_1': 'lab_group_code', 'value': 'null', 'text': 'top4_columns'},
    {'metric': 'hoi_citizens', 'relation': 'hoi_long', 'period': 'period',
        'dimension_1': 'dimension_1', 'dimension_2': 'dimension_2',
        'value': 'citizens', 'text': danish_integer('citizens')},
] -%}
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

hoi as (
    select * from {{ ref('rpt_hoi_target_group') }}
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

-- The order of the Tabel 4 columns, as Tabel 4 prints them (ties of the top four)
tabel4_column_order as (
    select
        year,
        tabel4_column,
        column_sort_order
    from tabel4
    where is_total_row and not is_population
),

-- Section 5.5: fællesborgere with a børnesag by main group (rule 8 (docs/rules.md#rule-8))
boernesag_groups as (
    select
        year,
        main_group_code,
        count(*) as faellesborgere
    from faellesborger
    where has_child_preventive or has_child_placed
    group by year, main_group_code
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

lab_group_column_ranks as (
    select
        lab_group_column_counts.year,
        lab_group_column_counts.lab_group_code,
        lab_group_column_counts.tabel4_column,
        row_number() over (
            partition by lab_group_column_counts.year, lab_group_column_counts.lab_group_code
            order by
                lab_group_column_counts.faellesborgere desc,
                tabel4_column_order.column_sort_order asc
        ) as column_rank
    from lab_group_column_counts
    inner join tabel4_column_order
        on lab_group_column_counts.year = tabel4_column_order.year
            and lab_group_column_counts.tabel4_column = tabel4_column_order.tabel4_column
),

lab_group_top4 as (
    select
        year,
        lab_group_code,
        max(case when column_rank = 1 then tabel4_column end)
        || ', ' || max(case when column_rank = 2 then tabel4_column end)
        || ', ' || max(case when column_rank = 3 then tabel4_column end)
        || ', ' || max(case when column_rank = 4 then tabel4_column end) as top4_columns
    from lab_group_column_ranks
    where column_rank <= 4
    group by year, lab_group_code
),

-- HOI Tabel 1: the cells of every month, their row and column sums and the total
hoi_long as (
    select
        cast(year as {{ text_type }}) || '-'
        || lpad(cast(month_of_year as {{ text_type }}), 2, '0') as period,
        case when grouping(sel_group) = 1 then 'I alt' else sel_group end as dimension_1,
        case when grouping(bif_group) = 1 then 'I alt' else bif_group end as dimension_2,
        sum(citizens) as citizens
    from hoi
    group by year, month_of_year, cube(sel_group, bif_group)
),

-- Every figure of the list `figures` (see the header), one select each
computed as (
    {%- for figure in figures %}
        select
            {{ figure.get('period', year_period) }} as period,
            '{{ figure.metric }}' as metric,
            {{ figure.get('dimension_1', 'cast(null as ' ~ text_type ~ ')') }} as dimension_1,
            {{ figure.get('dimension_2', 'cast(null as ' ~ text_type ~ ')') }} as dimension_2,
            cast({{ figure.value }} as double) as computed_value,
            {{ figure.text }} as computed_text
        from {{ figure.relation }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
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
