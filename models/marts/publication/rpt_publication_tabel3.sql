{#-
    Tabel 3 for publication and BI tools: `rpt_tabel3` with every count through
    `disclosed_count` (no count under 5, the report's rounding, a second cell withheld
    when one group of a main group is). The fællesborgere are a part of the population
    (`disclosed_part`): withheld when the population is, never shown above it. The
    share is computed from the shown counts only (a share of exact small counts would
    give them away).
-#}
with

tabel3 as (
    select * from {{ ref('rpt_tabel3') }}
    where {{ published_period('is_complete_year') }}
),

disclosed as (
    select
        year,
        sort_order,
        row_label,
        row_kind,
        lab_group_code,
        main_group_code,
        is_complete_year,
        {{ disclosed_count('population', ['year', 'row_kind', 'main_group_code'], ['sort_order']) }}
            as population,
        {{ disclosed_count('faellesborgere', ['year', 'row_kind', 'main_group_code'],
            ['sort_order']) }} as faellesborgere
    from tabel3
),

consistent as (
    select
        year,
        sort_order,
        row_label,
        row_kind,
        lab_group_code,
        main_group_code,
        is_complete_year,
        population,
        {{ disclosed_part('faellesborgere', 'population') }} as faellesborgere
    from disclosed
),

final as (
    select
        cast(year as integer) as year,
        cast(sort_order as integer) as sort_order,
        row_label,
        row_kind,
        lab_group_code,
        main_group_code,
        cast(population as integer) as population,
        cast(faellesborgere as integer) as faellesborgere,
        {{ share_pct('faellesborgere', 'population') }} as share_pct,
        {{ disclosed_text('population') }} as population_text,
        {{ disclosed_text('faellesborgere') }} as faellesborgere_text,
        is_complete_year
    from consistent
)

select * from final
