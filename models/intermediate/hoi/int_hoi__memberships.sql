{#-
    Rule 14 (docs/rules.md#rule-14): who is in which HOI definition in a month, one row
    per month, citizen, definition, SEL group and BIF group (a citizen may stand in
    several cells of one month), from the month facts of `int_hoi__person_months`:

    - `tabel1` (rule 10 (docs/rules.md#rule-10), Tabel 1): a Tabel 1 BIF group
      (`hoi_bif_group`, ages included) and a grant day of a HOI SEL group in the month;
      `bif_group` is the Tabel 1 BIF group.
    - `star` (STAR's Boks 1): aged at least var `hoi_star_min_age` (25) on the first
      day of the month, a spell day in a LAB group other than those of var
      `hoi_star_excluded_lab_groups` (6.1), and a grant day of a HOI SEL group;
      `bif_group` is the LAB group code.
    - `familieplan`: a spell day in any LAB group and, on a day of the month, custody
      of a child with a § 52 measure (rule 4; the common days of measure and custody
      relation); `sel_group` is `§ 52`, `bif_group` the LAB group code. No age limit.

    The spell day and the grant (or measure) day need not be the same day.

    Incremental by citizen on DuckDB, after `int_hoi__person_months`
    (macros/citizen_restatement.sql, docs/incremental.md), every citizen again when a
    var of its rules changes; a table on Spark.
-#}
{{ config(
    materialized=incremental_stg_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ restatement_pre_hook(bif_and_sof_citizen_sources(), none,
        ref('int_hoi__person_months'), ['hoi_star_min_age', 'hoi_star_excluded_lab_groups']) }}",
    post_hook="{{ restatement_post_hook(none, ref('int_hoi__person_months'),
        ['hoi_star_min_age', 'hoi_star_excluded_lab_groups']) }}"
) }}
{%- set excluded_lab_groups = "'" ~ var('hoi_star_excluded_lab_groups') | join("', '") ~ "'" %}
{%- set restated = restated_citizens_only('person_number', bif_and_sof_citizen_sources(), none,
    ref('int_hoi__person_months'), ['hoi_star_min_age', 'hoi_star_excluded_lab_groups']) %}

with

-- each kind of month fact read from the model itself: a CTE that several others read
-- would be materialized by DuckDB, a copy of every fact (BENCHMARKS.md)
sel_groups as (
    select
        month_start,
        person_number,
        fact_value as sel_group
    from {{ ref('int_hoi__person_months') }}
    where fact_kind = 'sel_group'
        and {{ restated }}
),

bif_groups as (
    select
        month_start,
        person_number,
        fact_value as bif_group
    from {{ ref('int_hoi__person_months') }}
    where fact_kind = 'hoi_bif_group'
        and {{ restated }}
),

lab_groups as (
    select
        month_start,
        person_number,
        fact_value as lab_group_code,
        age
    from {{ ref('int_hoi__person_months') }}
    where fact_kind = 'lab_group'
        and {{ restated }}
),

child_measures as (
    select distinct
        month_start,
        person_number
    from {{ ref('int_hoi__person_months') }}
    where fact_kind = 'child_measure'
        and {{ restated }}
),

tabel1 as (
    select
        bif_groups.month_start,
        bif_groups.person_number,
        'tabel1' as definition,
        sel_groups.sel_group,
        bif_groups.bif_group
    from bif_groups
    inner join sel_groups
        on bif_groups.month_start = sel_groups.month_start
            and bif_groups.person_number = sel_groups.person_number
),

star as (
    select
        lab_groups.month_start,
        lab_groups.person_number,
        'star' as definition,
        sel_groups.sel_group,
        lab_groups.lab_group_code as bif_group
    from lab_groups
    inner join sel_groups
        on lab_groups.month_start = sel_groups.month_start
            and lab_groups.person_number = sel_groups.person_number
    where lab_groups.age >= {{ var('hoi_star_min_age') }}
        and lab_groups.lab_group_code not in ({{ excluded_lab_groups }})
),

familieplan as (
    select
        lab_groups.month_start,
        lab_groups.person_number,
        'familieplan' as definition,
        '§ 52' as sel_group,
        lab_groups.lab_group_code as bif_group
    from lab_groups
    inner join child_measures
        on lab_groups.month_start = child_measures.month_start
            and lab_groups.person_number = child_measures.person_number
),

unioned as (
    select * from tabel1
    union all
    select * from star
    union all
    select * from familieplan
),

final as (
    select
        month_start,
        person_number,
        definition,
        sel_group,
        bif_group
    from unioned
)

select * from final
