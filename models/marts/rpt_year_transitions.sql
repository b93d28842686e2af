{#-
    Rule 15 (docs/rules.md#rule-15), flows between years: for every pair of consecutive
    report years (Y, Y+1), each citizen's state in Y and in Y+1 and the number of
    citizens per pair of states. A state is `not_bif_active` (rule 1
    (docs/rules.md#rule-1)), `bif_active` (BIF-active, not a fællesborger, rule 5
    (docs/rules.md#rule-5)) or `faellesborger:<main group>:<step>` (main group by rule 8
    (docs/rules.md#rule-8), step by rule 7 (docs/rules.md#rule-7), `none` for a
    fællesborger with only børnesager). The citizens counted are those BIF-active in at
    least one of the two years; the matrix is complete: every pair of states of every
    year pair is a row, 0 where nobody moved so, except not BIF-active in both years
    (those citizens are not counted). The states come from the seeds `lab_main_groups`
    and `support_steps`; the person-years from `int_bif__person_years` and
    `fct_faellesborger`, not recomputed. A year pair is complete only if both years are
    (`int_report_years.is_complete_year`).
-#}
{%- set text_type = dbt.type_string() -%}
with

years as (
    select * from {{ ref('int_report_years') }}
),

person_years as (
    select * from {{ ref('int_bif__person_years') }}
    where is_bif_active
),

faellesborger as (
    select * from {{ ref('fct_faellesborger') }}
),

main_groups as (
    select * from {{ ref('lab_main_groups') }}
),

steps as (
    select * from {{ ref('support_steps') }}
),

year_pairs as (
    select
        from_years.year as from_year,
        to_years.year as to_year,
        from_years.is_complete_year and to_years.is_complete_year as is_complete_year_pair
    from years as from_years
    inner join years as to_years
        on to_years.year = from_years.year + 1
),

step_states as (
    select
        cast(support_step as integer) as support_step,
        cast(support_step as {{ text_type }}) as step_code,
        cast(support_step as integer) as step_sort_order
    from steps
    union all
    select
        cast(null as integer) as support_step,
        'none' as step_code,
        cast(99 as integer) as step_sort_order
),

faellesborger_states as (
    select
        main_groups.main_group_code,
        step_states.support_step,
        'faellesborger' as state_kind,
        'faellesborger:' || main_groups.main_group_code || ':' || step_states.step_code
            as state,
        row_number() over (
            order by main_groups.sort_order, step_states.step_sort_order
        ) as kind_sort_order
    from main_groups
    cross join step_states
),

states as (
    select
        'not_bif_active' as state,
        'not_bif_active' as state_kind,
        cast(null as {{ text_type }}) as main_group_code,
        cast(null as integer) as support_step,
        cast(1 as integer) as state_sort_order
    union all
    select
        'bif_active' as state,
        'bif_active' as state_kind,
        cast(null as {{ text_type }}) as main_group_code,
        cast(null as integer) as support_step,
        cast(2 as integer) as state_sort_order
    union all
    select
        state,
        state_kind,
        main_group_code,
        support_step,
        cast(2 + kind_sort_order as integer) as state_sort_order
    from faellesborger_states
),

-- the fællesborgere by the number the BIF models name citizens by (macro person_number)
faellesborger_numbers as (
    select
        year,
        {{ person_number('person_key') }} as person_number,
        main_group_code,
        support_step
    from faellesborger
),

-- Each BIF-active person-year's state: a fællesborger's main group and step, else bif_active.
person_states as (
    select
        person_years.year,
        person_years.person_number,
        case
            when faellesborger_numbers.person_number is null then 'bif_active'
            else 'faellesborger:' || faellesborger_numbers.main_group_code || ':'
                || coalesce(cast(faellesborger_numbers.support_step as {{ text_type }}), 'none')
        end as state
    from person_years
    left join faellesborger_numbers
        on person_years.year = faellesborger_numbers.year
            and person_years.person_number = faellesborger_numbers.person_number
),

-- The citizens of a year pair: BIF-active in at least one of its two years. Each of a
-- citizen's person-years is the "from" side of its year's pair and the "to" side of the
-- pair before it (person_states has one row per year and citizen); a full join of the
-- two sides by pair and citizen gives both states, not BIF-active where a side has none.
from_sides as (
    select
        year_pairs.from_year,
        year_pairs.to_year,
        person_states.person_number,
        person_states.state
    from year_pairs
    inner join person_states
        on year_pairs.from_year = person_states.year
),

to_sides as (
    select
        year_pairs.from_year,
        year_pairs.to_year,
        person_states.person_number,
        person_states.state
    from year_pairs
    inner join person_states
        on year_pairs.to_year = person_states.year
),

transitions as (
    select
        coalesce(from_sides.from_year, to_sides.from_year) as from_year,
        coalesce(from_sides.to_year, to_sides.to_year) as to_year,
        coalesce(from_sides.state, 'not_bif_active') as from_state,
        coalesce(to_sides.state, 'not_bif_active') as to_state
    from from_sides
    full outer join to_sides
        on from_sides.from_year = to_sides.from_year
            and from_sides.person_number = to_sides.person_number
),

counts as (
    select
        from_year,
        to_year,
        from_state,
        to_state,
        count(*) as citizens
    from transitions
    group by from_year, to_year, from_state, to_state
),

cells as (
    select
        year_pairs.from_year,
        year_pairs.to_year,
        year_pairs.is_complete_year_pair,
        from_states.state as from_state,
        from_states.state_kind as from_state_kind,
        from_states.main_group_code as from_main_group_code,
        from_states.support_step as from_support_step,
        from_states.state_sort_order as from_state_sort_order,
        to_states.state as to_state,
        to_states.state_kind as to_state_kind,
        to_states.main_group_code as to_main_group_code,
        to_states.support_step as to_support_step,
        to_states.state_sort_order as to_state_sort_order,
        coalesce(counts.citizens, 0) as citizens
    from year_pairs
    cross join states as from_states
    cross join states as to_states
    left join counts
        on year_pairs.from_year = counts.from_year
            and from_states.state = counts.from_state
            and to_states.state = counts.to_state
    where not (from_states.state = 'not_bif_active' and to_states.state = 'not_bif_active')
),

final as (
    select
        cast(from_year as integer) as from_year,
        cast(to_year as integer) as to_year,
        from_state,
        to_state,
        cast(citizens as integer) as citizens,
        from_state_kind,
        from_main_group_code,
        cast(from_support_step as integer) as from_support_step,
        cast(from_state_sort_order as integer) as from_state_sort_order,
        to_state_kind,
        to_main_group_code,
        cast(to_support_step as integer) as to_support_step,
        cast(to_state_sort_order as integer) as to_state_sort_order,
        is_complete_year_pair
    from cells
)

select * from final
