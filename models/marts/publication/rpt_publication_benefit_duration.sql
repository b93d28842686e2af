{#-
    Bilag 1a Figur 1 (rule 13 (docs/rules.md#rule-13)) for publication and BI tools:
    `rpt_benefit_duration` with the citizens per duration band through
    `disclosed_count` (no count under 5, the report's rounding, complementary
    suppression among the bands of a row, which add up to the row). The share of a band
    is computed from the shown counts of its row only (whole percent). Read by the
    figure renderer (Bilag 1a Figur 1).
-#}
with

durations as (
    select * from {{ ref('rpt_benefit_duration') }}
    where {{ published_period('is_complete_month') }}
),

disclosed as (
    select
        snapshot_date,
        year,
        month_of_year,
        lab_group_code,
        sub_group,
        sort_order,
        duration_band,
        duration_band_name,
        duration_band_sort_order,
        is_complete_month,
        {{ disclosed_count('persons', ['snapshot_date', 'lab_group_code', 'sub_group'],
            ['duration_band_sort_order']) }} as persons
    from durations
),

shown_totals as (
    select
        *,
        sum(persons) over (partition by snapshot_date, lab_group_code, sub_group)
            as shown_persons
    from disclosed
),

final as (
    select
        snapshot_date,
        cast(year as integer) as year,
        cast(month_of_year as integer) as month_of_year,
        lab_group_code,
        sub_group,
        cast(sort_order as integer) as sort_order,
        duration_band,
        duration_band_name,
        cast(duration_band_sort_order as integer) as duration_band_sort_order,
        cast(persons as integer) as persons,
        {{ share_pct('persons', 'shown_persons') }} as share_pct,
        is_complete_month
    from shown_totals
)

select * from final
