with

faellesborger_columns as (
    select * from {{ ref('int_faellesborger_tabel4_columns') }}
),

final as (
    select
        year,
        person_key,
        tabel4_column
    from faellesborger_columns
)

select * from final
