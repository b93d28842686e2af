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
    {'metric': 'bilag1a_fuldtidspersoner', 'relation': 'bilag1a_fuldtidspersoner',
        'period': 'period_label', 'dimension_1': 'dimension_1', 'dimension_2': 'dimension_2',
        'value': 'fuldtidspersoner', 'text': danish_integer('fuldtidspersoner')},
    {'metric': 'bilag1a_share_fuldtidspersoner_pct', 'relation': 'bilag1a_shares',
        'period': 'period_label', 'dimension_1': 'row_key', 'dimension_2': 'dimension_2',
        'value': 'share_pct',
        'text': 'cast(cast(round(share_pct, 0) as integer) as ' ~ text_type ~ ") || ' pct.'"},
    {'metric': 'bilag1a_largest_age_band_10', 'relation': 'bilag1a_age_band_ranks',
        'period': 'period_label', 'dimension_1': 'row_key',
        'value': 'null', 'text': 'largest_band'},
    {'metric': 'bilag1a_two_largest_age_bands_10', 'relation': 'bilag1a_age_band_ranks',
        'period': 'period_label', 'dimension_1': 'row_key',
        'value': 'null', 'text': 'two_largest_bands'},
    {'metric': 'bilag1a_pct_of_largest_age_band_10', 'relation': 'bilag1a_age_band_of_largest',
        'period': 'period_label', 'dimension_1': 'row_key', 'dimension_2': 'value',
        'value': 'pct_of_largest',
        'text': 'cast(cast(round(pct_of_largest, 0) as integer) as ' ~ text_type ~ ") || ' pct.'"},
    {'metric': 'bilag1a_duration_share_pct', 'relation': 'bilag1a_durations',
        'period': 'cast(snapshot_date as ' ~ text_type ~ ')',
        'dimension_1': 'row_key', 'dimension_2': 'dimension_2', 'value': 'share_pct',
        'text': 'cast(cast(round(share_pct, 0) as integer) as ' ~ text_type ~ ") || ' pct.'"},
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

target_group_statistics as (
    select * from {{ ref('rpt_target_group_statistics') }}
),

target_group_characteristics as (
    select * from {{ ref('rpt_target_group_characteristics') }}
),

benefit_duration as (
    select * from {{ ref('rpt_benefit_duration') }}
),

bilag1a_rows as (
    select * from {{ ref('bilag1a_table_rows') }}
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

-- Bilag 1a (rules 11-13 (docs/rules.md#rule-11)): rows are keyed `<LAB group>/<sub-group>`.
-- Fuldtidspersoner rounded to a whole number as printed, of every period; a table's
-- "I alt" is the sum of its printed rows (seed `bilag1a_table_rows`) as printed.
bilag1a_group_rows as (
    select
        period_label,
        lab_group_code,
        sub_group,
        lab_group_code || '/' || sub_group as dimension_1,
        cast(null as {{ text_type }}) as dimension_2,
        round(fuldtidspersoner, 0) as fuldtidspersoner
    from target_group_statistics
    where row_kind in ('group', 'sub_group')
),

bilag1a_fuldtidspersoner as (
    select
        period_label,
        dimension_1,
        dimension_2,
        fuldtidspersoner
    from bilag1a_group_rows
    union all
    select
        bilag1a_group_rows.period_label,
        'I alt' as dimension_1,
        bilag1a_rows.bilag1a_table as dimension_2,
        sum(bilag1a_group_rows.fuldtidspersoner) as fuldtidspersoner
    from bilag1a_group_rows
    inner join bilag1a_rows
        on bilag1a_group_rows.lab_group_code = bilag1a_rows.lab_group_code
            and bilag1a_group_rows.sub_group = bilag1a_rows.sub_group
    group by bilag1a_group_rows.period_label, bilag1a_rows.bilag1a_table
),

-- Shares of fuldtidspersoner per characteristic value (`sex:M`, `origin:dansk`,
-- `age_band_5:30-34`), and the share under 25 (`age_band_5:16-24`: the 5-year bands
-- that end below 25)
bilag1a_shares as (
    select
        period_label,
        lab_group_code || '/' || sub_group as row_key,
        characteristic || ':' || value as dimension_2,
        share_fuldtidspersoner_pct as share_pct
    from target_group_characteristics
    union all
    select
        period_label,
        lab_group_code || '/' || sub_group as row_key,
        'age_band_5:16-24' as dimension_2,
        {{ share_pct_exact(
            "sum(case when value in ('16-19', '20-24') then spell_days else 0 end)",
            'sum(spell_days)'
        ) }} as share_pct
    from target_group_characteristics
    where characteristic = 'age_band_5'
    group by period_label, lab_group_code, sub_group
),

-- The largest 10-year age band of a row, and the two largest in age order
bilag1a_age_band_ranked as (
    select
        period_label,
        value,
        value_sort_order,
        fuldtidspersoner,
        lab_group_code || '/' || sub_group as row_key,
        max(fuldtidspersoner) over (
            partition by period_label, lab_group_code, sub_group
        ) as largest_fuldtidspersoner,
        row_number() over (
            partition by period_label, lab_group_code, sub_group
            order by fuldtidspersoner desc, value_sort_order asc
        ) as band_rank
    from target_group_characteristics
    where characteristic = 'age_band_10'
),

bilag1a_age_band_ranks as (
    select
        period_label,
        row_key,
        max(case when band_rank = 1 then value end) as largest_band,
        min(case when band_rank <= 2 then value end)
        || ', ' || max(case when band_rank <= 2 then value end) as two_largest_bands
    from bilag1a_age_band_ranked
    group by period_label, row_key
),

bilag1a_age_band_of_largest as (
    select
        period_label,
        row_key,
        value,
        {{ share_pct_exact('fuldtidspersoner', 'largest_fuldtidspersoner') }} as pct_of_largest
    from bilag1a_age_band_ranked
),

-- Duration shares per band, and cumulated: `at_most:<band>` (that band and the shorter
-- ones), `at_least:<band>` (that band and the longer ones)
bilag1a_duration_rows as (
    select
        snapshot_date,
        duration_band,
        share_pct,
        lab_group_code || '/' || sub_group as row_key,
        -- cumulated from the counts, not by adding shares (the same on every engine)
        {{ share_pct_exact('sum(persons) over (
            partition by snapshot_date, lab_group_code, sub_group
            order by duration_band_sort_order
            rows between unbounded preceding and current row
        )', 'row_persons') }} as share_at_most_pct,
        {{ share_pct_exact('sum(persons) over (
            partition by snapshot_date, lab_group_code, sub_group
            order by duration_band_sort_order
            rows between current row and unbounded following
        )', 'row_persons') }} as share_at_least_pct
    from benefit_duration
),

bilag1a_durations as (
    select
        snapshot_date,
        row_key,
        duration_band as dimension_2,
        share_pct
    from bilag1a_duration_rows
    union all
    select
        snapshot_date,
        row_key,
        'at_most:' || duration_band as dimension_2,
        share_at_most_pct as share_pct
    from bilag1a_duration_rows
    union all
    select
        snapshot_date,
        row_key,
        'at_least:' || duration_band as dimension_2,
        share_at_least_pct as share_pct
    from bilag1a_duration_rows
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
