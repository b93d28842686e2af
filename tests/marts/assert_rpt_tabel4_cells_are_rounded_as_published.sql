{#-
    Tabel 4's disclosure rounding (docs/publication.md; vars `rounding_*`): a cell of 5-99
    citizens is rounded to the nearest `rounding_fine_step`, from
    `rounding_coarse_from` to the nearest `rounding_coarse_step`, a population to the
    nearest `rounding_population_step`; the printed cell is the rounded value. Fails for
    every row of `rpt_tabel4` whose `rounded_value` is not a multiple of its step, or
    whose `published_value` (unless "-") does not read as `rounded_value`.
-#}
with

tabel4 as (
    select * from {{ ref('rpt_tabel4') }}
),

cells as (
    select
        year,
        lab_group_code,
        tabel4_column,
        is_population,
        citizens,
        rounded_value,
        published_value,
        case
            when is_population then {{ var('rounding_population_step') }}
            when citizens >= {{ var('rounding_coarse_from') }}
                then {{ var('rounding_coarse_step') }}
            when citizens >= {{ var('rounding_suppress_below') }}
                then {{ var('rounding_fine_step') }}
        end as rounding_step,
        case
            when published_value != '-'
                then try_cast(
                        replace(replace(published_value, 'ca. ', ''), '.', '') as integer
                    )
        end as published_number
    from tabel4
)

select * from cells
where rounded_value % rounding_step != 0
    or published_number != rounded_value
