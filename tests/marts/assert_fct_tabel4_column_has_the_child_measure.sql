{#-
    Rule 4 (docs/rules.md#rule-4): a fællesborger counted in a Tabel 4 column of
    children's measures has a child with that measure: in the column of placed children
    (`child_measure_kind` anbringelse) `has_child_placed`, in the column of preventive
    measures (forebyggende) `has_child_preventive` in `fct_faellesborger`. Fails for
    every row of `fct_faellesborger_tabel4_column` where that is false.
-#}
with

tabel4_column as (
    select * from {{ ref('fct_faellesborger_tabel4_column') }}
),

fct as (
    select * from {{ ref('fct_faellesborger') }}
),

interventions as (
    select * from {{ ref('dim_sof_intervention') }}
),

column_kind as (
    select
        tabel4_column,
        max(child_measure_kind) as child_measure_kind
    from interventions
    where tabel4_column is not null
    group by tabel4_column
),

final as (
    select
        tabel4_column.year,
        tabel4_column.person_key,
        tabel4_column.tabel4_column,
        column_kind.child_measure_kind,
        fct.has_child_placed,
        fct.has_child_preventive
    from tabel4_column
    inner join column_kind
        on tabel4_column.tabel4_column = column_kind.tabel4_column
    left join fct
        on tabel4_column.year = fct.year
            and tabel4_column.person_key = fct.person_key
)

select * from final
where (child_measure_kind = 'anbringelse' and not has_child_placed)
    or (child_measure_kind = 'forebyggende' and not has_child_preventive)
