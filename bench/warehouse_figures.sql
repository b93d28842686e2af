-- The figures the benchmark compares, read from the warehouse's marts, in the long
-- shape every contender (bench/floor.sql, bench/pandas_peer.py) returns:
-- figure (tabel3 | tabel4 | steps | hoi), key ('|'-joined dimensions), value (a count).
-- Missing keys count as 0 when the contenders are compared.
select
    'tabel3' as figure,
    cast(year as varchar) || '|' || lab_group_code || '|population' as key,
    cast(population as bigint) as value
from marts.rpt_tabel3
where row_kind = 'group'
union all
select
    'tabel3',
    cast(year as varchar) || '|' || lab_group_code || '|faellesborgere',
    faellesborgere
from marts.rpt_tabel3
where row_kind = 'group'
union all
select
    'tabel3',
    cast(year as varchar) || '|' || coalesce(main_group_code, 'ALL') || '|population_unique',
    population_unique_citizens
from marts.rpt_tabel3
where row_kind = 'total'
union all
select
    'tabel3',
    cast(year as varchar) || '|' || coalesce(main_group_code, 'ALL') || '|faellesborgere_unique',
    faellesborgere_unique_citizens
from marts.rpt_tabel3
where row_kind = 'total'
union all
select
    'tabel4',
    cast(year as varchar) || '|' || lab_group_code || '|' || tabel4_column,
    citizens
from marts.rpt_tabel4
union all
select
    'steps',
    cast(year as varchar) || '|' || cast(support_step as varchar) || '|all',
    faellesborgere
from marts.rpt_support_steps
union all
select
    'steps',
    cast(year as varchar) || '|' || cast(support_step as varchar) || '|kanten',
    faellesborgere_kanten
from marts.rpt_support_steps
union all
select
    'hoi',
    strftime(month, '%Y-%m') || '|' || sel_group || '|' || bif_group,
    citizens
from marts.rpt_hoi_target_group
union all
-- Bilag 1a, rule 11: persons and spell days (fuldtidspersoner x the period's days) per
-- period and row; the totals' row is the main group (or ALL), each citizen once
select
    'bilag1a',
    period_label || '|' || case when lab_group_code = 'ALL' then main_group_code else lab_group_code end
    || '|' || sub_group || '|persons',
    persons
from marts.rpt_target_group_statistics
union all
select
    'bilag1a',
    period_label || '|' || case when lab_group_code = 'ALL' then main_group_code else lab_group_code end
    || '|' || sub_group || '|spell_days',
    spell_days
from marts.rpt_target_group_statistics
union all
-- Bilag 1a, rule 13: citizens per duration band on each month's last day
select
    'duration',
    strftime(snapshot_date, '%Y-%m') || '|' || lab_group_code || '|' || sub_group || '|'
    || duration_band,
    persons
from marts.rpt_benefit_duration
