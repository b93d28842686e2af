{#-
    Every citizen key of every staged extract (BIF spells, SOF grants, both sides of a
    custody relation, the person register) once, with its `person_number` (macro
    `person_number`: the key's first 15 hexadecimal digits as an integer). The BIF
    models name a citizen by the number, and the SOF citizens are joined to them on it,
    so two citizens of any extract must never share one: the unique tests on both
    columns fail the build if they do (the chance is about 1 in 20 000 at 10 million
    citizens). A view: only its tests read it.
-#}
{{ config(materialized='view') }}

with

spells as (
    select * from {{ ref('stg_bif__ydelsesforloeb') }}
),

grants as (
    select * from {{ ref('stg_sof__bevillinger') }}
),

custody as (
    select * from {{ ref('stg_sof__foraeldremyndighed') }}
),

persons as (
    select * from {{ ref('stg_cpr__personer') }}
),

keys as (
    select person_key from spells
    union
    select person_key from grants
    union
    select parent_person_key as person_key from custody
    union
    select child_person_key as person_key from custody
    union
    select person_key from persons
),

final as (
    select
        person_key,
        {{ person_number('person_key') }} as person_number
    from keys
    where person_key is not null
)

select * from final
