with

faellesborger as (
    select * from {{ ref('fct_faellesborger') }}
),

memberships as (
    select * from {{ ref('int_bif__lab_group_years') }}
),

final as (
    select
        faellesborger.year,
        faellesborger.person_key,
        memberships.lab_group_code
    from faellesborger
    inner join memberships
        on faellesborger.year = memberships.year
            and {{ person_number('faellesborger.person_key') }} = memberships.person_number
)

select * from final
