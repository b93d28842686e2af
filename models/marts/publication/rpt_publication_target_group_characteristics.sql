{#-
    Bilag 1a's characteristics (rule 12 (docs/rules.md#rule-12)) for publication and BI
    tools: `rpt_target_group_characteristics` with the persons and the fuldtidspersoner
    (rounded to a whole number first) of every value through `disclosed_count` (no count
    under 5, the report's rounding, complementary suppression among the values of one
    characteristic of a row, which add up to the row). Fuldtidspersoner are withheld
    where the value's persons are. The shares are computed from the shown values only
    (whole percent of the shown values of the characteristic), never from exact counts.
-#}
with

characteristics as (
    select * from {{ ref('rpt_target_group_characteristics') }}
    where {{ published_period('is_complete_period') }}
),

whole as (
    select
        *,
        cast(round(fuldtidspersoner, 0) as integer) as fuldtidspersoner_whole
    from characteristics
),

disclosed as (
    select
        period_type,
        period_start,
        period_label,
        year,
        lab_group_code,
        sub_group,
        sort_order,
        characteristic,
        value,
        value_sort_order,
        is_complete_period,
        {{ disclosed_count('persons',
            ['period_type', 'period_start', 'lab_group_code', 'sub_group', 'characteristic'],
            ['value_sort_order']) }} as persons,
        {{ disclosed_count('fuldtidspersoner_whole',
            ['period_type', 'period_start', 'lab_group_code', 'sub_group', 'characteristic'],
            ['value_sort_order']) }} as fuldtidspersoner_disclosed
    from whole
),

consistent as (
    select
        *,
        case when persons is not null then fuldtidspersoner_disclosed end as fuldtidspersoner
    from disclosed
),

shown_totals as (
    select
        *,
        sum(fuldtidspersoner) over (
            partition by period_type, period_start, lab_group_code, sub_group, characteristic
        ) as shown_fuldtidspersoner,
        sum(persons) over (
            partition by period_type, period_start, lab_group_code, sub_group, characteristic
        ) as shown_persons
    from consistent
),

final as (
    select
        period_type,
        period_start,
        period_label,
        cast(year as integer) as year,
        lab_group_code,
        sub_group,
        cast(sort_order as integer) as sort_order,
        characteristic,
        value,
        cast(value_sort_order as integer) as value_sort_order,
        cast(persons as integer) as persons,
        cast(fuldtidspersoner as integer) as fuldtidspersoner,
        {{ share_pct('fuldtidspersoner', 'shown_fuldtidspersoner') }}
            as share_fuldtidspersoner_pct,
        {{ share_pct('persons', 'shown_persons') }} as share_persons_pct,
        is_complete_period
    from shown_totals
)

select * from final
