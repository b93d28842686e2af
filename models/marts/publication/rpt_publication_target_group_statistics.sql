{#-
    Bilag 1a's target-group statistics (rule 11 (docs/rules.md#rule-11)) for
    publication and BI tools: `rpt_target_group_statistics` with the persons and the
    fuldtidspersoner (first rounded to a whole number, as Bilag 1a prints them) through
    `disclosed_count`: no count under 5, the report's rounding (nearest 10, from 100
    the nearest 50), and complementary suppression among the rows of a main group in a
    period. Fuldtidspersoner are withheld where the row's persons are. No exact counts.
-#}
with

statistics as (
    select * from {{ ref('rpt_target_group_statistics') }}
    where {{ published_period('is_complete_period') }}
),

whole as (
    select
        *,
        cast(round(fuldtidspersoner, 0) as integer) as fuldtidspersoner_whole
    from statistics
),

disclosed as (
    select
        period_type,
        period_start,
        period_label,
        year,
        row_kind,
        lab_group_code,
        sub_group,
        main_group_code,
        row_name,
        sort_order,
        is_complete_period,
        {{ disclosed_count('persons', ['period_type', 'period_start', 'main_group_code'],
            ['sort_order']) }} as persons,
        {{ disclosed_count('fuldtidspersoner_whole',
            ['period_type', 'period_start', 'main_group_code'], ['sort_order']) }}
            as fuldtidspersoner
    from whole
),

final as (
    select
        period_type,
        period_start,
        period_label,
        cast(year as integer) as year,
        row_kind,
        lab_group_code,
        sub_group,
        main_group_code,
        row_name,
        cast(sort_order as integer) as sort_order,
        cast(persons as integer) as persons,
        cast(case when persons is not null then fuldtidspersoner end as integer)
            as fuldtidspersoner,
        {{ disclosed_text('persons') }} as persons_text,
        {{ disclosed_text('case when persons is not null then fuldtidspersoner end') }}
            as fuldtidspersoner_text,
        is_complete_period
    from disclosed
)

select * from final
