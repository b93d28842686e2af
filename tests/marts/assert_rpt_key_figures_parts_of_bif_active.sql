{#-
    Rule 6 (docs/rules.md#rule-6): fællesborgere and BIF-active citizens with only
    non-coordination-relevant grants are disjoint parts of the BIF-active citizens.
    Fails for every year of `rpt_key_figures` where the two together exceed
    `bif_active_citizens`.
-#}
with

key_figures as (
    select * from {{ ref('rpt_key_figures') }}
),

final as (
    select
        year,
        bif_active_citizens,
        faellesborgere,
        bif_active_only_non_coordination
    from key_figures
)

select * from final
where faellesborgere + bif_active_only_non_coordination > bif_active_citizens
