-- The published figures a delivery misses, worst first. Compile with
-- `dbt compile --select reconciliation_out_of_tolerance` and run the SQL in
-- target/compiled/ against a warehouse built from another delivery (e.g. a real one).
select
    figure_id,
    source,
    period,
    description,
    published_text,
    computed_text,
    difference,
    tolerance,
    tolerance_kind
from {{ ref('rpt_published_reconciliation') }}
where not is_within_tolerance
order by abs(difference) desc nulls first, figure_id
