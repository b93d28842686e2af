{#-
    Rule 14 (docs/rules.md#rule-14), the follow-up: the citizens of Tabel 1's group
    (definition `tabel1` of `int_hoi__memberships`, in any cell) in a cohort month C,
    seen again in month C + k for k in var `hoi_followup_months_after` (0, 3, 6, 12).
    In C + k each of them is in one `bif_state`:

    - `in_group`: a spell day in a LAB group of one of Tabel 1's BIF groups at that
      group's ages (fact `hoi_bif_group` of `int_hoi__person_months`; a move between
      Tabel 1's BIF groups, e.g. 6.3 to 6.8, stays in the group);
    - `other_lab_group`: no such spell day, but a spell day in another LAB group;
    - `no_bif_spell`: no BIF spell day in the month (also a citizen the data no longer
      holds: moved away, died or left the extracts);

    and `has_sel_group_grant` says whether they still have a grant day of a HOI SEL
    group in C + k (so `in_group` with a grant is Tabel 1's group again). Row k = 0 is
    the cohort itself (all `in_group` with a grant). C and C + k are months of
    the report years (`int_report_months`); a (C, k) whose C + k lies beyond the last
    report year is left out, not shown as 0, and `is_complete_month` says whether the
    delivery covers both C and C + k to their last day (the publication leaves the
    others out, docs/rules.md#completeness). Every (C, k) of a cohort month with at least one citizen has all six state
    rows, 0 when empty, and `cohort_citizens`.
-#}
with

report_months as (
    select * from {{ ref('int_report_months') }}
),

memberships as (
    select * from {{ ref('int_hoi__memberships') }}
    where definition = 'tabel1'
),

facts as (
    select * from {{ ref('int_hoi__person_months') }}
),

covered_months as (
    -- the months of the report years, and whether the delivery covers each to its end
    select
        month_start,
        is_complete_month
    from report_months
),

offsets as (
    {{ dbt.generate_series(var('hoi_followup_months_after') | max + 1) }}
),

months_after as (
    select cast(generated_number - 1 as integer) as months_after
    from offsets
    where generated_number - 1 in ({{ var('hoi_followup_months_after') | join(', ') }})
),

cohort_months as (
    -- the covered months with at least one citizen in Tabel 1's group
    select distinct covered_months.month_start
    from covered_months
    inner join memberships
        on covered_months.month_start = memberships.month_start
),

followed_candidates as (
    select
        cohort_months.month_start as cohort_month,
        months_after.months_after,
        cast(
            {{ dbt.dateadd('month', 'months_after.months_after', 'cohort_months.month_start') }}
            as date
        ) as target_month
    from cohort_months
    cross join months_after
),

followed_months as (
    -- only a month followed that the delivery covers
    select
        followed_candidates.cohort_month,
        followed_candidates.months_after,
        followed_candidates.target_month,
        cohort_covered.is_complete_month and target_covered.is_complete_month
            as is_complete_month
    from followed_candidates
    inner join covered_months as cohort_covered
        on followed_candidates.cohort_month = cohort_covered.month_start
    inner join covered_months as target_covered
        on followed_candidates.target_month = target_covered.month_start
),

cohorts as (
    select distinct
        month_start as cohort_month,
        person_number
    from memberships
),

cohort_sizes as (
    select
        cohort_month,
        count(*) as cohort_citizens
    from cohorts
    group by cohort_month
),

target_facts as (
    select
        month_start,
        person_number,
        max(case when fact_kind = 'hoi_bif_group' then 1 else 0 end) as has_hoi_bif_group,
        max(case when fact_kind = 'lab_group' then 1 else 0 end) as has_lab_group,
        max(case when fact_kind = 'sel_group' then 1 else 0 end) as has_sel_group
    from facts
    group by month_start, person_number
),

followed as (
    select
        followed_months.cohort_month,
        followed_months.months_after,
        cohorts.person_number,
        case
            when target_facts.has_hoi_bif_group = 1 then 'in_group'
            when target_facts.has_lab_group = 1 then 'other_lab_group'
            else 'no_bif_spell'
        end as bif_state,
        coalesce(target_facts.has_sel_group, 0) = 1 as has_sel_group_grant
    from followed_months
    inner join cohorts
        on followed_months.cohort_month = cohorts.cohort_month
    left join target_facts
        on followed_months.target_month = target_facts.month_start
            and cohorts.person_number = target_facts.person_number
),

counted as (
    select
        cohort_month,
        months_after,
        bif_state,
        has_sel_group_grant,
        count(*) as citizens
    from followed
    group by cohort_month, months_after, bif_state, has_sel_group_grant
),

states as (
    select
        'in_group' as bif_state,
        1 as bif_state_sort_order
    union all
    select
        'other_lab_group' as bif_state,
        2 as bif_state_sort_order
    union all
    select
        'no_bif_spell' as bif_state,
        3 as bif_state_sort_order
),

grant_states as (
    select true as has_sel_group_grant
    union all
    select false as has_sel_group_grant
),

cells as (
    select
        followed_months.cohort_month,
        followed_months.months_after,
        followed_months.target_month,
        followed_months.is_complete_month,
        states.bif_state,
        states.bif_state_sort_order,
        grant_states.has_sel_group_grant
    from followed_months
    cross join states
    cross join grant_states
),

final as (
    select
        cells.cohort_month,
        cast(cells.months_after as integer) as months_after,
        cells.target_month,
        cells.bif_state,
        cast(cells.bif_state_sort_order as integer) as bif_state_sort_order,
        cells.has_sel_group_grant,
        cast(coalesce(counted.citizens, 0) as integer) as citizens,
        cast(coalesce(cohort_sizes.cohort_citizens, 0) as integer) as cohort_citizens,
        cells.is_complete_month
    from cells
    left join counted
        on cells.cohort_month = counted.cohort_month
            and cells.months_after = counted.months_after
            and cells.bif_state = counted.bif_state
            and cells.has_sel_group_grant = counted.has_sel_group_grant
    left join cohort_sizes
        on cells.cohort_month = cohort_sizes.cohort_month
)

select * from final
