{#-
    Tabel 3 (rule 5, docs/rules.md#rule-5): the printed share is the exact share rounded
    to a whole percent. Fails for every row of `rpt_tabel3` whose `share_pct` is more
    than half a percentage point from `share_pct_exact`.
-#}
with

tabel3 as (
    select * from {{ ref('rpt_tabel3') }}
),

final as (
    select
        year,
        row_label,
        share_pct,
        share_pct_exact,
        abs(share_pct - share_pct_exact) as rounding_gap
    from tabel3
)

select * from final
where rounding_gap > 0.5
