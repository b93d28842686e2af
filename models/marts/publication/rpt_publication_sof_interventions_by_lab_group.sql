{#-
    Bilag 2 (rule 16 (docs/rules.md#rule-16)) for publication and BI tools:
    `rpt_sof_interventions_by_lab_group` with every count through `disclosed_count`:
    no count under 5, the report's rounding, complementary suppression among the LAB
    groups of a year and intervention. `citizens_simultaneous` is a part of `citizens`
    (macro `disclosed_part`): withheld where `citizens` is, never shown above it.
-#}
with

bilag2 as (
    select * from {{ ref('rpt_sof_interventions_by_lab_group') }}
    where {{ published_period('is_complete_year') }}
),

disclosed as (
    select
        year,
        lab_group_code,
        lab_group_sort_order,
        intervention_code,
        intervention_name,
        is_coordination_relevant,
        child_measure_kind,
        is_child_measure_kind_row,
        is_complete_year,
        {{ disclosed_count('citizens', ['year', 'intervention_code'], ['lab_group_sort_order']) }}
            as citizens,
        {{ disclosed_count('citizens_simultaneous', ['year', 'intervention_code'],
            ['lab_group_sort_order']) }} as citizens_simultaneous
    from bilag2
),

parts as (
    select
        *,
        {{ disclosed_part('citizens_simultaneous', 'citizens') }} as simultaneous_shown
    from disclosed
),

final as (
    select
        cast(year as integer) as year,
        lab_group_code,
        cast(lab_group_sort_order as integer) as lab_group_sort_order,
        intervention_code,
        intervention_name,
        is_coordination_relevant,
        child_measure_kind,
        is_child_measure_kind_row,
        cast(citizens as integer) as citizens,
        cast(simultaneous_shown as integer) as citizens_simultaneous,
        {{ disclosed_text('citizens') }} as citizens_text,
        {{ disclosed_text('simultaneous_shown') }} as citizens_simultaneous_text,
        is_complete_year
    from parts
)

select * from final
