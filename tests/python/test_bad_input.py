"""Bad input, tested: crafted deliveries with every class of dirt, and the exact outcome.

Row-level dirt never stops the build: each bad row is quarantined with a reason (or, for a
re-delivery, merged). All row-level classes share ONE crafted delivery, one dbt build, and
every bad row is told apart by its file and line. A file that cannot be read stops the
build with an error naming it; those classes need runs of their own (two, see `stopped`).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import PROJECT, copy_project, make_dbt_runner

# --- the crafted delivery ---------------------------------------------------------------

EXTRACTS: dict[str, tuple[str, tuple[str, ...]]] = {
    # extract: (staging model, its columns in the order the source systems write them)
    "bif_ydelsesforloeb": ("stg_bif__ydelsesforloeb", (
        "forloeb_id", "cpr", "maalgruppe", "ydelse", "startdato", "slutdato", "udtraeksdato")),
    "sof_bevillinger": ("stg_sof__bevillinger", (
        "bevilling_id", "cpr", "indsats_kode", "indsats_tekst", "paragraf", "startdato",
        "slutdato", "udtraeksdato")),
    "sof_foraeldremyndighed": ("stg_sof__foraeldremyndighed", (
        "barn_cpr", "foraelder_cpr", "startdato", "slutdato", "udtraeksdato")),
    "cpr_personer": ("stg_cpr__personer", ("cpr", "herkomst", "udtraeksdato")),
}
EXTRA_VALUE = "Kbh. Kommune"  # the value of every extra (undeclared) column


@dataclass(frozen=True)
class RawFile:
    name: str
    extract: str
    header: tuple[str, ...]  # as delivered; a name that is no column of the extract is extra
    encoding: str = "utf-8"  # "utf-8", "utf-8-sig" (with byte-order mark) or "cp1252"
    newline: str = "\n"


FILES: dict[str, RawFile] = {f.name: f for f in (
    RawFile("bif_ydelsesforloeb_a.csv", "bif_ydelsesforloeb",
            EXTRACTS["bif_ydelsesforloeb"][1]),
    # byte-order mark + odd header case, order and surrounding spaces + extra columns
    RawFile("bif_ydelsesforloeb_b.csv", "bif_ydelsesforloeb",
            (" Forloeb_Id ", "UDTRAEKSDATO", " Cpr", "Enhed", "MaalGruppe ", " STARTDATO",
             "SlutDato", "Ydelse", "Kommentar"), encoding="utf-8-sig"),
    # Windows-1252 with Windows line ends, header in capitals
    RawFile("bif_ydelsesforloeb_c.csv", "bif_ydelsesforloeb",
            ("FORLOEB_ID", "CPR", "MAALGRUPPE", "YDELSE", "STARTDATO", "SLUTDATO",
             "UDTRAEKSDATO"), encoding="cp1252", newline="\r\n"),
    RawFile("sof_bevillinger_a.csv", "sof_bevillinger", EXTRACTS["sof_bevillinger"][1],
            encoding="utf-8-sig"),
    RawFile("sof_bevillinger_b.csv", "sof_bevillinger",
            ("Enhed", " UDTRAEKSDATO ", "Indsats_Kode", "Bevilling_Id", " Cpr ", "Startdato",
             "Slutdato", "Paragraf", "Indsats_Tekst")),
    RawFile("sof_foraeldremyndighed_a.csv", "sof_foraeldremyndighed",
            EXTRACTS["sof_foraeldremyndighed"][1]),
    # a re-delivery of a relation (one file cannot hold one relation twice: a conflict)
    RawFile("sof_foraeldremyndighed_b.csv", "sof_foraeldremyndighed",
            EXTRACTS["sof_foraeldremyndighed"][1]),
    # no cpr_personer file: the extract is optional
)}

VALID_CPR = "0101901234"  # born 1 January 1990, a man


def bif(spell_id: str, cpr: str = VALID_CPR, group: str = "6.1", benefit: str = "Dagpenge",
        start: str = "01-02-2020", end: str = "30-06-2020",
        extracted: str = "15-01-2021") -> dict[str, str]:
    return {"forloeb_id": spell_id, "cpr": cpr, "maalgruppe": group, "ydelse": benefit,
            "startdato": start, "slutdato": end, "udtraeksdato": extracted}


def sof(grant_id: str, cpr: str = VALID_CPR, code: str = "SEL82B",
        start: str = "01-03-2020", end: str = "", extracted: str = "15-01-2021") -> dict[str, str]:
    return {"bevilling_id": grant_id, "cpr": cpr, "indsats_kode": code,
            "indsats_tekst": "Tidsbegrænset individuel hjælp", "paragraf": "SEL § 82 b",
            "startdato": start, "slutdato": end, "udtraeksdato": extracted}


def custody(child: str = "010115-4123", parent: str = "0101851234", start: str = "01-01-2015",
            end: str = "", extracted: str = "14-01-2022") -> dict[str, str]:
    return {"barn_cpr": child, "foraelder_cpr": parent, "startdato": start, "slutdato": end,
            "udtraeksdato": extracted}


@dataclass(frozen=True)
class Case:
    """One raw row and what staging must make of it."""

    case_id: str  # the class of input
    file: str
    values: dict[str, str]  # column of the extract -> delivered value
    status: str
    reason: str | None = None
    rejected_value: str | None = None
    columns: dict[str, Any] = field(default_factory=dict)  # further staging columns


def used(case_id: str, file: str, values: dict[str, str], **columns: Any) -> Case:
    return Case(case_id, file, values, "used", columns=columns)


def quarantined(case_id: str, file: str, values: dict[str, str], reason: str,
                rejected_value: str | None = None) -> Case:
    return Case(case_id, file, values, "quarantined", reason, rejected_value)


BIF_A, BIF_B, BIF_C = "bif_ydelsesforloeb_a.csv", "bif_ydelsesforloeb_b.csv", \
    "bif_ydelsesforloeb_c.csv"
SOF_A, SOF_B = "sof_bevillinger_a.csv", "sof_bevillinger_b.csv"
CUSTODY, CUSTODY_B = "sof_foraeldremyndighed_a.csv", "sof_foraeldremyndighed_b.csv"

# The rows of the delivery, in file order: a case's line is 2 + its position in its file.
CASES: list[Case] = [
    # --- bif_ydelsesforloeb_a.csv: plain UTF-8, the standard header -----------------------
    used("valid spell", BIF_A, bif("B100"), lab_group_code="6.1", benefit_name="Dagpenge"),
    quarantined("impossible cpr: day 32", BIF_A, bif("B101", cpr="3201901234"),
                "impossible cpr"),
    quarantined("impossible cpr: month 13", BIF_A, bif("B102", cpr="011390-1234"),
                "impossible cpr"),
    quarantined("impossible cpr: day 00", BIF_A, bif("B103", cpr="0001901234"),
                "impossible cpr"),
    quarantined("impossible cpr: letters", BIF_A, bif("B104", cpr="01O1901234"),
                "impossible cpr"),
    quarantined("impossible cpr: 29 February 1921", BIF_A, bif("B105", cpr="290221-1234"),
                "impossible cpr"),
    quarantined("impossible cpr: 8 digits", BIF_A, bif("B106", cpr="01019012"),
                "impossible cpr"),
    quarantined("impossible cpr: 11 digits", BIF_A, bif("B107", cpr="01019012345"),
                "impossible cpr"),
    used("9-digit cpr", BIF_A, bif("B108", cpr="203851235"), birth_year=1985, sex="M"),
    used("10-digit cpr with dash", BIF_A, bif("B109", cpr="020385-1235"), birth_year=1985),
    used("10-digit cpr in spaces", BIF_A, bif("B110", cpr=" 0203851235 "), birth_year=1985),
    used("cpr of a woman born 2003", BIF_A, bif("B111", cpr="0304034290"), birth_year=2003,
         sex="K"),
    used("maalgruppe '6,3'", BIF_A, bif("B120", group="6,3"), lab_group_code="6.3"),
    used("maalgruppe '§ 6, nr. 4'", BIF_A, bif("B121", group="§ 6, nr. 4"),
         lab_group_code="6.4"),
    used("maalgruppe 'LAB § 6 nr. 10'", BIF_A, bif("B122", group="LAB § 6 nr. 10"),
         lab_group_code="6.10"),
    used("maalgruppe 'lab6.8'", BIF_A, bif("B123", group=" lab6.8 "), lab_group_code="6.8"),
    quarantined("unknown maalgruppe: 6.11", BIF_A, bif("B124", group="6.11"),
                "unknown maalgruppe", "6.11"),
    quarantined("unknown maalgruppe: LAB § 7 nr. 1", BIF_A, bif("B125", group="LAB § 7 nr. 1"),
                "unknown maalgruppe", "LAB § 7 nr. 1"),
    quarantined("unknown maalgruppe: text", BIF_A, bif("B126", group=" ledig "),
                "unknown maalgruppe", "ledig"),
    quarantined("end before start", BIF_A, bif("B130", start="01-03-2020", end="29-02-2020"),
                "slutdato before startdato", "01-03-2020 / 29-02-2020"),
    used("end on start (one-day spell)", BIF_A, bif("B131", start="01-03-2020",
                                                    end="2020-03-01")),
    used("no end (open spell)", BIF_A, bif("B132", end=""), end_date=None),
    used("ISO dates", BIF_A, bif("B133", start="2020-02-01", end="2020-06-30",
                                 extracted="2021-01-15")),
    quarantined("unparsable startdato: 31-02-2020", BIF_A, bif("B134", start="31-02-2020"),
                "unparsable startdato", "31-02-2020"),
    quarantined("unparsable startdato: 2020/02/01", BIF_A, bif("B135", start="2020/02/01"),
                "unparsable startdato", "2020/02/01"),
    quarantined("unparsable startdato: 1-2-2020", BIF_A, bif("B136", start="1-2-2020"),
                "unparsable startdato", "1-2-2020"),
    quarantined("unparsable startdato: 1a-02-2020", BIF_A, bif("B146", start="1a-02-2020"),
                "unparsable startdato", "1a-02-2020"),
    quarantined("unparsable slutdato: 2020-06-3x", BIF_A, bif("B147", end="2020-06-3x"),
                "unparsable slutdato", "2020-06-3x"),
    quarantined("unparsable slutdato", BIF_A, bif("B137", end="ukendt"),
                "unparsable slutdato", "ukendt"),
    quarantined("unparsable udtraeksdato", BIF_A, bif("B138", extracted="15.01.2021"),
                "unparsable udtraeksdato", "15.01.2021"),
    quarantined("missing forloeb_id", BIF_A, bif(""), "missing forloeb_id"),
    quarantined("missing forloeb_id (blank)", BIF_A, bif("   "), "missing forloeb_id"),
    quarantined("missing cpr", BIF_A, bif("B140", cpr=""), "missing cpr"),
    quarantined("missing cpr (dash only)", BIF_A, bif("B141", cpr=" - "), "missing cpr"),
    quarantined("missing maalgruppe", BIF_A, bif("B142", group=""), "missing maalgruppe"),
    quarantined("missing startdato", BIF_A, bif("B143", start=""), "missing startdato"),
    quarantined("missing udtraeksdato", BIF_A, bif("B144", extracted=""), "missing udtraeksdato"),
    quarantined("first failing check wins: missing before impossible", BIF_A,
                bif("B145", cpr="3201901234", start=""), "missing startdato"),
    Case("re-delivery: older extraction date merged", BIF_A, bif("R1"), "merged"),
    used("re-delivery: later extraction date wins over a later file", BIF_A,
         bif("R2", extracted="2022-02-01")),
    Case("re-delivery: tie on date, earlier file merged", BIF_A,
         bif("R3", extracted="14-01-2022"), "merged"),
    used("re-delivery: a quarantined later delivery supersedes nothing", BIF_A, bif("R5")),
    # --- bif_ydelsesforloeb_b.csv: BOM, odd header, extra columns --------------------------
    used("re-delivery: newer extraction date used", BIF_B, bif("R1", extracted="14-01-2022")),
    Case("re-delivery: earlier extraction date in a later file merged", BIF_B,
         bif("R2", extracted="14-01-2022"), "merged"),
    used("re-delivery: tie on date, later file used", BIF_B, bif("R3", extracted="2022-01-14")),
    Case("re-delivery: tie on date and file, earlier line merged", BIF_B,
         bif("R4", extracted="14-01-2022"), "merged"),
    used("re-delivery: tie on date and file, later line used", BIF_B,
         bif("R4", extracted="14-01-2022")),
    quarantined("re-delivery: quarantined later delivery", BIF_B,
                bif("R5", start="2020-02-31", extracted="14-01-2022"),
                "unparsable startdato", "2020-02-31"),
    used("BOM and odd header: values in the right columns", BIF_B,
         bif("B200", group="6.2", benefit="Kontanthjælp", start="05-05-2020", end="",
             extracted="14-01-2022"),
         lab_group_code="6.2", benefit_name="Kontanthjælp", source_encoding="utf-8"),
    # --- bif_ydelsesforloeb_c.csv: Windows-1252, CRLF ------------------------------------
    used("Windows-1252: æøå survive", BIF_C,
         bif("B300", group="§ 6, nr. 9", benefit="Fleksløntilskud", end=""),
         lab_group_code="6.9", benefit_name="Fleksløntilskud", source_encoding="windows-1252",
         end_date=None),
    used("Windows-1252: ø survives", BIF_C,
         bif("B301", group="§ 6, nr. 8", benefit="Ressourceforløbsydelse"),
         lab_group_code="6.8", benefit_name="Ressourceforløbsydelse"),
    quarantined("Windows-1252: § survives in the rejected value", BIF_C,
                bif("B302", group="§ 6, nr. 11", benefit="Særlig støtte"),
                "unknown maalgruppe", "§ 6, nr. 11"),
    # --- sof_bevillinger_a.csv: BOM, the standard header ------------------------------------
    used("valid grant", SOF_A, sof("S100"), intervention_code="SEL82B"),
    used("indsats_kode in lower case and spaces", SOF_A, sof("S101", code=" sel82b "),
         intervention_code="SEL82B"),
    quarantined("unknown indsats_kode", SOF_A, sof("S102", code="foo_bar"),
                "unknown indsats_kode", "FOO_BAR"),
    quarantined("missing indsats_kode", SOF_A, sof("S103", code=""), "missing indsats_kode"),
    quarantined("missing bevilling_id", SOF_A, sof(""), "missing bevilling_id"),
    quarantined("missing cpr (grant)", SOF_A, sof("S105", cpr=""), "missing cpr"),
    quarantined("impossible cpr (grant)", SOF_A, sof("S106", cpr="311190-1234"),
                "impossible cpr"),
    quarantined("end before start (grant)", SOF_A,
                sof("S107", start="2020-05-01", end="2020-04-30"),
                "slutdato before startdato", "2020-05-01 / 2020-04-30"),
    quarantined("unparsable startdato (grant)", SOF_A, sof("S108", start="2020-02-30"),
                "unparsable startdato", "2020-02-30"),
    quarantined("missing startdato (grant)", SOF_A, sof("S109", start=""), "missing startdato"),
    quarantined("missing udtraeksdato (grant)", SOF_A, sof("S110", extracted=""),
                "missing udtraeksdato"),
    used("9-digit cpr (grant)", SOF_A, sof("S111", cpr="101901234"), birth_year=1990),
    Case("re-delivery (grant): older merged", SOF_A, sof("S200"), "merged"),
    # --- sof_bevillinger_b.csv: odd header and order, extra column ------------------------
    used("re-delivery (grant): newer used", SOF_B, sof("S200", extracted="14-01-2022")),
    used("odd header (grant): values in the right columns", SOF_B,
         sof("S201", code="SPS", start="01-06-2020", end="31-12-2020", extracted="14-01-2022"),
         intervention_code="SPS", is_paragraph_contradicting=True),
    # --- sof_foraeldremyndighed_a.csv ----------------------------------------------------
    used("valid custody", CUSTODY, custody(), child_birth_year=2015, parent_birth_year=1985),
    Case("re-delivery (custody): older merged", CUSTODY,
         custody(child="0202164321", parent="0202861234", start="2016-02-02",
                 extracted="15-01-2021"), "merged"),
    used("re-delivery (custody): newer used", CUSTODY_B,
         custody(child="020216-4321", parent="0202861234", start="02-02-2016")),
    quarantined("impossible barn_cpr", CUSTODY, custody(child="320115-4123"),
                "impossible barn_cpr"),
    quarantined("impossible foraelder_cpr", CUSTODY, custody(parent="ABCDEF1234"),
                "impossible foraelder_cpr"),
    quarantined("missing barn_cpr", CUSTODY, custody(child=""), "missing barn_cpr"),
    quarantined("missing foraelder_cpr", CUSTODY, custody(parent=""), "missing foraelder_cpr"),
    quarantined("end before start (custody)", CUSTODY,
                custody(start="01-06-2020", end="31-05-2020"),
                "slutdato before startdato", "01-06-2020 / 31-05-2020"),
    quarantined("unparsable startdato (custody)", CUSTODY, custody(start="2020-13-01"),
                "unparsable startdato", "2020-13-01"),
    used("9-digit parent cpr (custody)", CUSTODY, custody(parent="101851234", start="01-02-2016"),
         parent_birth_year=1985),
]

LINES: dict[str, tuple[str, int]] = {}  # case_id -> (file, line)
for _case in CASES:
    assert _case.case_id not in LINES, f"duplicate case id {_case.case_id}"
    LINES[_case.case_id] = (_case.file, 2 + sum(1 for f, _ in LINES.values() if f == _case.file))


def write_file(folder: Path, raw_file: RawFile, rows: list[dict[str, str]]) -> Path:
    columns = EXTRACTS[raw_file.extract][1]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator=raw_file.newline)
    writer.writerow(raw_file.header)
    for values in rows:
        writer.writerow([values.get(name.strip().lower(), "")
                         if name.strip().lower() in columns else EXTRA_VALUE
                         for name in raw_file.header])
    path = folder / raw_file.name
    path.write_bytes(buffer.getvalue().encode(raw_file.encoding))
    return path


def write_delivery(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for raw_file in FILES.values():
        write_file(folder, raw_file, [c.values for c in CASES if c.file == raw_file.name])
    return folder


def data_lines(path: Path) -> int:
    """Data rows of a raw file, counted by Python's CSV reader, apart from the warehouse."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    return sum(1 for _ in csv.reader(io.StringIO(text), delimiter=";")) - 1


# --- one build of the crafted delivery ------------------------------------------------------

@dataclass
class CraftedBuild:
    raw: Path
    db: Path
    result: subprocess.CompletedProcess[str]
    rows: dict[tuple[str, int], dict[str, Any]]  # (source_file, source_line) -> staging row

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql).fetchall()


QUALITY = ["--select", "+path:models/marts/quality", "--indirect-selection", "cautious"]


def build_crafted(work: Path, raw: Path, *arguments: str) -> CraftedBuild:
    """`dbt build *arguments` of the delivery in ``raw`` into a warehouse in ``work``, and
    every staging row by its file and line, with the encoding its file was read in
    (`source_encoding`, from `rpt_raw_files` when the build made it: staging records it
    once per file, not on the rows)."""
    db = work / "warehouse.duckdb"
    result = make_dbt_runner(PROJECT, db, work)("build", *arguments, raw_dir=raw, check=False)
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    if db.exists():
        with duckdb.connect(str(db), read_only=True) as con:
            listed = con.execute("""
                select count(*) from information_schema.tables
                where table_schema = 'quality' and table_name = 'rpt_raw_files'""").fetchone()
            encodings = dict(con.execute(
                "select file_name, source_encoding from quality.rpt_raw_files").fetchall()) \
                if listed and listed[0] else {}
            for model, _ in EXTRACTS.values():
                cursor = con.execute(f"select * from staging.{model}")
                names = [d[0] for d in cursor.description]
                for values in cursor.fetchall():
                    row = dict(zip(names, values, strict=True))
                    row["source_encoding"] = encodings.get(row["source_file"])
                    rows[(row["source_file"], row["source_line"])] = row
    return CraftedBuild(raw, db, result, rows)


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> CraftedBuild:
    """The crafted delivery built through staging and the quality models, with their tests."""
    work = tmp_path_factory.mktemp("bad_input")
    return build_crafted(work, write_delivery(work / "raw"), *QUALITY)


def test_bad_rows_do_not_stop_the_build(crafted: CraftedBuild) -> None:
    assert crafted.result.returncode == 0, crafted.result.stdout[-6000:]
    assert re.search(r"PASS assert_every_raw_row_is_accounted_for", crafted.result.stdout)
    # Far more than 1 % of the rows are bad: the warning fires, the build goes on.
    assert re.search(r"WARN \d+ warn_quarantine_share_per_extract", crafted.result.stdout)


@pytest.mark.parametrize("case", CASES, ids=[c.case_id for c in CASES])
def test_row_outcome(crafted: CraftedBuild, case: Case) -> None:
    row = crafted.rows[LINES[case.case_id]]
    assert (row["row_status"], row["rejection_reason"], row["rejected_value"]) == \
        (case.status, case.reason, case.rejected_value)
    assert {column: row[column] for column in case.columns} == case.columns


def test_an_impossible_cpr_is_traceable_only_by_its_hash(crafted: CraftedBuild) -> None:
    impossible = [c for c in CASES if c.reason and c.reason.startswith("impossible")]
    assert len(impossible) == 10
    for case in impossible:
        row = crafted.rows[LINES[case.case_id]]
        assert row["rejected_cpr_hash"] is not None, case.case_id
        assert row["rejected_value"] is None, case.case_id
        keys = [k for k in row if k.endswith("person_key")]
        assert any(row[k] is None for k in keys), case.case_id


def test_a_9_digit_cpr_gets_the_person_key_of_its_10_digit_form(crafted: CraftedBuild) -> None:
    def key(case_id: str, column: str = "person_key") -> str:
        return crafted.rows[LINES[case_id]][column]

    forms = ["9-digit cpr", "10-digit cpr with dash", "10-digit cpr in spaces"]
    assert len({key(c) for c in forms}) == 1
    assert key("9-digit cpr") is not None
    assert key("9-digit cpr (grant)") == key("valid spell")  # 101901234 = 0101901234
    assert key("9-digit parent cpr (custody)", "parent_person_key") == \
        key("valid custody", "parent_person_key")


def test_nothing_is_lost(crafted: CraftedBuild) -> None:
    """Staging has one row per data line of every file, and the accounting says the same."""
    delivered = {path.name: data_lines(path) for path in crafted.raw.glob("*.csv")}
    expected = Counter(c.file for c in CASES)
    assert delivered == expected
    staged = Counter(file for file, _ in crafted.rows)
    assert staged == delivered
    accounting = {file: (raw, used, merged, quarantined) for file, raw, used, merged, quarantined
                  in crafted.query("""
                      select source_file, raw_rows, rows_used, rows_merged, rows_quarantined
                      from quality.rpt_row_accounting""")}
    assert accounting == {
        file: (expected[file],
               sum(1 for c in CASES if c.file == file and c.status == "used"),
               sum(1 for c in CASES if c.file == file and c.status == "merged"),
               sum(1 for c in CASES if c.file == file and c.status == "quarantined"))
        for file in expected}


def test_quarantine_reasons_report(crafted: CraftedBuild) -> None:
    found = {(extract, file, reason): rows for extract, file, reason, rows in crafted.query("""
        select extract_name, source_file, rejection_reason, rows_quarantined
        from quality.rpt_quarantine_reasons""")}
    assert found == Counter((FILES[c.file].extract, c.file, c.reason)
                            for c in CASES if c.status == "quarantined")


def test_the_optional_person_extract_may_be_absent(crafted: CraftedBuild) -> None:
    assert not list(crafted.raw.glob("cpr_personer*.csv"))
    assert crafted.result.returncode == 0
    assert crafted.query("select count(*) from staging.stg_cpr__personer") == [(0,)]
    assert crafted.query("""
        select count(*) from quality.rpt_row_accounting where extract_name = 'cpr_personer'
    """) == [(0,)]


def test_the_accounting_test_fails_when_staging_loses_a_row(
        crafted: CraftedBuild, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    model = project / "models" / "staging" / "bif" / "stg_bif__ydelsesforloeb.sql"
    text = model.read_text(encoding="utf-8")
    assert text.rstrip().endswith("select * from final")
    model.write_text(text.rstrip() + f"\nwhere not (source_file = '{BIF_A}' and source_line = 3)\n",
                     encoding="utf-8")
    db = tmp_path / "lossy.duckdb"
    shutil.copy(crafted.db, db)  # seeds and the other staging models are there already
    run = make_dbt_runner(project, db, tmp_path)
    # --full-refresh: the stg model is incremental and has staged every file already
    result = run("build", "--select", "source:raw", "stg_bif__ydelsesforloeb",
                 "rpt_row_accounting", "rpt_quarantine_reasons",
                 "--indirect-selection", "cautious", "--full-refresh", raw_dir=crafted.raw,
                 check=False)
    assert result.returncode == 1
    assert re.search(r"FAIL 1 assert_every_raw_row_is_accounted_for", result.stdout)
    assert re.search(r"PASS rpt_row_accounting_statuses_add_up", result.stdout)


# --- files that cannot be read stop the build -----------------------------------------------

@dataclass(frozen=True)
class Unreadable:
    case_id: str
    extract: str  # the extract whose staging model must stop
    spoil: Callable[[Path], None]  # turns the valid crafted delivery into the bad one
    message: Callable[[Path], str]  # the exact error text, given the raw folder


def missing_extract(extract: str) -> Unreadable:
    def spoil(raw: Path) -> None:
        for path in raw.glob(f"{extract}*.csv"):
            path.unlink()
    return Unreadable(
        f"missing required extract {extract}", extract, spoil,
        lambda raw: f"Required extract '{extract}' has no file: nothing matches "
                    f"{raw}/{extract}*.csv (raw folder '{raw}')")


def rewrite(name: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def spoil(raw: Path) -> None:
        path = raw / name
        path.write_bytes(change(path.read_bytes()))
    return spoil


def drop_columns(*columns: str) -> Callable[[bytes], bytes]:
    def change(content: bytes) -> bytes:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        keep = [i for i, name in enumerate(rows[0]) if name.strip().lower() not in columns]
        return "".join(";".join(row[i] for i in keep) + "\n" for row in rows).encode("utf-8")
    return change


def add_file(raw_file: RawFile, rows: list[dict[str, str]]) -> Callable[[Path], None]:
    def spoil(raw: Path) -> None:
        write_file(raw, raw_file, rows)
    return spoil


def put(name: str, content: bytes) -> Callable[[Path], None]:
    def spoil(raw: Path) -> None:
        (raw / name).write_bytes(content)
    return spoil


def file_error(name: str, extract: str, what: str) -> Callable[[Path], str]:
    return lambda raw: f"Raw file {raw / name} (extract '{extract}') {what}"


PERSONS = "cpr_personer_a.csv"
UNREADABLE: list[Unreadable] = [
    missing_extract("bif_ydelsesforloeb"),
    missing_extract("sof_bevillinger"),
    missing_extract("sof_foraeldremyndighed"),
    Unreadable(
        "comma-separated file", "bif_ydelsesforloeb",
        rewrite(BIF_B, lambda content: content.replace(b";", b",")),
        file_error(BIF_B, "bif_ydelsesforloeb",
                   "lacks required column(s) forloeb_id, cpr, maalgruppe, startdato, "
                   "udtraeksdato. The header has a single column: the file does not seem to "
                   "be ';'-separated.")),
    Unreadable(
        "missing required columns", "sof_bevillinger",
        rewrite(SOF_B, drop_columns("cpr", "udtraeksdato")),
        file_error(SOF_B, "sof_bevillinger", "lacks required column(s) cpr, udtraeksdato.")),
    Unreadable(
        "missing required column of the optional extract", "cpr_personer",
        add_file(RawFile(PERSONS, "cpr_personer", ("cpr", "herkomst")),
                 [{"cpr": VALID_CPR, "herkomst": "Dansk oprindelse"}]),
        file_error(PERSONS, "cpr_personer", "lacks required column(s) udtraeksdato.")),
    Unreadable(
        "empty file", "sof_foraeldremyndighed", put(CUSTODY, b""),
        file_error(CUSTODY, "sof_foraeldremyndighed", "is empty: no header row")),
    Unreadable(
        "empty file but for a byte-order mark and a line end", "cpr_personer",
        put(PERSONS, b"\xef\xbb\xbf\r\n"),
        file_error(PERSONS, "cpr_personer", "is empty: no header row")),
]


@pytest.fixture(scope="module")
def stopped(crafted: CraftedBuild, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    """Each case's raw folder and dbt run of the staging models."""
    return stop_runs(crafted, tmp_path_factory, "run", spark=False)


def stop_runs(crafted: CraftedBuild, tmp_path_factory: pytest.TempPathFactory, command: str,
              *, spark: bool) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    """Each case's raw folder and dbt `command` of the staging models.

    A compilation error stops its own model only, so cases of different extracts share a
    run (a round): round n holds the n-th case of every extract. Two runs instead of eight.
    """
    rounds: dict[int, list[Unreadable]] = {}
    for index, case in enumerate(UNREADABLE):
        rounds.setdefault(sum(1 for c in UNREADABLE[:index] if c.extract == case.extract),
                          []).append(case)
    outcomes: dict[str, tuple[Path, subprocess.CompletedProcess[str]]] = {}
    for number, cases in rounds.items():
        work = tmp_path_factory.mktemp(f"stopped_{number}")
        raw = work / "raw"
        shutil.copytree(crafted.raw, raw)
        for case in cases:
            case.spoil(raw)
        models = [f"+{EXTRACTS[extract][0]}" for extract in EXTRACTS]
        result = make_dbt_runner(PROJECT, work / "warehouse.duckdb", work, spark=spark)(
            command, "--select", *models, raw_dir=raw, check=False)
        outcomes |= {case.case_id: (raw, result) for case in cases}
    return outcomes


@pytest.mark.parametrize("case", UNREADABLE, ids=[c.case_id for c in UNREADABLE])
def test_an_unreadable_delivery_stops_the_build_naming_the_problem(
        stopped: dict[str, tuple[Path, subprocess.CompletedProcess[str]]],
        case: Unreadable) -> None:
    raw, result = stopped[case.case_id]
    assert result.returncode != 0
    base = EXTRACTS[case.extract][0].replace("stg_", "base_", 1)  # reads the files
    assert re.search(rf"ERROR creating sql incremental model staging\.{base}\b", result.stdout)
    assert case.message(raw) in result.stdout, result.stdout[-3000:]


# --- the same on Spark (marker spark, `make test-spark`) ------------------------------------

@pytest.fixture(scope="module")
def crafted_on_spark(crafted: CraftedBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The crafted delivery's staging models (and the seeds they read) built on Spark;
    returns the Spark warehouse folder."""
    work = tmp_path_factory.mktemp("bad_input_spark")
    make_dbt_runner(PROJECT, work / "unused.duckdb", work, spark=True)(
        "build", "--select", "+path:models/staging", "--resource-type", "model",
        "--resource-type", "seed", raw_dir=crafted.raw)
    return work / "spark" / "warehouse"


@pytest.mark.spark
@pytest.mark.parametrize("model", [model for model, _ in EXTRACTS.values()])
def test_spark_reads_the_crafted_delivery_as_duckdb_does(
        crafted: CraftedBuild, crafted_on_spark: Path, model: str) -> None:
    """BOM, Windows-1252, Windows line ends, odd headers, extra columns and every kind of
    bad row: the same staging rows on Spark as on DuckDB, line numbers and keys included."""
    spark = f"read_parquet('{crafted_on_spark}/staging.db/{model}/*.parquet')"
    with duckdb.connect(str(crafted.db), read_only=True) as con:
        names = [name for name, *_ in con.execute(f"describe staging.{model}").fetchall()]
        assert [name for name, *_ in con.execute(f"describe select * from {spark}").fetchall()
                ] == names
        selected = ", ".join(names)
        for left, right in ((spark, f"staging.{model}"), (f"staging.{model}", spark)):
            extra = con.execute(f"select {selected} from {left} except all "
                                f"select {selected} from {right}").fetchall()
            assert extra == [], f"rows of {left} not in {right}: {extra[:3]}"


@pytest.fixture(scope="module")
def stopped_on_spark(crafted: CraftedBuild, tmp_path_factory: pytest.TempPathFactory
                     ) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    """The unreadable deliveries run on Spark."""
    return stop_runs(crafted, tmp_path_factory, "run", spark=True)


@pytest.mark.spark
@pytest.mark.parametrize("case", UNREADABLE, ids=[c.case_id for c in UNREADABLE])
def test_an_unreadable_delivery_stops_the_spark_build_naming_the_problem(
        stopped_on_spark: dict[str, tuple[Path, subprocess.CompletedProcess[str]]],
        case: Unreadable) -> None:
    test_an_unreadable_delivery_stops_the_build_naming_the_problem(stopped_on_spark, case)
