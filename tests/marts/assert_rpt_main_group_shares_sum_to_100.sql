{#-
    Main-group shares (rule 8, docs/rules.md#rule-8): a year's shares in
    `rpt_main_group_shares`, counted per LAB group (`share_pct_exact`) and by placement
    (`share_placed_pct_exact`), each add up to 100 %. Fails for every year where a sum
    is off 100 by more than 1e-6.
-#}
with

shares as (
    select * from {{ ref('rpt_main_group_shares') }}
),

final as (
    select
        year,
        sum(share_pct_exact) as share_sum,
        sum(share_placed_pct_exact) as placed_share_sum
    from shares
    group by year
)

select * from final
where abs(share_sum - 100) > 1e-6
    or abs(placed_share_sum - 100) > 1e-6
