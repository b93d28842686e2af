"""Hostile and broken raw files.

What a careless or malicious delivery does to the raw reader, and the exact outcome. The
row-level cases share ONE delivery and one dbt build (in a raw folder whose name holds a
`'`); the files that must stop the build share runs, one case per extract and run (a
compilation error stops its own model only). Every run is scanned for the delivery's CPR
numbers and the pseudonymisation key: in stdout and in every file the build writes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import PROJECT, copy_project, make_dbt_runner

# A test key of 40 bytes: it must appear in nothing the build writes.
TEST_KEY = "hostile-files-test-key-7f3a9c1e5b2d8046"
KEY_ENV = {"FAELLESBORGER_PSEUDONYM_KEY": TEST_KEY}

BIF_HEADER = "forloeb_id;cpr;maalgruppe;ydelse;startdato;slutdato;udtraeksdato"
SOF_HEADER = "bevilling_id;cpr;indsats_kode;indsats_tekst;paragraf;startdato;slutdato;udtraeksdato"
CUSTODY_HEADER = "barn_cpr;foraelder_cpr;startdato;slutdato;udtraeksdato"
PERSON_HEADER = "cpr;herkomst;udtraeksdato"
STAGING = {
    "bif_ydelsesforloeb": "stg_bif__ydelsesforloeb",
    "sof_bevillinger": "stg_sof__bevillinger",
    "sof_foraeldremyndighed": "stg_sof__foraeldremyndighed",
    "cpr_personer": "stg_cpr__personer",
}


def spell(spell_id: str, cpr: str, group: str = "6.1", benefit: str = "Dagpenge") -> str:
    return f"{spell_id};{cpr};{group};{benefit};01-02-2020;30-06-2020;15-01-2021"


def lines(*rows: str, end: str = "\n") -> bytes:
    return "".join(row + end for row in rows).encode("utf-8")


def valid_delivery(raw: Path) -> Path:
    """One valid file per required extract."""
    raw.mkdir(parents=True)
    (raw / "bif_ydelsesforloeb_a.csv").write_bytes(
        lines(BIF_HEADER, spell("A1", "2003801238")))
    (raw / "sof_bevillinger_a.csv").write_bytes(lines(
        SOF_HEADER, "S1;2003801246;SEL82B;Hjælp;SEL § 82 b;01-03-2020;;15-01-2021"))
    (raw / "sof_foraeldremyndighed_a.csv").write_bytes(lines(
        CUSTODY_HEADER, "2003154123;2003851254;01-04-2015;;14-01-2022"))
    return raw


# --- the row-level delivery ------------------------------------------------------------------

FIVE_MB = "x" * (5 * 1024 * 1024 - 10) + ";x"
ROWS_FILE = "bif_ydelsesforloeb_rows.csv"
QUOTE_FILE = "bif_ydelsesforloeb_o'brien.csv"
INJECTION_FILE = "bif_ydelsesforloeb_x' || getvariable('faellesborger_pseudonym_key') || '.csv"
BREAK_FILE = "bif_ydelsesforloeb_y'); select getvariable('faellesborger_pseudonym_key'); --.csv"
UPPER_FILE = "BIF_YDELSESFORLOEB_UPPER.CSV"
CP1252_FILE = "bif_ydelsesforloeb_cp1252.csv"
PERSON_FILE = "CPR_personer.csv"


def hostile_delivery(raw: Path) -> Path:
    valid_delivery(raw)
    (raw / ROWS_FILE).write_bytes(
        lines(
            BIF_HEADER,                                          # 1
            spell("H1", "1502801234"),                           # 2 used
            spell("#H2", "1502801242"),                          # 3 used: '#' is data
            "",                                                  # 4 empty
            "\r",                                                # 5 empty
            spell("H3", "1502801250", "6.2", "Kontanthjælp"),    # 6 used
            " \t ",                                              # 7 whitespace-only
            spell("H4", "1502801269") + ";extra",                # 8 too many fields
            "H5;1502801277;6.1",                                 # 9 too few fields
            'H6;"1502801285;6.1;Dagpenge;01-02-2020;;15-01-2021',  # 10 unterminated quote
            spell("H7", "1502801293", benefit=f'"{FIVE_MB}"') + ";extra",  # 11 5 MB field
            spell("H8", "1502801307", benefit='"Dag;""penge"""'),  # 12 used, quoted
        )
        + spell("H9", "1502801315").encode("utf-8"))           # 13 used, no final line end
    for name, spell_id, cpr in ((UPPER_FILE, "U1", "1602801233"),
                                (QUOTE_FILE, "Q1", "1602801241"),
                                (INJECTION_FILE, "Q2", "1602801258"),
                                (BREAK_FILE, "Q3", "1602801266")):
        (raw / name).write_bytes(lines(BIF_HEADER, spell(spell_id, cpr)))
    (raw / CP1252_FILE).write_bytes(
        lines(BIF_HEADER, spell("W1", "1702801232", "§ 6, nr. 9", "Særlig støtte"), end="\r\n")
        .decode("utf-8").encode("cp1252"))
    (raw / PERSON_FILE).write_bytes(lines(PERSON_HEADER, "1802801231;Dansk oprindelse;14-01-2022"))
    (raw / "notes.txt").write_bytes(b"delivered by hand\n")
    (raw / ".DS_Store").write_bytes(b"\x00\x01")
    (raw / "archive").mkdir()
    return raw


# (file, physical line) -> (row_status, rejection_reason) of the staging row
EXPECTED_ROWS: dict[tuple[str, int], tuple[str, str | None]] = {
    (ROWS_FILE, 2): ("used", None),
    (ROWS_FILE, 3): ("used", None),
    (ROWS_FILE, 6): ("used", None),
    (ROWS_FILE, 7): ("quarantined", "whitespace-only line"),
    (ROWS_FILE, 8): ("quarantined", "8 fields where the header has 7"),
    (ROWS_FILE, 9): ("quarantined", "3 fields where the header has 7"),
    (ROWS_FILE, 10): ("quarantined", "malformed line (unbalanced quote)"),
    (ROWS_FILE, 11): ("quarantined", "8 fields where the header has 7"),
    (ROWS_FILE, 12): ("used", None),
    (ROWS_FILE, 13): ("used", None),
    (UPPER_FILE, 2): ("used", None),
    (QUOTE_FILE, 2): ("used", None),
    (INJECTION_FILE, 2): ("used", None),
    (BREAK_FILE, 2): ("used", None),
    (CP1252_FILE, 2): ("used", None),
    ("bif_ydelsesforloeb_a.csv", 2): ("used", None),
}


def cpr_shapes(raw: Path) -> set[str]:
    """Every CPR number of a delivery's files, with and without dash."""
    found: set[str] = set()
    for path in raw.rglob("*"):
        if path.is_file():
            for digits in re.findall(rb"(?<!\d)(\d{6})-?(\d{4})(?!\d)", path.read_bytes()):
                day, serial = (part.decode() for part in digits)
                found |= {day + serial, f"{day}-{serial}"}
    return found


def leaks(work: Path, stdout: str, secrets: set[str], skip: Path) -> list[str]:
    """Where any secret appears: stdout, a file under ``work`` (but ``skip``), or a string
    column of a DuckDB warehouse under ``work``."""
    found = [f"stdout: {s}" for s in secrets if s in stdout]
    encoded = {s: s.encode("utf-8") for s in secrets}
    for path in work.rglob("*"):
        if not path.is_file() or path.is_symlink() or skip in path.parents:
            continue
        content = path.read_bytes()
        found += [f"{path}: {s}" for s, b in encoded.items() if b in content]
        if path.suffix == ".duckdb":
            with duckdb.connect(str(path), read_only=True) as con:
                columns = con.execute("""
                    select table_schema, table_name, column_name from information_schema.columns
                    where data_type = 'VARCHAR'""").fetchall()
                for schema, table, column in columns:
                    for s in secrets:
                        hit = con.execute(
                            f'select count(*) from "{schema}"."{table}" '
                            f'where contains("{column}", ?)', [s]).fetchone()
                        if hit and hit[0]:
                            found.append(f"{schema}.{table}.{column}: {s}")
    return found


@dataclass
class HostileBuild:
    work: Path
    raw: Path
    db: Path
    result: subprocess.CompletedProcess[str]

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql).fetchall()


QUALITY = ["--select", "+path:models/marts/quality", "--indirect-selection", "cautious"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileBuild:
    """The hostile delivery (in a raw folder named with a `'`) built through staging and
    the quality models, with their tests. DuckDB reads its files in chunks of at most 64
    bytes (a large file's way, `line_chunks`), so that every line below also crosses a
    chunk boundary or is longer than a chunk; Spark reads them whole and must agree."""
    work = tmp_path_factory.mktemp("hostile")
    raw = hostile_delivery(work.parent / f"{work.name}-delivery" / "raw'o")
    db = work / "warehouse.duckdb"
    result = make_dbt_runner(PROJECT, db, work)(
        "build", *QUALITY, raw_dir=raw, check=False,
        extra_env={**KEY_ENV, "FAELLESBORGER_RAW_CHUNK_BYTES": "64"})
    return HostileBuild(work, raw, db, result)


def test_the_hostile_delivery_builds(hostile: HostileBuild) -> None:
    assert hostile.result.returncode == 0, hostile.result.stdout[-6000:]
    assert re.search(r"PASS assert_every_raw_row_is_accounted_for", hostile.result.stdout)


def test_every_line_has_its_outcome_at_its_physical_line(hostile: HostileBuild) -> None:
    """8: `#` is data; 11: empty lines skipped, numbers kept, whitespace-only quarantined;
    3: field counts and quotes quarantined with file, line and reason."""
    rows = {(file, line): (status, reason) for file, line, status, reason in hostile.query("""
        select source_file, source_line, row_status, rejection_reason
        from staging.stg_bif__ydelsesforloeb""")}
    assert rows == EXPECTED_ROWS


def test_quarantined_reader_rows_have_no_values_and_no_person(hostile: HostileBuild) -> None:
    rows = hostile.query(f"""
        select spell_id, person_key, benefit_name, rejected_value, rejected_cpr_hash
        from staging.stg_bif__ydelsesforloeb
        where source_file = '{ROWS_FILE}' and source_line in (7, 8, 9, 10, 11)""")
    assert rows == [(None, None, None, None, None)] * 5


def test_values_of_quoted_hash_and_windows_1252_lines(hostile: HostileBuild) -> None:
    values = {spell_id: (benefit, group, encoding) for spell_id, benefit, group, encoding
              in hostile.query("""
                  select spells.spell_id, spells.benefit_name, spells.lab_group_code,
                      files.source_encoding
                  from staging.stg_bif__ydelsesforloeb as spells
                  inner join quality.rpt_raw_files as files
                      on spells.source_file = files.file_name
                  where spells.row_status = 'used'""")}
    assert values["#H2"] == ("Dagpenge", "6.1", "utf-8")
    assert values["H8"] == ('Dag;"penge"', "6.1", "utf-8")
    assert values["H3"] == ("Kontanthjælp", "6.2", "utf-8")
    assert values["W1"] == ("Særlig støtte", "6.9", "windows-1252")


def test_names_with_quotes_are_read_verbatim(hostile: HostileBuild) -> None:
    """1: a `'` in the raw folder and file names, and names crafted as SQL, are data."""
    assert "'" in hostile.raw.name
    files = {file for (file,) in hostile.query(
        "select distinct source_file from staging.stg_bif__ydelsesforloeb")}
    assert {QUOTE_FILE, INJECTION_FILE, BREAK_FILE} <= files


def test_upper_case_and_person_files_are_read(hostile: HostileBuild) -> None:
    """13: `.CSV` in capitals and `CPR_personer.csv` belong to their extracts."""
    assert hostile.query("""
        select source_file, source_line, row_status from staging.stg_cpr__personer""") == [
        (PERSON_FILE, 2, "used")]


def test_the_accounting_lists_every_entry_of_the_raw_folder(hostile: HostileBuild) -> None:
    """13: every entry, read or skipped with a reason; 8/11: lines counted from bytes."""
    found = {row[0]: row[1:] for row in hostile.query("""
        select source_file, extract_name, file_status, skip_reason, physical_lines,
               empty_lines, raw_rows, rows_used, rows_quarantined
        from quality.rpt_row_accounting""")}
    bif = "bif_ydelsesforloeb"
    assert found == {
        ".DS_Store": (None, "skipped", "hidden file", None, None, None, None, None),
        "archive": (None, "skipped", "a folder", None, None, None, None, None),
        "notes.txt": (None, "skipped", "not a raw extract's file name", None, None, None,
                      None, None),
        ROWS_FILE: (bif, "read", None, 13, 2, 10, 5, 5),
        UPPER_FILE: (bif, "read", None, 2, 0, 1, 1, 0),
        QUOTE_FILE: (bif, "read", None, 2, 0, 1, 1, 0),
        INJECTION_FILE: (bif, "read", None, 2, 0, 1, 1, 0),
        BREAK_FILE: (bif, "read", None, 2, 0, 1, 1, 0),
        CP1252_FILE: (bif, "read", None, 2, 0, 1, 1, 0),
        "bif_ydelsesforloeb_a.csv": (bif, "read", None, 2, 0, 1, 1, 0),
        "sof_bevillinger_a.csv": ("sof_bevillinger", "read", None, 2, 0, 1, 1, 0),
        "sof_foraeldremyndighed_a.csv": ("sof_foraeldremyndighed", "read", None, 2, 0, 1, 1,
                                         0),
        PERSON_FILE: ("cpr_personer", "read", None, 2, 0, 1, 1, 0),
    }


def test_no_cpr_number_and_no_key_in_anything_the_build_writes(hostile: HostileBuild) -> None:
    """1 and 3: scanned in stdout, target/, logs/, the warehouse's files and string
    columns, for every CPR number of the delivery (with and without dash) and the key."""
    secrets = cpr_shapes(hostile.raw) | {TEST_KEY}
    assert len(secrets) > 30
    assert (hostile.work / "logs" / "dbt.log").exists()
    assert leaks(hostile.work, hostile.result.stdout, secrets, hostile.raw) == []


def test_broken_lines_and_crafted_names_leak_nothing(tmp_path: Path) -> None:
    """1 and 3, one extract each (a compilation error stops its own model only): a file
    name crafted to select the key, too many fields, an unterminated quote, a 5 MB field.
    The build reads them all (names verbatim, broken lines quarantined) and no CPR number
    of the delivery and not the key appear in stdout or anything the build writes."""
    raw = valid_delivery(tmp_path / "delivery" / "raw")
    (raw / INJECTION_FILE).write_bytes(lines(BIF_HEADER, spell("K1", "2502801234")))
    (raw / "sof_bevillinger_b.csv").write_bytes(lines(
        SOF_HEADER, "S3;2502801242;SEL82B;Hjælp;SEL § 82 b;01-03-2020;;15-01-2021;Kbh;x"))
    (raw / "sof_foraeldremyndighed_b.csv").write_bytes(lines(
        CUSTODY_HEADER, '2502151237;"2502851240;01-01-2015;;14-01-2022'))
    (raw / "cpr_personer_b.csv").write_bytes(lines(
        PERSON_HEADER, f'2502801250;"{FIVE_MB}";14-01-2022;x'))
    work = tmp_path / "work"
    result = make_dbt_runner(PROJECT, work / "warehouse.duckdb", work)(
        "build", "--select", *(f"+{model}" for model in STAGING.values()),
        "--resource-type", "seed", "--resource-type", "model", raw_dir=raw, check=False,
        extra_env=KEY_ENV)
    assert leaks(work, result.stdout, cpr_shapes(raw) | {TEST_KEY}, raw) == []
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute(f"""
            select source_file, source_line, row_status from staging.stg_bif__ydelsesforloeb
            where source_file = '{INJECTION_FILE.replace("'", "''")}'""").fetchall() == [
            (INJECTION_FILE, 2, "used")]
        reasons = {}
        for model in ("stg_sof__bevillinger", "stg_sof__foraeldremyndighed", "stg_cpr__personer"):
            reasons |= dict(con.execute(f"""
                select source_file, rejection_reason from staging.{model}
                where source_line = 2 and source_file like '%_b.csv'""").fetchall())
    assert reasons == {
        "sof_bevillinger_b.csv": "10 fields where the header has 8",
        "sof_foraeldremyndighed_b.csv": "malformed line (unbalanced quote)",
        "cpr_personer_b.csv": "4 fields where the header has 3",
    }


def test_the_accounting_test_fails_when_the_reader_drops_a_line(
        hostile: HostileBuild, tmp_path: Path) -> None:
    """8: a reader that drops `#` lines (as DuckDB's CSV reader did) is caught, because
    the accounting counts the lines from the bytes, not through the reader."""
    project = copy_project(tmp_path / "project")
    macro = project / "macros" / "raw" / "read_raw_extract.sql"
    text = macro.read_text(encoding="utf-8")
    assert text.count("where line != ''") == 1
    macro.write_text(text.replace("where line != ''", "where line != '' and line not like '#%'"),
                     encoding="utf-8")
    db = tmp_path / "lossy.duckdb"
    shutil.copy(hostile.db, db)
    run = make_dbt_runner(project, db, tmp_path)
    # the base model reads the files; --full-refresh, as its files are loaded already
    result = run("build", "--select", "rpt_raw_files", "base_bif__ydelsesforloeb",
                 "stg_bif__ydelsesforloeb", "rpt_row_accounting", "rpt_quarantine_reasons",
                 "--indirect-selection", "cautious", "--full-refresh", raw_dir=hostile.raw,
                 check=False, extra_env=KEY_ENV)
    assert result.returncode == 1
    assert re.search(r"FAIL 1 assert_every_raw_row_is_accounted_for", result.stdout)
    assert re.search(r"PASS rpt_row_accounting_statuses_add_up", result.stdout)


# --- files that must stop the build ----------------------------------------------------------

@dataclass(frozen=True)
class Refused:
    case_id: str
    extract: str  # the extract whose staging model must stop
    spoil: Callable[[Path], None]
    message: Callable[[Path], str]  # the exact error text, given the raw folder


def put(name: str, content: bytes) -> Callable[[Path], None]:
    def spoil(raw: Path) -> None:
        (raw / name).write_bytes(content)
    return spoil


def replace_files(extract: str, name: str, content: bytes) -> Callable[[Path], None]:
    def spoil(raw: Path) -> None:
        for path in raw.glob(f"{extract}*.csv"):
            path.unlink()
        (raw / name).write_bytes(content)
    return spoil


def link_outside(name: str) -> Callable[[Path], None]:
    def spoil(raw: Path) -> None:
        outside = raw.parent / "outside"
        outside.mkdir()
        (outside / "persons.csv").write_bytes(lines(PERSON_HEADER, "1902801230;;14-01-2022"))
        os.symlink(outside / "persons.csv", raw / name)
    return spoil


def file_error(name: str, extract: str, what: str) -> Callable[[Path], str]:
    return lambda raw: f"Raw file {raw}/{name} (extract '{extract}') {what}"


UNSAFE = ("has a name with a character that file readers take as a pattern or that cannot"
          " stand in SQL (* ? [ ] { } \\ ` or a control character): rename it")
BAD_UTF8 = lines(BIF_HEADER, spell("Z1", "2102801238", benefit="Kontanthjælp"),
                 spell("Z2", "2102801246"))[:-1] + b"\xe6\n"
REFUSED: list[Refused] = [
    # round 0
    Refused("9: a UTF-8 file with one invalid byte", "bif_ydelsesforloeb",
            put("bif_ydelsesforloeb_z.csv", BAD_UTF8),
            file_error("bif_ydelsesforloeb_z.csv", "bif_ydelsesforloeb",
                       "is neither valid UTF-8 nor clean Windows-1252: the first byte that is"
                       " not UTF-8 is on line 3")),
    Refused("9: a UTF-16 file", "sof_bevillinger",
            put("sof_bevillinger_b.csv", lines(
                SOF_HEADER, "S2;2102801254;SEL82B;;;01-03-2020;;15-01-2021"
            ).decode("utf-8").encode("utf-16")),
            file_error("sof_bevillinger_b.csv", "sof_bevillinger",
                       "is encoded as UTF-16 (byte-order mark): deliver UTF-8 or Windows-1252")),
    Refused("10: a column twice, in other case", "sof_foraeldremyndighed",
            put("sof_foraeldremyndighed_b.csv", lines(
                "barn_cpr;foraelder_cpr; BARN_CPR;startdato;slutdato;udtraeksdato",
                "2102151230;2102851233;2102151230;01-01-2015;;14-01-2022")),
            file_error("sof_foraeldremyndighed_b.csv", "sof_foraeldremyndighed",
                       "has the column barn_cpr twice in its header (names compared in lower"
                       " case)")),
    Refused("13: a symbolic link out of the raw folder", "cpr_personer",
            link_outside("cpr_personer_link.csv"),
            file_error("cpr_personer_link.csv", "cpr_personer",
                       "is a symbolic link to a file outside the raw folder: copy the file"
                       " into the folder instead")),
    # round 1
    Refused("2: a file named with `*`", "bif_ydelsesforloeb",
            put("bif_ydelsesforloeb_*.csv", lines(BIF_HEADER, spell("G1", "2202801237"))),
            file_error("bif_ydelsesforloeb_*.csv", "bif_ydelsesforloeb", UNSAFE)),
    Refused("16a: a required extract with a header and no data row", "sof_bevillinger",
            replace_files("sof_bevillinger", "sof_bevillinger_a.csv", lines(SOF_HEADER, "")),
            lambda raw: "Required extract 'sof_bevillinger' has no data row: its files"
                        " (sof_bevillinger_a.csv) hold a header and nothing else (raw folder"
                        f" '{raw}')"),
    Refused("9: NUL bytes without a byte-order mark (UTF-16)", "sof_foraeldremyndighed",
            put("sof_foraeldremyndighed_b.csv", lines(CUSTODY_HEADER).decode().encode(
                "utf-16-le")),
            file_error("sof_foraeldremyndighed_b.csv", "sof_foraeldremyndighed",
                       "holds NUL bytes (first on line 1): it looks like UTF-16 or a binary"
                       " file: deliver UTF-8 or Windows-1252")),
    Refused("10: two cpr columns", "cpr_personer",
            put("CPR_PERSONER.csv", lines("cpr;herkomst;cpr;udtraeksdato",
                                          "2202801245;;2202801245;14-01-2022")),
            file_error("CPR_PERSONER.csv", "cpr_personer",
                       "has the column cpr twice in its header (names compared in lower case)")),
    # round 2
    Refused("2: a file named with `?`", "bif_ydelsesforloeb",
            put("bif_ydelsesforloeb_2022011?.csv", lines(BIF_HEADER, spell("G2", "2302801236"))),
            file_error("bif_ydelsesforloeb_2022011?.csv", "bif_ydelsesforloeb", UNSAFE)),
    Refused("16a: a required extract of only a header and empty lines", "sof_foraeldremyndighed",
            replace_files("sof_foraeldremyndighed", "sof_foraeldremyndighed_a.csv",
                          lines(CUSTODY_HEADER, "", "", end="\r\n")),
            lambda raw: "Required extract 'sof_foraeldremyndighed' has no data row: its files"
                        " (sof_foraeldremyndighed_a.csv) hold a header and nothing else (raw"
                        f" folder '{raw}')"),
]


@pytest.fixture(scope="module")
def refused_runs(tmp_path_factory: pytest.TempPathFactory
                 ) -> dict[str, tuple[Path, Path, subprocess.CompletedProcess[str]]]:
    """Each case's work folder, raw folder and `dbt run` of the staging models; the n-th
    case of every extract shares run n."""
    rounds: dict[int, list[Refused]] = {}
    for index, case in enumerate(REFUSED):
        rounds.setdefault(sum(1 for c in REFUSED[:index] if c.extract == case.extract),
                          []).append(case)
    outcomes: dict[str, tuple[Path, Path, subprocess.CompletedProcess[str]]] = {}
    for number, cases in rounds.items():
        work = tmp_path_factory.mktemp(f"refused_{number}")
        raw = valid_delivery(tmp_path_factory.mktemp(f"refused_{number}_delivery") / "raw")
        for case in cases:
            case.spoil(raw)
        result = make_dbt_runner(PROJECT, work / "warehouse.duckdb", work)(
            "run", "--select", *(f"+{model}" for model in STAGING.values()), raw_dir=raw,
            check=False, extra_env=KEY_ENV)
        outcomes |= {case.case_id: (work, raw, result) for case in cases}
    return outcomes


@pytest.mark.parametrize("case", REFUSED, ids=[c.case_id for c in REFUSED])
def test_a_refused_file_stops_the_build_naming_it(
        refused_runs: dict[str, tuple[Path, Path, subprocess.CompletedProcess[str]]],
        case: Refused) -> None:
    work, raw, result = refused_runs[case.case_id]
    assert result.returncode != 0
    base = STAGING[case.extract].replace("stg_", "base_", 1)  # reads the files
    assert re.search(rf"ERROR creating sql incremental model staging\.{base}\b", result.stdout)
    assert case.message(raw) in result.stdout, result.stdout[-3000:]
    assert leaks(work, result.stdout, cpr_shapes(raw.parent) | {TEST_KEY}, raw.parent) == []


def test_a_raw_folder_named_as_a_pattern_is_refused(tmp_path: Path) -> None:
    """2: `raw[1]` beside `raw1`: refused, and nothing of `raw1` is read."""
    pattern = valid_delivery(tmp_path / "delivery" / "raw[1]")
    sibling = valid_delivery(tmp_path / "delivery" / "raw1")
    (sibling / "bif_ydelsesforloeb_b.csv").write_bytes(lines(BIF_HEADER, spell("N1", "2402801235")))
    result = make_dbt_runner(PROJECT, tmp_path / "warehouse.duckdb", tmp_path)(
        "run", "--select", "+stg_bif__ydelsesforloeb", "rpt_raw_files", raw_dir=pattern,
        check=False, extra_env=KEY_ENV)
    assert result.returncode != 0
    refusal = (f"Raw folder '{pattern}': The raw folder's path holds a character that file"
               " readers take as a pattern or that cannot stand in SQL")
    assert refusal in result.stdout, result.stdout[-3000:]
    assert re.search(r"ERROR creating sql incremental model staging\.base_bif__ydelsesforloeb\b",
                     result.stdout)
    assert re.search(r"ERROR creating sql table model quality\.rpt_raw_files\b", result.stdout)


# --- the same on Spark (marker spark, `make test-spark`) ------------------------------------

@pytest.mark.spark
def test_spark_reads_the_hostile_delivery_as_duckdb_does(
        hostile: HostileBuild, tmp_path: Path) -> None:
    """Physical line numbers, empty and whitespace-only lines, field counts, quotes, the
    5 MB field, names with `'`, upper-case names, Windows-1252 and the folder listing:
    the same rows on Spark as on DuckDB."""
    make_dbt_runner(PROJECT, tmp_path / "unused.duckdb", tmp_path, spark=True)(
        "build", "--select", "+path:models/staging", "rpt_raw_files", "--resource-type", "model",
        "--resource-type", "seed", raw_dir=hostile.raw, extra_env=KEY_ENV)
    warehouse = tmp_path / "spark" / "warehouse"
    tables = [("staging", model) for model in STAGING.values()] + [("quality", "rpt_raw_files")]
    with duckdb.connect(str(hostile.db), read_only=True) as con:
        for schema, model in tables:
            spark = f"read_parquet('{warehouse}/{schema}.db/{model}/*.parquet')"
            names = [name for name, *_ in con.execute(f"describe {schema}.{model}").fetchall()]
            selected = ", ".join(names)
            # Spark lists no hidden file and cannot tell a folder (macro spark__raw_listing)
            where = "where file_status != 'skipped'" if model == "rpt_raw_files" else ""
            for left, right in ((spark, f"{schema}.{model}"), (f"{schema}.{model}", spark)):
                extra = con.execute(f"select {selected} from {left} {where} except all "
                                    f"select {selected} from {right} {where}").fetchall()
                assert extra == [], f"{model}: rows of {left} not in {right}: {extra[:3]}"
