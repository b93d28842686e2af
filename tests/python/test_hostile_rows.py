"""Hostile rows, tested on one crafted delivery.

- CPR numbers typed into the wrong column (free text, codes, ids, rejected values) are
  masked in staging; the quality report names the column and the count, never a value.
- The same id twice in one file with different contents: every such row is quarantined;
  exact duplicates keep one row used and merge the others.
- Rows registered ahead (a start after their own extraction date) are quarantined.
- Implausible dates (a start before 1900 or before birth, an extraction date in the
  future, a person born after the extraction, a custody holder born after the child or
  holding custody of themself) are quarantined, and the report years stay those of the
  plausible rows.

The delivery is built ONCE, the whole project but the published-figures tests (the
delivery is tiny), and every row is told apart by its file and line.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import numpy as np
import pytest
from conftest import PROJECT, make_dbt_runner
from test_bad_input import (
    EXTRACTS,
    Case,
    CraftedBuild,
    RawFile,
    bif,
    build_crafted,
    custody,
    data_lines,
    quarantined,
    sof,
    used,
    write_file,
)
from test_bad_input import (
    test_spark_reads_the_crafted_delivery_as_duckdb_does as same_staging_rows_on_spark,
)

from faellesborger.quality import STAGING_SUITES, format_report, run_quality
from faellesborger.writer import split_deliveries

FILES: dict[str, RawFile] = {f.name: f for f in (
    RawFile(name, extract, EXTRACTS[extract][1]) for name, extract in (
        ("bif_ydelsesforloeb_h1.csv", "bif_ydelsesforloeb"),
        ("bif_ydelsesforloeb_h2.csv", "bif_ydelsesforloeb"),
        ("sof_bevillinger_h1.csv", "sof_bevillinger"),
        ("sof_foraeldremyndighed_h1.csv", "sof_foraeldremyndighed"),
        ("cpr_personer_h1.csv", "cpr_personer"),
    ))}
BIF, BIF_LATER, SOF, CUSTODY, PERSONS = FILES

# CPR numbers typed where they do not belong. Each is a valid number; none of them may
# appear in clear anywhere in the warehouse, in any spelling.
STRAY = ("0101901234", "020385-1235", "10190-1234", "030403 4290", "1505881234")
MASK = "[cpr]"
CONFLICT = "conflicting rows for one id in one file"
LATE = "14-01-2022"  # extraction date of the plausible rows: report years 2019-2021


def spell(spell_id: str, **values: str) -> dict[str, str]:
    return bif(spell_id, **{"extracted": LATE, **values})


def person(cpr: str = "0101901234", origin: str = "Dansk oprindelse",
           extracted: str = LATE) -> dict[str, str]:
    return {"cpr": cpr, "herkomst": origin, "udtraeksdato": extracted}


CASES: list[Case] = [
    # --- finding 4: CPR numbers in the wrong column are masked ---------------------------
    used("cpr in ydelse, with text around", BIF,
         spell("H100", benefit=f"Dagpenge {STRAY[1]}"), benefit_name=f"Dagpenge {MASK}"),
    used("two cprs in ydelse (every match masked)", BIF,
         spell("H101", benefit=f"{STRAY[0]} og {STRAY[3]}"), benefit_name=f"{MASK} og {MASK}"),
    used("9-digit cpr in ydelse", BIF, spell("H102", benefit=STRAY[2]), benefit_name=MASK),
    used("numbers that are no cpr stay", BIF,
         spell("H103", benefit="Kontanthjælp 2020-01-15 nr. 12345678"),
         benefit_name="Kontanthjælp 2020-01-15 nr. 12345678"),
    quarantined("cpr as maalgruppe (rejected value)", BIF, spell("H104", group=STRAY[0]),
                "unknown maalgruppe", MASK),
    quarantined("cpr as startdato (rejected value)", BIF, spell("H105", start=STRAY[1]),
                "unparsable startdato", MASK),
    quarantined("cpr as slutdato with text (rejected value)", BIF,
                spell("H106", end=f"se {STRAY[4]}"), "unparsable slutdato", f"se {MASK}"),
    Case("cpr as forloeb_id", BIF, spell(STRAY[4]), "quarantined", "cpr-shaped forloeb_id",
         None, {"spell_id": MASK}),
    used("cpr in indsats_tekst and paragraf", SOF,
         sof("G100", extracted=LATE) | {"indsats_tekst": f"Hjælp til {STRAY[0]}",
                                        "paragraf": f"SEL § 82 b ({STRAY[1]})"},
         intervention_text=f"Hjælp til {MASK}", paragraph_text=f"SEL § 82 b ({MASK})"),
    Case("cpr as indsats_kode", SOF, sof("G101", code=STRAY[3], extracted=LATE), "quarantined",
         "unknown indsats_kode", MASK, {"intervention_code": MASK}),
    Case("cpr as bevilling_id", SOF, sof(STRAY[1], extracted=LATE), "quarantined",
         "cpr-shaped bevilling_id", None, {"grant_id": MASK}),
    quarantined("cpr as slutdato (custody, rejected value)", CUSTODY,
                custody(start="01-03-2016", end=STRAY[0]), "unparsable slutdato", MASK),
    used("cpr as herkomst", PERSONS, person("0202851234", origin=STRAY[0]), origin=MASK),
    quarantined("cpr as udtraeksdato (persons, rejected value)", PERSONS,
                person("0303851234", extracted=STRAY[2]), "unparsable udtraeksdato", MASK),
    # --- finding 12: the same id twice in one file ---------------------------------------
    quarantined("conflict: same id, other ydelse (first line)", BIF,
                spell("H200", benefit="Dagpenge"), CONFLICT),
    quarantined("conflict: same id, other ydelse (second line)", BIF,
                spell("H200", benefit="Kontanthjælp"), CONFLICT),
    quarantined("conflict: same id, other extraction date (first line)", BIF,
                spell("H201", extracted="15-01-2021"), CONFLICT),
    quarantined("conflict: same id, other extraction date (second line)", BIF,
                spell("H201"), CONFLICT),
    Case("exact duplicate: earlier line merged", BIF, spell("H202"), "merged"),
    used("exact duplicate: last line used", BIF, spell("H202")),
    Case("duplicate in another spelling: earlier line merged", BIF,
         spell("H203", group="6.1", start="01-02-2020"), "merged"),
    used("duplicate in another spelling: last line used", BIF,
         spell("H203", group="lab6.1", start="2020-02-01"), lab_group_code="6.1"),
    used("a bad line is no conflict: the good line is used", BIF, spell("H204")),
    quarantined("a bad line is no conflict: it keeps its own reason", BIF,
                spell("H204", start="31-02-2020"), "unparsable startdato", "31-02-2020"),
    Case("re-delivery in an earlier file merged", BIF, spell("H206", extracted="15-01-2021"),
         "merged"),
    used("conflict in a later file: the earlier file's row is used", BIF,
         spell("H205", extracted="15-01-2021")),
    quarantined("conflict in a later file (first line)", BIF_LATER,
                spell("H205", end="31-03-2020"), CONFLICT),
    quarantined("conflict in a later file (second line)", BIF_LATER,
                spell("H205", end="30-04-2020"), CONFLICT),
    used("re-delivery in a later file: the usual rule", BIF_LATER,
         spell("H206", benefit="Kontanthjælp")),
    quarantined("conflict (grant, first line)", SOF, sof("G200", extracted=LATE), CONFLICT),
    quarantined("conflict (grant, second line)", SOF,
                sof("G200", code="SEL82A", extracted=LATE), CONFLICT),
    quarantined("conflict (custody, first line)", CUSTODY,
                custody(start="01-06-2016", end="31-12-2019"), CONFLICT),
    quarantined("conflict (custody, second line)", CUSTODY,
                custody(start="01-06-2016", end="31-12-2020"), CONFLICT),
    quarantined("conflict (person, first line)", PERSONS, person("0404851234"), CONFLICT),
    quarantined("conflict (person, second line)", PERSONS,
                person("040485-1234", origin="Indvandrer fra vestligt land"), CONFLICT),
    Case("duplicate (person): earlier line merged", PERSONS, person("0505851234"), "merged"),
    used("duplicate (person): last line used", PERSONS, person("0505851234")),
    # --- finding 14: rows registered ahead -----------------------------------------------
    quarantined("spell starting after its extraction date", BIF,
                spell("H300", start="20-01-2022", end=""), "startdato after udtraeksdato",
                f"20-01-2022 / {LATE}"),
    used("spell starting on its extraction date", BIF, spell("H301", start=LATE, end="")),
    quarantined("planned spell with an end", BIF, spell("H302", start="01-03-2022",
                                                        end="30-06-2022"),
                "startdato after udtraeksdato", f"01-03-2022 / {LATE}"),
    quarantined("planned grant with an end", SOF,
                sof("G301", start="01-03-2022", end="30-06-2022", extracted=LATE),
                "startdato after udtraeksdato", f"01-03-2022 / {LATE}"),
    quarantined("grant starting after its extraction date", SOF,
                sof("G300", start="2022-03-01", extracted=LATE),
                "startdato after udtraeksdato", f"2022-03-01 / {LATE}"),
    quarantined("custody starting after its extraction date", CUSTODY,
                custody(start="01-02-2022"), "startdato after udtraeksdato",
                f"01-02-2022 / {LATE}"),
    # --- finding 15: implausible dates ---------------------------------------------------
    quarantined("extraction date in 2099", BIF, spell("H400", extracted="15-01-2099"),
                "udtraeksdato in the future", "15-01-2099"),
    quarantined("spell starting in 1800", BIF, spell("H401", start="01-01-1800"),
                "startdato before earliest plausible date", "01-01-1800"),
    quarantined("spell starting before the citizen's birth", BIF,
                spell("H402", start="01-06-1985", end="30-06-1985"), "startdato before birth",
                "01-06-1985"),
    quarantined("citizen born after the extraction date", BIF,
                spell("H403", cpr="0101304123"), "born after udtraeksdato"),
    quarantined("grant with an extraction date in 2099", SOF,
                sof("G400", extracted="2099-01-15"), "udtraeksdato in the future", "2099-01-15"),
    quarantined("grant starting in 1899", SOF, sof("G401", start="31-12-1899", extracted=LATE),
                "startdato before earliest plausible date", "31-12-1899"),
    quarantined("grant to a citizen born after the extraction date", SOF,
                sof("G402", cpr="0101304123", extracted=LATE), "born after udtraeksdato"),
    quarantined("custody of oneself", CUSTODY, custody(parent="010115-4123"),
                "custody of oneself"),
    quarantined("custody holder born after the child", CUSTODY,
                custody(parent="0101204123"), "foraelder not born before barn"),
    quarantined("custody holder born on the child's birthday", CUSTODY,
                custody(parent="0101154235"), "foraelder not born before barn"),
    quarantined("child born after the extraction date", CUSTODY,
                custody(child="0101304124", start="01-01-2021"), "born after udtraeksdato"),
    quarantined("custody starting before the child's birth", CUSTODY,
                custody(start="01-01-2010"), "startdato before birth", "01-01-2010"),
    quarantined("person with an extraction date in 2099", PERSONS,
                person("0606851234", extracted="14-01-2099"), "udtraeksdato in the future",
                "14-01-2099"),
    quarantined("person born after the extraction date", PERSONS,
                person("0101304125"), "born after udtraeksdato"),
    # --- plausible rows: the years 2019-2021, and what a mart needs -----------------------
    used("plausible spell of 2019", BIF, spell("H500", start="01-01-2019", end="31-12-2019")),
    used("plausible spell of 2020-2021", BIF, spell("H501", start="01-01-2020", end="")),
    used("valid custody (hostile delivery)", CUSTODY, custody()),
    used("valid grant (hostile delivery)", SOF, sof("G500", extracted=LATE)),
    used("valid person", PERSONS, person()),
]

LINES: dict[str, tuple[str, int]] = {}
for _case in CASES:
    assert _case.case_id not in LINES, f"duplicate case id {_case.case_id}"
    LINES[_case.case_id] = (_case.file, 2 + sum(1 for f, _ in LINES.values() if f == _case.file))


def write_delivery(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for raw_file in FILES.values():
        write_file(folder, raw_file, [c.values for c in CASES if c.file == raw_file.name])
    return folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> CraftedBuild:
    """The hostile delivery built (every model and test but the published figures)."""
    work = tmp_path_factory.mktemp("hostile_rows")
    return build_crafted(work, write_delivery(work / "raw"), "--exclude", "tag:published_figures")


def test_the_hostile_delivery_builds_green(hostile: CraftedBuild) -> None:
    """Rows registered ahead or with absurd dates no longer stop the build."""
    assert hostile.result.returncode == 0, hostile.result.stdout[-6000:]
    assert re.search(r"PASS assert_every_raw_row_is_accounted_for", hostile.result.stdout)


@pytest.mark.parametrize("case", CASES, ids=[c.case_id for c in CASES])
def test_row_outcome(hostile: CraftedBuild, case: Case) -> None:
    row = hostile.rows[LINES[case.case_id]]
    assert (row["row_status"], row["rejection_reason"], row["rejected_value"]) == \
        (case.status, case.reason, case.rejected_value)
    assert {column: row[column] for column in case.columns} == case.columns


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def test_no_stray_cpr_number_anywhere_in_the_warehouse(hostile: CraftedBuild) -> None:
    """Every string column of every table: none holds a stray CPR number, in any spelling
    (its digits are looked for with dashes and spaces removed)."""
    stray = {_digits(cpr).zfill(10) for cpr in STRAY} | {_digits(cpr) for cpr in STRAY}
    leaks = []
    with duckdb.connect(str(hostile.db), read_only=True) as con:
        columns = con.execute("""
            select table_schema, table_name, column_name from information_schema.columns
            where data_type = 'VARCHAR'""").fetchall()
        assert len(columns) > 50
        for schema, table, column in columns:
            values = con.execute(
                f'select distinct "{column}" from "{schema}"."{table}" '
                f'where "{column}" is not null').fetchall()
            leaks += [(schema, table, column) for (value,) in values
                      if any(number in _digits(value) for number in stray)]
    assert leaks == []


def test_nothing_is_lost_and_every_reason_is_reported(hostile: CraftedBuild) -> None:
    delivered = {path.name: data_lines(path) for path in hostile.raw.glob("*.csv")}
    assert delivered == Counter(c.file for c in CASES)
    assert Counter(file for file, _ in hostile.rows) == delivered
    reasons = {(file, reason): rows for file, reason, rows in hostile.query("""
        select source_file, rejection_reason, rows_quarantined
        from quality.rpt_quarantine_reasons""")}
    assert reasons == Counter((c.file, c.reason) for c in CASES if c.status == "quarantined")
    accounting = {file: (used, merged, quarantined) for file, used, merged, quarantined
                  in hostile.query("""
                      select source_file, rows_used, rows_merged, rows_quarantined
                      from quality.rpt_row_accounting""")}
    assert accounting == {
        file: tuple(sum(1 for c in CASES if c.file == file and c.status == status)
                    for status in ("used", "merged", "quarantined"))
        for file in delivered}


def test_report_years_are_those_of_the_plausible_rows(hostile: CraftedBuild) -> None:
    """A spell from 1800 and an extraction date in 2099 move no report year."""
    assert hostile.query("select year, is_complete_year from intermediate.int_report_years "
                         "order by year") == [(2019, True), (2020, True), (2021, True)]
    assert hostile.query("select distinct year from marts.rpt_tabel3 order by year") == \
        [(2019,), (2020,), (2021,)]


def test_the_generator_delivers_no_period_before_it_begins() -> None:
    """The synthetic delivery has no row registered ahead (staging would quarantine it):
    a period that begins after the late extraction date is in neither delivery."""
    start = np.array(["2020-06-01", "2021-06-01", "2022-01-14", "2022-02-01"],
                     dtype="datetime64[D]")
    in_early, in_late, _ = split_deliveries(start, np.full(4, np.datetime64("NaT", "D")))
    assert in_early.tolist() == [True, False, False, False]
    assert in_late.tolist() == [True, True, True, False]


# --- the quality report: the column and the count, never the value ----------------------

def test_quality_report_names_the_column_and_count_never_the_value(
        hostile: CraftedBuild, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A CPR number that reached staging (here written in on purpose, as if unmasked) is
    found by the GX privacy checks, and neither the printed report nor the Data Docs
    show it."""
    leaked = shutil.copy(hostile.db, tmp_path / "leaked.duckdb")
    with duckdb.connect(str(leaked)) as con:
        con.execute(f"""
            update staging.stg_bif__ydelsesforloeb set benefit_name = 'Dagpenge {STRAY[1]}'
            where row_status = 'used'""")
        (spells,) = con.execute("""select count(*) from staging.stg_bif__ydelsesforloeb
                                   where row_status = 'used'""").fetchone() or (0,)
        con.execute(f"""
            update staging.stg_sof__bevillinger set rejected_value = '{STRAY[0]}'
            where row_status = 'quarantined'""")
        (grants,) = con.execute("""select count(*) from staging.stg_sof__bevillinger
                                   where row_status = 'quarantined'""").fetchone() or (0,)
    docs = tmp_path / "docs"

    report = run_quality(Path(leaked), docs, suites=STAGING_SUITES)
    printed = format_report(report, Path(leaked))
    captured = capfd.readouterr()

    failed = [str(failure) for failure in report.failures]
    assert any(line.startswith("staging.stg_bif__ydelsesforloeb: "
                               "expect_column_values_to_not_match_regex(benefit_name)")
               and line.endswith(f"Found: {spells} rows") for line in failed), failed
    assert any(line.startswith("staging.stg_sof__bevillinger: "
                               "expect_column_values_to_not_match_regex(rejected_value)")
               and line.endswith(f"Found: {grants} rows") for line in failed), failed
    written = [path.read_text(encoding="utf-8", errors="replace")
               for path in docs.rglob("*") if path.is_file()]
    assert written, "no Data Docs written"
    for text in (printed, captured.out, captured.err, *written):
        for cpr in STRAY[:2]:
            assert cpr not in text and _digits(cpr) not in text, \
                "a CPR number in the quality report or the Data Docs"


# --- the same rules on Spark (marker spark, `make test-spark`) ------------------------------

@pytest.fixture(scope="module")
def hostile_on_spark(hostile: CraftedBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile delivery's staging models (and the seeds they read) built on Spark;
    returns the Spark warehouse folder."""
    work = tmp_path_factory.mktemp("hostile_rows_spark")
    make_dbt_runner(PROJECT, work / "unused.duckdb", work, spark=True)(
        "build", "--select", "+path:models/staging", "--resource-type", "model",
        "--resource-type", "seed", raw_dir=hostile.raw)
    return work / "spark" / "warehouse"


@pytest.mark.spark
@pytest.mark.parametrize("model", [model for model, _ in EXTRACTS.values()])
def test_spark_applies_the_row_rules_as_duckdb_does(
        hostile: CraftedBuild, hostile_on_spark: Path, model: str) -> None:
    """Masks (every match, Spark's regexp_replace), conflicts (window min/max of a
    fingerprint) and date rules: the same staging rows on Spark as on DuckDB."""
    same_staging_rows_on_spark(hostile, hostile_on_spark, model)
