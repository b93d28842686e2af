-- The benchmark floor: the figures of bench/warehouse_figures.sql computed by
-- one hand-written DuckDB script straight from the raw CSV files, with no cleaning
-- beyond what the rules (docs/rules.md, rules 1-11 and 13) and the raw format
-- (docs/raw-extracts.md) need. It is the lower bound the warehouse is timed
-- against, so it is written for speed, but every rule that changes a count is here,
-- with the warehouse's exact semantics (models/, macros/rules/).
--
-- Placeholders, filled by faellesborger_bench.floor (bench/faellesborger_bench/floor.py):
--   ${SEEDS_DIR}                         the dbt seeds (reference tables)
--   ${BIF_UTF8}, ${BIF_LATIN1}           per extract, SQL lists of its raw files
--   ${SOF_UTF8}, ${SOF_LATIN1}           `<extract>*.csv` in ${RAW_DIR} by encoding
--   ${CUSTODY_UTF8}, ${CUSTODY_LATIN1}   (UTF-8 with or without BOM / Windows-1252), each
--                                        list ending with a header-only stub, so that no
--                                        list is empty and every column read exists
--
-- Conventions:
-- * A person is the normalised CPR number as a bigint (10 digits: one-to-one); no
--   pseudonymisation is needed to count.
-- * Dates become month indexes (year * 12 + month - 1). The warehouse joins spells and
--   grants to calendar months (years) with `start <= period_end and end >= period_start`,
--   which is exactly "the index range [month(start), month(end)] meets the period".
-- * Expensive text parsing runs only where a cheap exact lookup misses: a date, a LAB
--   group spelling or an intervention code is first looked up among its canonical
--   spellings; anything else takes the warehouse's own parsing expression.
-- * Row validity goes into the merge's sort key (null for an unusable row, which
--   arg_max skips), not into a WHERE: DuckDB would push a WHERE on computed columns
--   below the projection and parse every value twice.
--
-- The last statement returns the figures: figure, key ('|'-joined dimensions), value.

-- The joins below are written with the small side on the right (the build side);
-- DuckDB's row estimate for read_csv would otherwise make it build hash tables of the
-- raw rows instead of the lookups.
set disabled_optimizers = 'build_side_probe_side';

-- Parsing rules (macros/rules/cleaning.sql) -------------------------------------------------

-- A date written DD-MM-YYYY or YYYY-MM-DD; null when empty, not a valid date, or with a
-- character where a digit belongs (DuckDB's cast to date would read '2020-02-1a').
create temp macro parse_date(t) as
    case
        when trim(t) like '__-__-____' then cast(try_strptime(trim(t), '%d-%m-%Y') as date)
        when trim(t) like '____-__-__' then cast(try_strptime(trim(t), '%Y-%m-%d') as date)
    end;

-- A normalised CPR number as a number when it has 10 digits (else null).
create temp macro cpr_number(c) as
    case when regexp_full_match(c, '[0-9]{10}') then cast(c as bigint) end;

-- A CPR number without dash and spaces, 9 digits (a dropped leading zero) padded to 10,
-- as a number when it then has 10 digits (else null). The common spellings (DDMMYYSSSS,
-- DDMMYY-SSSS) take a shortcut with the same result.
create temp macro cpr_id(x) as
    case
        when regexp_full_match(x, '[0-9]{6}-?[0-9]{4}') then cast(replace(x, '-', '') as bigint)
        else cpr_number(
            case
                when length(replace(replace(trim(x), '-', ''), ' ', '')) = 9
                    then lpad(replace(replace(trim(x), '-', ''), ' ', ''), 10, '0')
                else replace(replace(trim(x), '-', ''), ' ', '')
            end
        )
    end;

-- Birth year from a CPR number: the 7th digit and the year digits give the century.
create temp macro cpr_birth_year(n) as
    (n // 10000) % 100 + case
        when (n // 1000) % 10 <= 3 then 1900
        when (n // 1000) % 10 in (4, 9)
            then case when (n // 10000) % 100 <= 36 then 2000 else 1900 end
        when (n // 10000) % 100 <= 57 then 2000
        else 1800
    end;

-- True when the CPR number's DDMMYY (with its century) is a valid date: a possible CPR.
create temp macro cpr_is_possible(n) as
    coalesce(
        (n // 1000000) % 100 between 1 and 12
        and n // 100000000 >= 1
        and n // 100000000 <= case
            when (n // 1000000) % 100 = 2 then
                case
                    when cpr_birth_year(n) % 4 = 0
                        and (cpr_birth_year(n) % 100 <> 0 or cpr_birth_year(n) % 400 = 0)
                        then 29
                    else 28
                end
            when (n // 1000000) % 100 in (4, 6, 9, 11) then 30
            else 31
        end,
        false
    );

-- Age anchor (macro age_anchor_month): the index of the first month that begins on or
-- after the birth date; the age on the first day of month m is floor((m - anchor) / 12).
create temp macro cpr_age_anchor(n) as
    cpr_birth_year(n) * 12 + (n // 1000000) % 100 - 1
        + case when n // 100000000 = 1 then 0 else 1 end;

create temp macro cpr_birth_date(n) as
    make_date(cpr_birth_year(n), (n // 1000000) % 100, n // 100000000);

-- A date, or the birth date of a CPR number, as the number YYYYMMDD: "start before birth"
-- (quarantined by staging) without making a date of an impossible CPR number.
create temp macro ymd(d) as year(d) * 10000 + month(d) * 100 + day(d);
create temp macro cpr_birth_ymd(n) as
    cpr_birth_year(n) * 10000 + (n // 1000000) % 100 * 100 + n // 100000000;

-- LAB group code from the spellings of the jobcenter system; null when not recognised
create temp macro lab_group_of(x) as
    case
        when regexp_extract(lower(trim(x)), '^(lab)? *(§ *)?6 *([.,]|,? *nr[.]?) *([0-9]{1,2})$', 4)
            != ''
            then '6.' || cast(cast(regexp_extract(lower(trim(x)),
                '^(lab)? *(§ *)?6 *([.,]|,? *nr[.]?) *([0-9]{1,2})$', 4) as integer) as varchar)
    end;

create temp macro month_index(d) as year(d) * 12 + month(d) - 1;

-- The number of days of month index m.
create temp macro days_in_month(m) as
    case m % 12
        when 1 then
            case
                when (m // 12) % 4 = 0 and ((m // 12) % 100 <> 0 or (m // 12) % 400 = 0) then 29
                else 28
            end
        when 3 then 30
        when 5 then 30
        when 8 then 30
        when 10 then 30
        else 31
    end;

-- The bits lo to hi (clipped to 0 .. n - 1) of a mask over n months (n <= 62); 0 when none.
create temp macro bit_range(lo, hi, n) as
    case
        when least(hi, n - 1) >= greatest(lo, 0)
            then ((cast(1 as bigint) << cast(least(hi, n - 1) - greatest(lo, 0) + 1 as integer)) - 1)
                << cast(greatest(lo, 0) as integer)
        else cast(0 as bigint)
    end;

-- Reference tables (dbt seeds) and lookups --------------------------------------------------

-- LAB groups; `bit` is the group's bit in a citizen-year's group mask
create temp table lab_groups as
select
    lab_group_code,
    main_group_code,
    cast(1 << (row_number() over (order by lab_group_code) - 1) as integer) as bit
from read_csv('${SEEDS_DIR}/lab_target_groups.csv', header = true, all_varchar = true);

create temp table interventions as
select
    intervention_code,
    try_cast(support_step as integer) as support_step,
    cast(is_coordination_relevant as boolean) as is_coordination_relevant,
    nullif(child_measure_kind, '') as child_measure_kind,
    nullif(tabel4_column, '') as tabel4_column,
    nullif(hoi_sel_group, '') as hoi_sel_group
from read_csv('${SEEDS_DIR}/sof_interventions.csv', header = true, all_varchar = true);

-- The canonical spellings of the dates 1970-2039 (DD-MM-YYYY and YYYY-MM-DD): a hit is
-- exactly what parse_date returns; a miss (other years, padding, bad dates) is parsed
-- by parse_date itself.
create temp table date_texts as
select strftime(d, '%d-%m-%Y') as txt, cast(d as date) as d
from range(date '1970-01-01', date '2040-01-01', interval 1 day) as days (d)
union all
select strftime(d, '%Y-%m-%d'), cast(d as date)
from range(date '1970-01-01', date '2040-01-01', interval 1 day) as days (d);

-- The LAB group spellings of the raw format ('6.1', '6,1', '§ 6, nr. 1', 'LAB § 6 nr. 1',
-- 'lab6.1') for every seed group, kept where the warehouse's pattern reads them as that
-- group; other spellings go through the pattern.
create temp table lab_spellings as
select spelling, bit
from lab_groups,
    unnest([
        lab_group_code,
        replace(lab_group_code, '.', ','),
        '§ 6, nr. ' || substr(lab_group_code, 3),
        'LAB § 6 nr. ' || substr(lab_group_code, 3),
        'lab' || lab_group_code
    ]) as spellings (spelling)
where lab_group_of(spelling) = lab_group_code;

-- Bilag 1a: the sub-groups and the spellings of the AC funds
create temp table sub_groups as
select lab_group_code, sub_group, split_by, benefit_name
from read_csv('${SEEDS_DIR}/lab_sub_groups.csv', header = true, all_varchar = true);

create temp table ac_funds as
select akasse_spelling
from read_csv('${SEEDS_DIR}/ac_unemployment_funds.csv', header = true, all_varchar = true);

-- the catalogues as constant lists, for the rows whose spelling is not canonical
create temp table lookups as
select
    (select list(lab_group_code order by bit) from lab_groups) as lab_codes,
    (select list(bit order by bit) from lab_groups) as lab_bits,
    (select list(intervention_code) from interventions) as intervention_codes,
    (select list(akasse_spelling) from ac_funds) as ac_spellings;

-- Raw extracts: each file read once, only the columns the rules need ------------------------
-- DuckDB reads a Windows-1252 file on one thread only; its raw rows are first copied to a
-- table, so that the parsing and merging below run in parallel for every file.
-- A row is usable when every required field is present and parses, its CPR numbers are
-- possible, its group/code is in the catalogue and its end is not before its start.
-- Unusable rows are left out before re-deliveries are merged (a quarantined row never
-- supersedes another). Of the usable deliveries of an id the latest extraction date
-- wins, then the later file name, then the later line.

-- BIF benefit spells
create temp table bif_latin1_rows as
select forloeb_id, cpr, maalgruppe, startdato, slutdato, udtraeksdato, ydelse, akasse,
    list_position(list_sort(${BIF_UTF8} || ${BIF_LATIN1}), filename) as file_rank,
    ordinality as line
from read_csv(${BIF_LATIN1}, delim = ';', quote = '"', escape = '"', header = true,
    all_varchar = true, normalize_names = true, union_by_name = true, filename = true,
    encoding = 'latin-1') with ordinality;

create temp table spells as
with

raw_rows as (
    select forloeb_id, cpr, maalgruppe, startdato, slutdato, udtraeksdato, ydelse, akasse,
        list_position(list_sort(${BIF_UTF8} || ${BIF_LATIN1}), filename) as file_rank,
        ordinality as line
    from read_csv(${BIF_UTF8}, delim = ';', quote = '"', escape = '"', header = true,
        all_varchar = true, normalize_names = true, union_by_name = true, filename = true,
        encoding = 'utf-8') with ordinality
    union all
    select * from bif_latin1_rows
),

parsed as (
    select
        case
            when raw_rows.forloeb_id like ' %' or raw_rows.forloeb_id like '% '
                then nullif(trim(raw_rows.forloeb_id), '')
            else nullif(raw_rows.forloeb_id, '')
        end as spell_id,
        cpr_id(raw_rows.cpr) as person_id,
        case
            when spelled.bit is not null then spelled.bit
            else lookups.lab_bits[
                list_position(lookups.lab_codes, lab_group_of(raw_rows.maalgruppe))]
        end as lab_bit,
        case
            when start_text.d is not null then start_text.d
            else parse_date(raw_rows.startdato)
        end as start_date,
        case
            when end_text.d is not null then end_text.d
            else parse_date(raw_rows.slutdato)
        end as end_date,
        case
            when end_text.d is not null then false
            else nullif(trim(raw_rows.slutdato), '') is not null
                and parse_date(raw_rows.slutdato) is null
        end as is_end_unparsable,
        case
            when extraction_text.d is not null then extraction_text.d
            else parse_date(raw_rows.udtraeksdato)
        end as extraction_date,
        lower(trim(raw_rows.ydelse)) as benefit,
        lower(trim(raw_rows.akasse)) as fund,
        raw_rows.file_rank,
        raw_rows.line
    from raw_rows
    cross join lookups
    left join lab_spellings as spelled on raw_rows.maalgruppe = spelled.spelling
    left join date_texts as start_text on raw_rows.startdato = start_text.txt
    left join date_texts as end_text on raw_rows.slutdato = end_text.txt
    left join date_texts as extraction_text on raw_rows.udtraeksdato = extraction_text.txt
),

keyed as (
    select
        spell_id,
        {
            person_id: person_id,
            lab_bit: lab_bit,
            start_month: month_index(start_date),
            -- an open spell runs to its delivery's extraction date
            end_month: month_index(coalesce(end_date, extraction_date)),
            extraction_date: extraction_date,
            start_date: start_date,
            effective_end_date: coalesce(end_date, extraction_date),
            benefit: benefit,
            fund: fund
        } as spell,
        case
            when spell_id is not null
                and person_id is not null
                and cpr_is_possible(person_id)
                and lab_bit is not null
                and start_date is not null
                and extraction_date is not null
                and not is_end_unparsable
                and not coalesce(end_date < start_date, false)
                and start_date <= extraction_date
                and ymd(start_date) >= cpr_birth_ymd(person_id)
                then {x: extraction_date, f: file_rank, l: line}
        end as delivery
    from parsed
),

latest as (
    select spell_id, arg_max(spell, delivery) as spell
    from keyed
    group by spell_id
)

select
    latest.spell.person_id,
    latest.spell.lab_bit,
    latest.spell.start_month,
    latest.spell.end_month,
    latest.spell.extraction_date,
    latest.spell.start_date,
    latest.spell.effective_end_date,
    -- Bilag 1a sub-group (seed lab_sub_groups): 6.1 by the AC funds, 6.9 by the benefit
    sub_groups.sub_group
from latest
cross join lookups
left join lab_groups on latest.spell.lab_bit = lab_groups.bit
left join sub_groups
    on lab_groups.lab_group_code = sub_groups.lab_group_code
        and case sub_groups.split_by
            when 'ac_fund' then coalesce(list_contains(lookups.ac_spellings, latest.spell.fund), false)
            when 'not_ac_fund'
                then not coalesce(list_contains(lookups.ac_spellings, latest.spell.fund), false)
            when 'benefit' then latest.spell.benefit = sub_groups.benefit_name
            else false
        end
where latest.spell is not null;

drop table bif_latin1_rows;

-- SOF grants
create temp table sof_latin1_rows as
select bevilling_id, cpr, indsats_kode, startdato, slutdato, udtraeksdato,
    list_position(list_sort(${SOF_UTF8} || ${SOF_LATIN1}), filename) as file_rank,
    ordinality as line
from read_csv(${SOF_LATIN1}, delim = ';', quote = '"', escape = '"', header = true,
    all_varchar = true, normalize_names = true, union_by_name = true, filename = true,
    encoding = 'latin-1') with ordinality;

create temp table grants as
with

raw_rows as (
    select bevilling_id, cpr, indsats_kode, startdato, slutdato, udtraeksdato,
        list_position(list_sort(${SOF_UTF8} || ${SOF_LATIN1}), filename) as file_rank,
        ordinality as line
    from read_csv(${SOF_UTF8}, delim = ';', quote = '"', escape = '"', header = true,
        all_varchar = true, normalize_names = true, union_by_name = true, filename = true,
        encoding = 'utf-8') with ordinality
    union all
    select * from sof_latin1_rows
),

parsed as (
    select
        case
            when raw_rows.bevilling_id like ' %' or raw_rows.bevilling_id like '% '
                then nullif(trim(raw_rows.bevilling_id), '')
            else nullif(raw_rows.bevilling_id, '')
        end as grant_id,
        cpr_id(raw_rows.cpr) as person_id,
        -- intervention codes in any case and padding; unknown codes give null
        case
            when spelled.intervention_code is not null then spelled.intervention_code
            when list_contains(lookups.intervention_codes, upper(trim(raw_rows.indsats_kode)))
                then upper(trim(raw_rows.indsats_kode))
        end as intervention_code,
        case
            when start_text.d is not null then start_text.d
            else parse_date(raw_rows.startdato)
        end as start_date,
        case
            when end_text.d is not null then end_text.d
            else parse_date(raw_rows.slutdato)
        end as end_date,
        case
            when end_text.d is not null then false
            else nullif(trim(raw_rows.slutdato), '') is not null
                and parse_date(raw_rows.slutdato) is null
        end as is_end_unparsable,
        case
            when extraction_text.d is not null then extraction_text.d
            else parse_date(raw_rows.udtraeksdato)
        end as extraction_date,
        raw_rows.file_rank,
        raw_rows.line
    from raw_rows
    cross join lookups
    left join interventions as spelled on raw_rows.indsats_kode = spelled.intervention_code
    left join date_texts as start_text on raw_rows.startdato = start_text.txt
    left join date_texts as end_text on raw_rows.slutdato = end_text.txt
    left join date_texts as extraction_text on raw_rows.udtraeksdato = extraction_text.txt
),

keyed as (
    select
        grant_id,
        {
            person_id: person_id,
            intervention_code: intervention_code,
            start_date: start_date,
            -- an open grant runs to its delivery's extraction date
            effective_end_date: coalesce(end_date, extraction_date)
        } as g,
        case
            when grant_id is not null
                and person_id is not null
                and cpr_is_possible(person_id)
                and intervention_code is not null
                and start_date is not null
                and extraction_date is not null
                and not is_end_unparsable
                and not coalesce(end_date < start_date, false)
                and start_date <= extraction_date
                and ymd(start_date) >= cpr_birth_ymd(person_id)
                then {x: extraction_date, f: file_rank, l: line}
        end as delivery
    from parsed
),

latest as (
    select grant_id, arg_max(g, delivery) as g
    from keyed
    group by grant_id
)

-- only the grants a figure can use: coordination-relevant ones (rules 5, 7, Tabel 4) and
-- the HOI SEL groups; the merge above has seen every usable row, as a re-delivery can
-- change the code
select
    latest.g.person_id,
    interventions.support_step,
    interventions.is_coordination_relevant,
    interventions.child_measure_kind,
    interventions.tabel4_column,
    interventions.hoi_sel_group,
    latest.g.start_date,
    latest.g.effective_end_date
from latest
inner join interventions on latest.g.intervention_code = interventions.intervention_code
where interventions.is_coordination_relevant or interventions.hoi_sel_group is not null;

drop table sof_latin1_rows;

-- Custody relations: a relation is identified by child, holder and start date; its
-- latest delivery wins. A relation from the child's birth precedes every measure (the
-- warehouse keeps no start date for it). A small extract: parsed plainly.
create temp table custody_latin1_rows as
select barn_cpr, foraelder_cpr, startdato, slutdato, udtraeksdato,
    list_position(list_sort(${CUSTODY_UTF8} || ${CUSTODY_LATIN1}), filename) as file_rank,
    ordinality as line
from read_csv(${CUSTODY_LATIN1}, delim = ';', quote = '"', escape = '"', header = true,
    all_varchar = true, normalize_names = true, union_by_name = true, filename = true,
    encoding = 'latin-1') with ordinality;

create temp table custody as
with

raw_rows as (
    select barn_cpr, foraelder_cpr, startdato, slutdato, udtraeksdato,
        list_position(list_sort(${CUSTODY_UTF8} || ${CUSTODY_LATIN1}), filename) as file_rank,
        ordinality as line
    from read_csv(${CUSTODY_UTF8}, delim = ';', quote = '"', escape = '"', header = true,
        all_varchar = true, normalize_names = true, union_by_name = true, filename = true,
        encoding = 'utf-8') with ordinality
    union all
    select * from custody_latin1_rows
),

parsed as (
    select
        cpr_id(barn_cpr) as child_id,
        cpr_id(foraelder_cpr) as parent_id,
        parse_date(startdato) as start_date,
        parse_date(slutdato) as end_date,
        nullif(trim(slutdato), '') is not null and parse_date(slutdato) is null
            as is_end_unparsable,
        parse_date(udtraeksdato) as extraction_date,
        file_rank,
        line
    from raw_rows
),

usable as (
    select
        child_id,
        parent_id,
        start_date,
        case when start_date = cpr_birth_date(child_id) then null else start_date end
            as relation_start_date,
        coalesce(end_date, extraction_date) as effective_end_date,
        {x: extraction_date, f: file_rank, l: line} as delivery
    from parsed
    where child_id is not null and cpr_is_possible(child_id)
        and parent_id is not null and cpr_is_possible(parent_id)
        and start_date is not null
        and extraction_date is not null
        and start_date <= extraction_date
        and ymd(start_date) >= cpr_birth_ymd(child_id)
        and not is_end_unparsable
        and not coalesce(end_date < start_date, false)
)

select
    child_id,
    parent_id,
    arg_max(relation_start_date, delivery) as start_date,
    arg_max(effective_end_date, delivery) as effective_end_date
from usable
group by child_id, parent_id, start_date;

drop table custody_latin1_rows;

-- Report years (int_report_years) -----------------------------------------------------------
-- From the year of the earliest spell start to the year of the latest extraction date
-- (at most 200 years, as the warehouse's generate_series(200)), keeping a year when the
-- latest extraction date is at least 1 March of it (the delivery covers its first two
-- months), and of those the last three.
create temp table years as
with

bounds as (
    select
        min(start_month) // 12 as first_year,
        max(year(extraction_date)) as last_year,
        max(extraction_date) as latest_extraction_date
    from spells
)

select years.year
from bounds, unnest(range(bounds.first_year, least(bounds.last_year, bounds.first_year + 199) + 1))
    as years (year)
where bounds.latest_extraction_date >= make_date(cast(years.year as integer), 3, 1)
-- of those, the last three (report_window_years) are report years; earlier years are history
qualify years.year > max(years.year) over () - 3;

-- Rules 1 and 2: BIF-active citizens and their LAB groups per year --------------------------
-- Each spell is cut to the report years it touches. A citizen has spell days in >= 2
-- distinct months of year Y exactly when the latest covered month of Y is after the
-- earliest one, so no month expansion is needed. The groups with a spell day in Y are
-- kept as a bit mask.
create temp table person_years as
select
    years.year,
    spells.person_id,
    bit_or(spells.lab_bit) as group_mask
from spells
inner join years
    on spells.start_month <= years.year * 12 + 11
        and spells.end_month >= years.year * 12
group by years.year, spells.person_id
having max(least(spells.end_month, years.year * 12 + 11))
    > min(greatest(spells.start_month, years.year * 12));

-- Rules 3-5 and 7: coordination-relevant interventions of the BIF-active, per year -----------
-- own adult grants with a day in the year, and (rule 4) child measures passed to each
-- custody holder whose relation overlaps the measure within the year
create temp table coordination as
with

own as (
    select years.year, grants.person_id, grants.support_step, grants.tabel4_column
    from grants
    inner join years
        on year(grants.start_date) <= years.year
            and year(grants.effective_end_date) >= years.year
    where grants.is_coordination_relevant and grants.child_measure_kind is null
),

-- the overlap of measure and relation must lie (partly) within the year
via_child as (
    select
        years.year,
        measures.parent_id as person_id,
        cast(null as integer) as support_step,
        measures.tabel4_column
    from (
        select
            custody.parent_id,
            grants.tabel4_column,
            greatest(grants.start_date, coalesce(custody.start_date, grants.start_date))
                as start_date,
            least(grants.effective_end_date, custody.effective_end_date) as end_date
        from grants
        inner join custody on grants.person_id = custody.child_id
        where grants.is_coordination_relevant and grants.child_measure_kind is not null
    ) as measures
    inner join years
        on measures.start_date <= measures.end_date
            and year(measures.start_date) <= years.year
            and year(measures.end_date) >= years.year
),

unioned as (
    select * from own
    union all
    select * from via_child
)

-- fællesborger (rule 5): BIF-active and a coordination-relevant intervention in the year;
-- step (rule 7): the highest step of the own ones (børnesager have none)
select
    person_years.year,
    person_years.person_id,
    person_years.group_mask,
    max(unioned.support_step) as support_step,
    list(distinct unioned.tabel4_column) filter (where unioned.tabel4_column is not null)
        as tabel4_columns
from unioned
inner join person_years
    on unioned.year = person_years.year and unioned.person_id = person_years.person_id
group by person_years.year, person_years.person_id, person_years.group_mask;

-- Bilag 1a, rule 11: persons and spell days per month, quarter and year and row ----------
-- Nothing is expanded to a row per citizen and month (nor period). The totals (a main
-- group, all groups) count each citizen once and sum their groups' spell days, as Bilag
-- 1a prints a total. Persons: citizens with a day of the row in the period, aged 16-66 on
-- its first day (target_group_min/max_age).
-- * Months are bits of a mask over the report months (bit 0: the first). A citizen's
--   ages are the mask of the months on whose first day they are 16-66 (a range from the
--   age anchor); a period counts them when its first month is in it. Few citizens have
--   other ages than all report months or none, so the counts below go by the mask.
-- * Persons: a spell's months within the report years are a range of bits, computed,
--   not expanded; a citizen's masks of a row are or-ed. Citizens of one row, ages and
--   months are counted together, and a count is in a period whose months meet its mask.
-- * Spell days: a citizen's spells of a group (or sub-group) are merged into disjoint
--   islands (one ordered pass), so a day counts once. Per cell (group, sub-group, ages)
--   and month, a difference array of the islands' first and last months gives the
--   islands in the month; their days are the month's days each, less the days before the
--   first day of those starting in it and after the last day of those ending in it. A
--   quarter or year sums its months.
create temp table bilag1a_spells as
with

span as (
    select
        min(year) * 12 as first_month,
        count(*) * 12 as months,
        make_date(cast(min(year) as integer), 1, 1) as first_day,
        make_date(cast(max(year) as integer), 12, 31) as last_day
    from years
)

select
    spells.person_id,
    bit_range(
        cpr_age_anchor(spells.person_id) + 16 * 12 - span.first_month,
        cpr_age_anchor(spells.person_id) + 66 * 12 + 11 - span.first_month,
        span.months
    ) as ages,
    spells.lab_bit,
    lab_groups.main_group_code,
    spells.sub_group,
    greatest(spells.start_date, span.first_day) as start_date,
    least(spells.effective_end_date, span.last_day) as end_date,
    bit_range(
        month_index(spells.start_date) - span.first_month,
        month_index(spells.effective_end_date) - span.first_month,
        span.months
    ) as months
from spells
cross join span
inner join lab_groups on spells.lab_bit = lab_groups.bit
where spells.start_date <= span.last_day and spells.effective_end_date >= span.first_day;

create temp table bilag1a_counts as
with

span as (
    select min(year) * 12 as first_month, max(year) * 12 + 11 as last_month from years
),

-- the periods (a length in months, 1, 3 or 12, and a first month index), each with its
-- months as bits of a mask over the report months, and its first month's bit
periods as (
    select
        kinds.length,
        periods.period,
        ((cast(1 as bigint) << kinds.length) - 1) << cast(periods.period - span.first_month as integer)
            as months,
        cast(1 as bigint) << cast(periods.period - span.first_month as integer) as first_month
    from span
    cross join (values (1), (3), (12)) as kinds (length)
    cross join lateral (
        select unnest(range(span.first_month, span.last_month + 1, kinds.length)) as period
    ) as periods
),

-- per citizen and row (group, sub-group, main group, all): the months with a day; the
-- totals are over the groups of a main group
presence as (
    select
        ages,
        case
            when grouping(lab_bit) = 1 and grouping(main_group_code) = 1 then 'ALL|alle'
            when grouping(lab_bit) = 1 then main_group_code || '|alle'
            when grouping(sub_group) = 1 then cast(lab_bit as varchar) || '|alle'
            else cast(lab_bit as varchar) || '|' || sub_group
        end as row_key,
        case
            when grouping(lab_bit) = 1
                then bit_or(months) filter (where main_group_code is not null)
            else bit_or(months)
        end as months
    from bilag1a_spells
    where ages <> 0
    group by grouping sets (
        (person_id, ages, lab_bit),
        (person_id, ages, lab_bit, sub_group),
        (person_id, ages, main_group_code),
        (person_id, ages)
    )
    having not (grouping(sub_group) = 0 and sub_group is null)
        and not (grouping(main_group_code) = 0 and main_group_code is null)
),

masks as (
    select row_key, ages, months, count(*) as citizens
    from presence
    where months is not null
    group by row_key, ages, months
),

persons as (
    select periods.length, periods.period, masks.row_key, sum(masks.citizens) as persons
    from masks
    cross join periods
    where masks.months & periods.months <> 0
        and masks.ages & periods.first_month <> 0
    group by periods.length, periods.period, masks.row_key
),

-- a citizen's spells of a group ('alle') or sub-group, in order: a spell after the
-- latest end before it starts an island, and that latest end ended the previous island;
-- the citizen's last spell of the row ends the last island
row_spells as (
    select person_id, ages, lab_bit, 'alle' as sub_group, start_date, end_date
    from bilag1a_spells
    where ages <> 0
    union all
    select person_id, ages, lab_bit, sub_group, start_date, end_date
    from bilag1a_spells
    where ages <> 0 and sub_group is not null
),

ordered as (
    select
        ages,
        lab_bit,
        sub_group,
        start_date,
        end_date,
        max(end_date) over (
            partition by person_id, lab_bit, sub_group order by start_date, end_date
            rows between unbounded preceding and 1 preceding
        ) as previous_end_date,
        lead(start_date) over (
            partition by person_id, lab_bit, sub_group order by start_date, end_date
        ) as next_start_date
    from row_spells
),

-- the islands' first and last days, as events of their cell and month
island_events as (
    select
        ages,
        lab_bit,
        sub_group,
        month_index(start_date) as month,
        1 as starting,
        day(start_date) - 1 as days_before,
        0 as ending,
        0 as days_after
    from ordered
    where previous_end_date is null or start_date > previous_end_date
    union all
    select
        ages,
        lab_bit,
        sub_group,
        month_index(previous_end_date),
        0,
        0,
        1,
        days_in_month(month_index(previous_end_date)) - day(previous_end_date)
    from ordered
    where start_date > previous_end_date
    union all
    select
        ages,
        lab_bit,
        sub_group,
        month_index(greatest(end_date, coalesce(previous_end_date, end_date))),
        0,
        0,
        1,
        days_in_month(month_index(greatest(end_date, coalesce(previous_end_date, end_date))))
            - day(greatest(end_date, coalesce(previous_end_date, end_date)))
    from ordered
    where next_start_date is null
),

cell_events as (
    select
        ages,
        lab_bit,
        sub_group,
        month,
        sum(starting) as starting,
        sum(days_before) as days_before,
        sum(ending) as ending,
        sum(days_after) as days_after
    from island_events
    group by ages, lab_bit, sub_group, month
),

-- every report month of every cell, with the islands in it (started up to it, less
-- ended before it)
cell_months as (
    select
        cells.ages,
        cells.lab_bit,
        cells.sub_group,
        months.month,
        coalesce(cell_events.starting, 0) as starting,
        coalesce(cell_events.days_before, 0) as days_before,
        coalesce(cell_events.ending, 0) as ending,
        coalesce(cell_events.days_after, 0) as days_after
    from (select distinct ages, lab_bit, sub_group from cell_events) as cells
    cross join (
        select unnest(range(span.first_month, span.last_month + 1)) as month from span
    ) as months
    left join cell_events
        on cells.ages = cell_events.ages
            and cells.lab_bit = cell_events.lab_bit
            and cells.sub_group = cell_events.sub_group
            and months.month = cell_events.month
),

month_days as (
    select
        ages,
        lab_bit,
        sub_group,
        month,
        (
            sum(starting) over (
                partition by ages, lab_bit, sub_group order by month
                rows between unbounded preceding and current row
            )
            - coalesce(sum(ending) over (
                partition by ages, lab_bit, sub_group order by month
                rows between unbounded preceding and 1 preceding
            ), 0)
        ) * days_in_month(month) - days_before - days_after as days
    from cell_months
),

group_days as (
    select
        periods.length,
        periods.period,
        month_days.lab_bit,
        month_days.sub_group,
        sum(month_days.days) as spell_days
    from month_days
    inner join periods
        on month_days.month >= periods.period
            and month_days.month < periods.period + periods.length
    where month_days.ages & periods.first_month <> 0
    group by periods.length, periods.period, month_days.lab_bit, month_days.sub_group
),

days as (
    select group_days.length, group_days.period,
        cast(group_days.lab_bit as varchar) || '|' || group_days.sub_group as row_key,
        group_days.spell_days
    from group_days
    union all
    select
        group_days.length,
        group_days.period,
        coalesce(lab_groups.main_group_code, 'ALL') || '|alle',
        sum(group_days.spell_days)
    from group_days
    inner join lab_groups on group_days.lab_bit = lab_groups.bit
    where group_days.sub_group = 'alle'
    group by grouping sets (
        (group_days.length, group_days.period, lab_groups.main_group_code),
        (group_days.length, group_days.period)
    )
),

-- a group's row key by its code ('6.1|alle'), not its bit
labelled as (
    select
        persons.length,
        persons.period,
        coalesce(
            lab_groups.lab_group_code || substr(persons.row_key, strpos(persons.row_key, '|')),
            persons.row_key
        ) as row_key,
        persons.persons,
        days.spell_days
    from persons
    inner join days
        on persons.length = days.length
            and persons.period = days.period
            and persons.row_key = days.row_key
    left join lab_groups
        on try_cast(split_part(persons.row_key, '|', 1) as integer) = lab_groups.bit
)

select * from labelled;

-- Bilag 1a, rule 13: episodes over all of a citizen's spells (history included, every
-- group); a spell starts a new one when the latest earlier end lies more than one month
-- index before its start month (episode_break_whole_months). On each month's last day
-- of the report years, the citizens with a spell by the band of their episode's length.
-- No row per spell and month-end: a spell's month-ends within the report years are a
-- range of bits of a mask, or-ed per citizen, row and episode (a citizen is in one
-- episode on a day). A band's month-ends for an episode start, and the months of ages
-- 16-66 for an age anchor, are ranges too; citizens of one row, band and mask are
-- counted together, and a count is on each month-end its mask holds.
create temp table bilag1a_durations as
with

span as (
    select min(year) * 12 as first_month, max(year) * 12 + 11 as last_month from years
),

ordered as (
    select
        person_id,
        lab_bit,
        sub_group,
        start_date,
        start_month,
        effective_end_date,
        max(effective_end_date) over (
            partition by person_id order by start_date, effective_end_date
            rows between unbounded preceding and 1 preceding
        ) as previous_end_date
    from spells
),

-- the episode's start: the start of the latest spell that started an episode
episodes as (
    select
        person_id,
        lab_bit,
        sub_group,
        start_date,
        effective_end_date,
        -- (the default frame holds the spells of the same start and end too)
        max(case
            when previous_end_date is null then start_date
            when start_month - month_index(previous_end_date) > 1 then start_date
        end) over (
            partition by person_id order by start_date, effective_end_date
        ) as episode_start_date
    from ordered
),

-- the month-ends the spell covers within the report years, as bits (bit 0: the first
-- report month), the months of ages 16-66 kept
on_days as (
    select
        episodes.person_id,
        episodes.lab_bit,
        episodes.sub_group,
        episodes.episode_start_date,
        greatest(month_index(episodes.start_date), span.first_month,
            cpr_age_anchor(episodes.person_id) + 16 * 12) - span.first_month as first_bit,
        least(
            month_index(episodes.effective_end_date)
            - case
                when day(episodes.effective_end_date)
                    = days_in_month(month_index(episodes.effective_end_date))
                    then 0
                else 1
            end,
            span.last_month,
            cpr_age_anchor(episodes.person_id) + 66 * 12 + 11
        ) - span.first_month as last_bit
    from episodes
    cross join span
),

in_rows as (
    select
        case
            when grouping(lab_bit) = 1 then 'ALL|alle'
            when grouping(sub_group) = 1 then cast(lab_bit as varchar) || '|alle'
            else cast(lab_bit as varchar) || '|' || sub_group
        end as row_key,
        episode_start_date,
        bit_or(((cast(1 as bigint) << cast(last_bit - first_bit + 1 as integer)) - 1)
            << cast(first_bit as integer)) as months
    from on_days
    where last_bit >= first_bit
    group by grouping sets (
        (person_id, episode_start_date, lab_bit),
        (person_id, episode_start_date, lab_bit, sub_group),
        (person_id, episode_start_date)
    )
    having not (grouping(sub_group) = 0 and sub_group is null)
),

starts as (
    select row_key, episode_start_date, months, count(*) as citizens
    from in_rows
    group by row_key, episode_start_date, months
),

-- per episode start and band: the report months whose last day lies in the band
bands as (
    select *
    from read_csv('${SEEDS_DIR}/duration_bands.csv', header = true,
        columns = {
            duration_band: 'varchar', duration_band_name: 'varchar', min_days: 'integer',
            max_days: 'integer', sort_order: 'integer'
        })
),

start_bands as (
    select
        episode_starts.episode_start_date,
        bands.duration_band,
        greatest(
            month_index(episode_starts.episode_start_date + bands.min_days - 1), span.first_month
        ) - span.first_month as first_bit,
        least(
            coalesce(
                month_index(episode_starts.episode_start_date + bands.max_days - 1)
                - case
                    when day(episode_starts.episode_start_date + bands.max_days - 1)
                        = days_in_month(
                            month_index(episode_starts.episode_start_date + bands.max_days - 1))
                        then 0
                    else 1
                end,
                span.last_month
            ),
            span.last_month
        ) - span.first_month as last_bit
    from (select distinct episode_start_date from starts) as episode_starts
    cross join bands
    cross join span
),

banded as (
    select
        starts.row_key,
        start_bands.duration_band,
        starts.months
        & (((cast(1 as bigint) << cast(start_bands.last_bit - start_bands.first_bit + 1 as integer)) - 1)
            << cast(start_bands.first_bit as integer)) as months,
        sum(starts.citizens) as citizens
    from starts
    inner join start_bands
        on starts.episode_start_date = start_bands.episode_start_date
            and start_bands.last_bit >= start_bands.first_bit
    group by all
),

counted as (
    select
        span.first_month + months.bit as month,
        banded.row_key,
        banded.duration_band,
        sum(banded.citizens) as persons
    from banded
    cross join span
    cross join (select unnest(range(0, 64)) as bit) as months
    where months.bit <= span.last_month - span.first_month
        and (banded.months >> cast(months.bit as integer)) & 1 = 1
    group by all
)

select
    counted.month,
    coalesce(
        lab_groups.lab_group_code || substr(counted.row_key, strpos(counted.row_key, '|')),
        counted.row_key
    ) as row_key,
    counted.duration_band,
    counted.persons
from counted
left join lab_groups on try_cast(split_part(counted.row_key, '|', 1) as integer) = lab_groups.bit;

-- The figures --------------------------------------------------------------------------------
with

kanten as (
    select bit_or(bit) as mask from lab_groups where main_group_code = 'kanten'
),

-- Tabel 3, group rows: the BIF-active citizens of each group and the fællesborgere
-- among them
group_counts as (
    select
        years.year,
        lab_groups.lab_group_code,
        lab_groups.main_group_code,
        coalesce(population.citizens, 0) as population,
        coalesce(faellesborgere.citizens, 0) as faellesborgere
    from years
    cross join lab_groups
    left join (
        select person_years.year, lab_groups.bit, count(*) as citizens
        from person_years
        inner join lab_groups on person_years.group_mask & lab_groups.bit <> 0
        group by all
    ) as population
        on years.year = population.year and lab_groups.bit = population.bit
    left join (
        select coordination.year, lab_groups.bit, count(*) as citizens
        from coordination
        inner join lab_groups on coordination.group_mask & lab_groups.bit <> 0
        group by all
    ) as faellesborgere
        on years.year = faellesborgere.year and lab_groups.bit = faellesborgere.bit
),

-- Tabel 3, totals: unique citizens over all groups (ALL) and over the kanten groups
totals as (
    select
        years.year,
        coalesce(population.all_citizens, 0) as all_population,
        coalesce(faellesborgere.all_citizens, 0) as all_faellesborgere,
        coalesce(population.kanten_citizens, 0) as kanten_population,
        coalesce(faellesborgere.kanten_citizens, 0) as kanten_faellesborgere
    from years
    left join (
        select
            year,
            count(*) as all_citizens,
            count(*) filter (where group_mask & kanten.mask <> 0) as kanten_citizens
        from person_years, kanten
        group by year
    ) as population on years.year = population.year
    left join (
        select
            year,
            count(*) as all_citizens,
            count(*) filter (where group_mask & kanten.mask <> 0) as kanten_citizens
        from coordination, kanten
        group by year
    ) as faellesborgere on years.year = faellesborgere.year
),

tabel3 as (
    select 'tabel3' as figure, year || '|' || lab_group_code || '|population' as key,
        population as value
    from group_counts
    union all
    select 'tabel3', year || '|' || lab_group_code || '|faellesborgere', faellesborgere
    from group_counts
    union all
    select 'tabel3', year || '|ALL|population_unique', all_population from totals
    union all
    select 'tabel3', year || '|ALL|faellesborgere_unique', all_faellesborgere from totals
    union all
    select 'tabel3', year || '|kanten|population_unique', kanten_population from totals
    union all
    select 'tabel3', year || '|kanten|faellesborgere_unique', kanten_faellesborgere
    from totals
),

-- Tabel 4: the kanten fællesborgere (rule 9) of each kanten group with an intervention of
-- the column (own or børnesag); ALL counts them once over the kanten groups. The
-- population column is the group's population, summed on ALL.
kanten_columns as (
    select coordination.year, coordination.person_id, coordination.group_mask, tabel4_column
    from coordination, kanten, unnest(coordination.tabel4_columns) as columns (tabel4_column)
    where coordination.group_mask & kanten.mask <> 0
),

tabel4 as (
    select
        'tabel4' as figure,
        kanten_columns.year || '|' || lab_groups.lab_group_code || '|'
            || kanten_columns.tabel4_column as key,
        count(*) as value
    from kanten_columns
    inner join lab_groups
        on lab_groups.main_group_code = 'kanten'
            and kanten_columns.group_mask & lab_groups.bit <> 0
    group by all
    union all
    select 'tabel4', year || '|ALL|' || tabel4_column, count(*)
    from kanten_columns
    group by all
    union all
    select 'tabel4', year || '|' || lab_group_code || '|population', population
    from group_counts
    where main_group_code = 'kanten'
    union all
    select 'tabel4', year || '|ALL|population', sum(population)
    from group_counts
    where main_group_code = 'kanten'
    group by year
),

-- Figur 2: fællesborgere per step of their own interventions, and those in kanten
steps as (
    select
        'steps' as figure,
        coordination.year || '|' || coordination.support_step || '|all' as key,
        count(*) as value
    from coordination
    where coordination.support_step is not null
    group by all
    union all
    select
        'steps',
        coordination.year || '|' || coordination.support_step || '|kanten',
        count(*)
    from coordination, kanten
    where coordination.support_step is not null
        and coordination.group_mask & kanten.mask <> 0
    group by all
),

-- Rule 10, HOI: per month of the report years, citizens aged >= the BIF group's minimum
-- age on the first day of the month with a spell day in the month in one of its LAB
-- groups and a day of their own grant of an intervention of the SEL group in the same
-- month (the two days need not coincide; any usable spell counts, BIF-active or not).
-- A citizen's spells and grants are paired, and only the months both cover are expanded.
hoi_bif_groups as (
    select lab_groups.bit, hoi.bif_group, hoi.min_age, hoi.max_age
    from read_csv('${SEEDS_DIR}/hoi_bif_groups.csv', header = true,
        columns = {
            lab_group_code: 'varchar', bif_group: 'varchar', min_age: 'integer',
            max_age: 'integer', bif_group_sort_order: 'integer'
        }) as hoi
    inner join lab_groups on hoi.lab_group_code = lab_groups.lab_group_code
),

hoi_months as (
    select
        spells.person_id,
        spells.lab_bit,
        grants.hoi_sel_group as sel_group,
        unnest(range(
            greatest(spells.start_month, month_index(grants.start_date),
                (select min(year) * 12 from years)),
            least(spells.end_month, month_index(grants.effective_end_date),
                (select max(year) * 12 + 11 from years)) + 1
        )) as month
    from spells
    inner join grants on spells.person_id = grants.person_id
    where grants.hoi_sel_group is not null
        and grants.child_measure_kind is null
        and spells.lab_bit in (select bit from hoi_bif_groups)
),

hoi as (
    select
        'hoi' as figure,
        strftime(make_date(cast(hoi_months.month // 12 as integer),
            cast(hoi_months.month % 12 + 1 as integer), 1), '%Y-%m')
            || '|' || hoi_months.sel_group || '|' || hoi_bif_groups.bif_group as key,
        count(distinct hoi_months.person_id) as value
    from hoi_months
    inner join hoi_bif_groups
        on hoi_months.lab_bit = hoi_bif_groups.bit
            and (hoi_months.month - cpr_age_anchor(hoi_months.person_id)) // 12
                >= hoi_bif_groups.min_age
            and (hoi_bif_groups.max_age is null
                or (hoi_months.month - cpr_age_anchor(hoi_months.person_id)) // 12
                    <= hoi_bif_groups.max_age)
    group by hoi_months.month, hoi_months.sel_group, hoi_bif_groups.bif_group
),

bilag1a as (
    select
        'bilag1a' as figure,
        case length
            when 1 then strftime(make_date(cast(period // 12 as integer),
                cast(period % 12 + 1 as integer), 1), '%Y-%m')
            when 3 then cast(period // 12 as varchar) || '-Q' || cast(period % 12 // 3 + 1 as varchar)
            else cast(period // 12 as varchar)
        end || '|' || row_key || '|' || measure as key,
        value
    from bilag1a_counts unpivot (value for measure in (persons, spell_days))
),

duration as (
    select
        'duration' as figure,
        strftime(make_date(cast(month // 12 as integer), cast(month % 12 + 1 as integer), 1), '%Y-%m')
            || '|' || row_key || '|' || duration_band as key,
        persons as value
    from bilag1a_durations
)

select figure, key, cast(value as bigint) as value from tabel3
union all
select figure, key, cast(value as bigint) from tabel4
union all
select figure, key, cast(value as bigint) from steps
union all
select figure, key, cast(value as bigint) from hoi
union all
select figure, key, cast(value as bigint) from bilag1a
union all
select figure, key, cast(value as bigint) from duration
order by figure, key;
