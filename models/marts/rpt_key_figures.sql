{#-
    The report's key figures around the fællesborgere for every year (chapters 3 and 4,
    sections 5.1, 5.3 and 5.5): BIF-active citizens, SOF citizens, fællesborgere, those
    with a børnesag, the BIF-active citizens with only non-coordination-relevant SOF
    grants (rule 6 (docs/rules.md#rule-6)), and the fællesborgere's share of the adults
    with a coordination-relevant intervention or børnesag. One row per report year.
-#}
with

years as (
    select * from {{ ref('int_report_years') }}
),

person_years as (
    select * from {{ ref('int_bif__person_years') }}
    where is_bif_active
),

grants as (
    select * from {{ ref('int_sof__grants') }}
),

intervention_years as (
    select * from {{ ref('int_sof__person_intervention_years') }}
),

faellesborger as (
    select * from {{ ref('fct_faellesborger') }}
),

bif_counts as (
    select
        year,
        count(*) as bif_active_citizens
    from person_years
    group by year
),

sof_counts as (
    select
        years.year,
        count(distinct grants.person_key) as sof_citizens
    from grants
    inner join years
        on {{ periods_overlap(
            'grants.start_date', 'grants.effective_end_date', 'years.year_start', 'years.year_end'
        ) }}
    group by years.year
),

sof_person_years as (
    select
        intervention_years.year,
        intervention_years.person_key,
        intervention_years.age_anchor_month,
        max(case when intervention_years.is_coordination_relevant then 1 else 0 end) = 1
            as has_coordination_relevant
    from intervention_years
    group by
        intervention_years.year,
        intervention_years.person_key,
        intervention_years.age_anchor_month
),

only_non_coordination as (
    select
        sof_person_years.year,
        count(*) as bif_active_only_non_coordination
    from sof_person_years
    inner join person_years
        on sof_person_years.year = person_years.year
            -- the BIF models name a citizen by the integer of the key (macro person_number)
            and {{ person_number('sof_person_years.person_key') }} = person_years.person_number
    where not sof_person_years.has_coordination_relevant
    group by sof_person_years.year
),

sof_adults as (
    select
        sof_person_years.year,
        count(*) as sof_adults_coordination_relevant,
        count(faellesborger.person_key) as sof_adults_coordination_relevant_faellesborgere
    from sof_person_years
    left join faellesborger
        on sof_person_years.year = faellesborger.year
            and sof_person_years.person_key = faellesborger.person_key
    where sof_person_years.has_coordination_relevant
        and {{ age_at_month_start(
            month_index('sof_person_years.year', 1), 'sof_person_years.age_anchor_month'
        ) }} >= {{ var('adult_min_age') }}
    group by sof_person_years.year
),

faellesborger_counts as (
    select
        year,
        count(*) as faellesborgere,
        sum(case when has_child_preventive or has_child_placed then 1 else 0 end)
            as faellesborgere_with_boernesag
    from faellesborger
    group by year
),

final as (
    select
        cast(years.year as integer) as year,
        cast(coalesce(bif_counts.bif_active_citizens, 0) as integer) as bif_active_citizens,
        cast(coalesce(sof_counts.sof_citizens, 0) as integer) as sof_citizens,
        cast(coalesce(faellesborger_counts.faellesborgere, 0) as integer) as faellesborgere,
        cast(coalesce(faellesborger_counts.faellesborgere_with_boernesag, 0) as integer)
            as faellesborgere_with_boernesag,
        cast(coalesce(only_non_coordination.bif_active_only_non_coordination, 0) as integer)
            as bif_active_only_non_coordination,
        cast(coalesce(sof_adults.sof_adults_coordination_relevant, 0) as integer)
            as sof_adults_coordination_relevant,
        cast(coalesce(sof_adults.sof_adults_coordination_relevant_faellesborgere, 0) as integer)
            as sof_adults_coordination_relevant_faellesborgere,
        {{ share_pct(
            'sof_adults.sof_adults_coordination_relevant_faellesborgere',
            'sof_adults.sof_adults_coordination_relevant'
        ) }} as faellesborgere_share_of_sof_adults_pct,
        {{ share_pct_exact(
            'sof_adults.sof_adults_coordination_relevant_faellesborgere',
            'sof_adults.sof_adults_coordination_relevant'
        ) }} as faellesborgere_share_of_sof_adults_pct_exact,
        years.is_complete_year
    from years
    left join bif_counts
        on years.year = bif_counts.year
    left join sof_counts
        on years.year = sof_counts.year
    left join faellesborger_counts
        on years.year = faellesborger_counts.year
    left join only_non_coordination
        on years.year = only_non_coordination.year
    left join sof_adults
        on years.year = sof_adults.year
)

select * from final
