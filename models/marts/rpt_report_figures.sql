{#-
    The figures the report publishes (chapters 3-5: Tabel 3 and 4, Figur 1 and 2, the
    numbers of chapters 3 and 4 and sections 5.1, 5.3 and 5.5; HOI Tabel 1), computed
    from the marts for every year (HOI: every month) in one long format: period, metric,
    dimensions, value and the text as the report prints it. rpt_published_reconciliation
    sets each published figure (seed `published_figures`) beside its row here.

    The rows are generated from ONE list, `figures` below (macro computed_figures): one
    entry per metric of the seed, naming the relation (an import CTE, or a CTE that
    shapes a report model for it), the expressions of its period and dimensions
    (default: the year, no dimension), its value and its printed text. A new kind of
    published figure is one entry in the list and its rows in the seed. Section 5.5's
    figures need person-level rows that no report model holds, so the facts are read here.
-#}
{%- set text_type = dbt.type_string() -%}
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

final as (
    {{ computed_figures(figures) }}
)

select * from final
