{#-
    The figures of the report's Bilag 1a (rules 11-13 (docs/rules.md#rule-11)), computed
    from its three marts for every period in the long format of rpt_report_figures:
    fuldtidspersoner of every row and table total, shares by sex, origin and age, the
    largest age bands, and duration shares (per band and cumulated). Rows are keyed
    `<LAB group>/<sub-group>`. rpt_published_reconciliation sets each published Bilag 1a
    figure (seed `published_figures`) beside its row here.

    The rows are generated from the list `figures` below (macro computed_figures), as in
    rpt_report_figures.
-#}
{%- set text_type = dbt.type_string() -%}
{%- set figures = [
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

final as (
    {{ computed_figures(figures) }}
)

select * from final
