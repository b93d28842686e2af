{#-
    The Tabel 4 columns of every fællesborger year: a fællesborger is in a column when
    they have, in the year, a coordination-relevant intervention whose catalogue column
    (`sof_interventions.tabel4_column`) it is, their own adult intervention or a børnesag
    as custody holder (rules 3-5). One row per year, fællesborger and column.
-#}
with

faellesborger_years as (
    select * from {{ ref('int_faellesborger_years') }}
),

intervention_years as (
    select * from {{ ref('int_sof__person_intervention_years') }}
),

interventions as (
    select * from {{ ref('sof_interventions') }}
    where is_coordination_relevant
        and tabel4_column is not null
),

in_columns as (
    select distinct
        intervention_years.year,
        intervention_years.person_key,
        interventions.tabel4_column
    from intervention_years
    inner join interventions
        on intervention_years.intervention_code = interventions.intervention_code
    inner join faellesborger_years
        on intervention_years.year = faellesborger_years.year
            and intervention_years.person_key = faellesborger_years.person_key
),

final as (
    select
        year,
        person_key,
        tabel4_column
    from in_columns
)

select * from final
