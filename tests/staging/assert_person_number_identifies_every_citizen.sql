{#-
    The intermediate models and marts join and count citizens on `person_number`, the
    integer of a citizen's `person_key` (macro `person_number`: its first 15
    hexadecimal digits), also where the BIF citizens meet the SOF citizens. So two
    citizens must never share a number, whichever extract names them. Fails for every
    number that stands for more than one key among the citizens of every staged extract:
    the BIF spells, the SOF grants, both sides of the custody relations and the person
    register. A collision fails the build; it is never merged silently.
-#}
with

bif_spells as (
    select * from {{ ref('stg_bif__ydelsesforloeb') }}
),

sof_grants as (
    select * from {{ ref('stg_sof__bevillinger') }}
),

custody as (
    select * from {{ ref('stg_sof__foraeldremyndighed') }}
),

register as (
    select * from {{ ref('stg_cpr__personer') }}
),

citizen_keys as (
    select person_key from bif_spells
    union
    select person_key from sof_grants
    union
    select parent_person_key as person_key from custody
    union
    select child_person_key as person_key from custody
    union
    select person_key from register
),

numbered as (
    select
        {{ person_number('person_key') }} as person_number,
        person_key
    from citizen_keys
    where person_key is not null
),

final as (
    select
        person_number,
        count(*) as citizens
    from numbered
    group by person_number
    having count(*) > 1
)

select * from final
