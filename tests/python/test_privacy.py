"""Privacy: pseudonymisation is keyed and stable, and no CPR number or birth date gets out.

The scan looks at every table and view of a built warehouse (all schemas) for every CPR
number of the delivery, in each shape it was delivered in and normalised, and at the files
the build writes (target/, logs/, publish/). It is shown to fail on a mart that selects
the raw CPR column on purpose.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT, SmallBuild, copy_project, make_dbt_runner
from test_warehouse import read_raw

from faellesborger.synthetic_marker import MARKER_NAME, is_synthetic_delivery

DEVELOPMENT_KEY = "faellesborger-development-key-not-for-real-data"
BIRTH_NAME = re.compile(r"birth|foedsel|fødsel|fodsel", re.IGNORECASE)
NUMBER_TOKEN = re.compile(r"[0-9][0-9 -]{7,}[0-9]")
MAX_BIRTH_DATE_SHARE = 0.05


def active_key() -> str:
    """The key dbt uses in this environment (macro `pseudonym_key`)."""
    return os.environ.get("FAELLESBORGER_PSEUDONYM_KEY") or DEVELOPMENT_KEY


def person_key(key: str, cpr: str) -> str:
    """The keyed hash of macro `keyed_hash`: SHA-256 of key, ':' and the 10-digit CPR, hex."""
    return hashlib.sha256(f"{key}:{cpr}".encode()).hexdigest()


def normalised(value: str) -> str:
    """Macro `normalised_cpr`: no dash or spaces; 9 digits padded to 10."""
    digits = re.sub(r"[\s-]", "", value.strip())
    return digits.zfill(10) if len(digits) == 9 else digits


def birth_date(cpr: str) -> datetime.date | None:
    """Macro `cpr_birth_date`: the birth date a 10-digit CPR number encodes, else None."""
    if not (len(cpr) == 10 and cpr.isdigit()):
        return None
    day, month, yy, seventh = int(cpr[:2]), int(cpr[2:4]), int(cpr[4:6]), int(cpr[6])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    try:
        return datetime.date(century + yy, month, day)
    except ValueError:
        return None


@dataclass
class DeliveredCpr:
    shapes: set[str]       # every value as delivered (trimmed), and its other shapes
    numbers: set[str]      # normalised 10-digit numbers
    birth_dates: pd.DataFrame  # person_key (active key), birth_date


def delivered_cpr(delivery: Path) -> DeliveredCpr:
    raw_values: set[str] = set()
    for path in delivery.glob("*.csv"):
        frame = read_raw(path)
        for column in frame.columns:
            if "cpr" in column.lower():
                raw_values |= {v.strip() for v in frame[column] if v.strip()}
    numbers = {n for n in map(normalised, raw_values) if len(n) == 10 and n.isdigit()}
    shapes = set(raw_values) | numbers
    shapes |= {f"{n[:6]}-{n[6:]}" for n in numbers}
    shapes |= {n[1:] for n in numbers if n.startswith("0")}
    key = active_key()
    births = [(person_key(key, n), birth_date(n)) for n in numbers if birth_date(n)]
    return DeliveredCpr(shapes, numbers,
                        pd.DataFrame(births, columns=["person_key", "birth_date"]))


@pytest.fixture(scope="module")
def delivered(small_delivery: Path) -> DeliveredCpr:
    cpr = delivered_cpr(small_delivery)
    assert len(cpr.numbers) > 1000
    return cpr


def quoted(*names: str) -> str:
    return ".".join('"' + n.replace('"', '""') + '"' for n in names)


def scan_warehouse(db: Path, cpr: DeliveredCpr) -> tuple[list[str], int]:
    """Findings (CPR numbers, birth dates) in every table and view of ``db``, and how many
    relations were scanned."""
    findings: list[str] = []
    with duckdb.connect(str(db), read_only=True) as con:
        con.register("scan_cpr_numbers", pd.DataFrame({"cpr": sorted(cpr.numbers)}))
        con.register("scan_cpr_shapes", pd.DataFrame({"shape": sorted(cpr.shapes)}))
        con.register("scan_birth_dates", cpr.birth_dates)
        columns = con.execute("""
            select c.table_schema, c.table_name, c.column_name, c.data_type
            from information_schema.columns as c
            where c.table_catalog = current_database()
              and c.table_name not like 'scan\\_%' escape '\\'
            order by all
        """).fetchall()
        relations: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for schema, table, column, data_type in columns:
            relations.setdefault((schema, table), []).append((column, data_type))
        for (schema, table), cols in relations.items():
            name = quoted(schema, table)
            for column, data_type in cols:
                if data_type != "VARCHAR":
                    continue
                col = quoted(column)
                hits = con.execute(f"""
                    with v as (select distinct {col} as value from {name}
                               where {col} is not null),
                    tokens as (
                        select value, replace(replace(unnest(regexp_extract_all(
                            value, '[0-9][0-9 -]{{7,}}[0-9]')), '-', ''), ' ', '') as token
                        from v
                    )
                    select value from tokens
                    inner join scan_cpr_numbers as c
                        on length(tokens.token) in (9, 10)
                            and lpad(tokens.token, 10, '0') = c.cpr
                    union
                    select value from v
                    inner join scan_cpr_shapes as s on trim(v.value) = s.shape
                    limit 3
                """).fetchall()
                if hits:
                    findings.append(f"CPR numbers in {schema}.{table}.{column}")
            dates = [c for c, t in cols if t == "DATE" or t.startswith("TIMESTAMP")]
            findings += [f"birth-date-like column {schema}.{table}.{c}"
                         for c in dates if BIRTH_NAME.search(c)]
            for key_column in (c for c, _ in cols if c.endswith("person_key")):
                for column in dates:
                    rows, equal = con.execute(f"""
                        select count(*), count(*) filter (
                            where cast(t.{quoted(column)} as date) = b.birth_date)
                        from {name} as t
                        inner join scan_birth_dates as b
                            on t.{quoted(key_column)} = b.person_key
                    """).fetchone()
                    if rows and equal > MAX_BIRTH_DATE_SHARE * rows:
                        findings.append(
                            f"{schema}.{table}.{column} is the birth date of "
                            f"{key_column} on {equal} of {rows} rows")
    return findings, len(relations)


def scan_files(folder: Path, cpr: DeliveredCpr) -> list[str]:
    """Files under ``folder`` (logs, run results, compiled SQL, ...) holding a CPR number."""
    findings = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix in {".duckdb", ".parquet", ".wal"}:
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        tokens = {re.sub(r"[\s-]", "", t) for t in NUMBER_TOKEN.findall(text)}
        if any(t.zfill(10) in cpr.numbers for t in tokens if len(t) in (9, 10)):
            findings.append(f"CPR number in {path}")
    return findings


def test_no_cpr_number_or_birth_date_in_any_table_or_view(
        built_small: SmallBuild, delivered: DeliveredCpr) -> None:
    findings, scanned = scan_warehouse(built_small.db, delivered)
    assert scanned > 30
    assert findings == []


def test_no_cpr_number_in_the_files_the_build_writes(
        built_small: SmallBuild, delivered: DeliveredCpr) -> None:
    written = [built_small.work / name for name in ("target", "logs", "publish")]
    assert (built_small.work / "logs" / "dbt.log").exists()
    assert (built_small.work / "target" / "run_results.json").exists()
    assert any((built_small.work / "target" / "compiled").rglob("*.sql"))
    assert [f for folder in written if folder.exists()
            for f in scan_files(folder, delivered)] == []


def test_the_scan_fails_when_a_mart_selects_the_cpr_column(
        tmp_path: Path, small_delivery: Path, delivered: DeliveredCpr) -> None:
    project = copy_project(tmp_path / "project")
    (project / "models" / "marts" / "rpt_leak.sql").write_text(
        "select\n"
        "    r.cpr,\n"
        "    {{ keyed_hash(normalised_cpr('r.cpr')) }} as person_key,\n"
        "    {{ cpr_birth_date(normalised_cpr('r.cpr')) }} as some_date\n"
        "from {{ raw_source('cpr_personer') }} as r\n", encoding="utf-8")
    db = tmp_path / "leak.duckdb"
    run = make_dbt_runner(project, db, tmp_path)
    run("run", "--select", "rpt_leak", raw_dir=small_delivery)
    findings, _ = scan_warehouse(db, delivered)
    assert "CPR numbers in marts.rpt_leak.cpr" in findings
    assert any(f.startswith("marts.rpt_leak.some_date is the birth date") for f in findings)


# --- pseudonymisation -------------------------------------------------------------------

@dataclass
class KeyedBuild:
    stdout: str
    keys: set[str]
    work: Path  # the warehouse file, target/ and logs/ of the build


KEY_A = "key-a-7f3c9e1d-0c55e2a4b7d94f1e8a3c6b20"
KEY_B = "key-b-51d2aa08-9e7f13c5a2b64d08b1f7e3a9"


@pytest.fixture(scope="module")
def keyed_builds(tmp_path_factory: pytest.TempPathFactory,
                 small_delivery: Path) -> dict[str, KeyedBuild]:
    """`stg_cpr__personer` (with its base model) built four times: twice with key A, once
    with key B, once without a key (the development key)."""
    builds = {}
    for label, key in (("a1", KEY_A), ("a2", KEY_A), ("b", KEY_B), ("none", "")):
        work = tmp_path_factory.mktemp(f"key_{label}")
        run = make_dbt_runner(PROJECT, work / "warehouse.duckdb", work)
        result = run("run", "--select", "+stg_cpr__personer", raw_dir=small_delivery,
                     extra_env={"FAELLESBORGER_PSEUDONYM_KEY": key,
                                "FAELLESBORGER_ALLOW_DEVELOPMENT_KEY": ""})
        with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
            keys = {k for (k,) in con.execute(
                "select person_key from staging.stg_cpr__personer where person_key is not null"
            ).fetchall()}
        builds[label] = KeyedBuild(result.stdout, keys, work)
    return builds


def expected_keys(delivery: Path, key: str) -> set[str]:
    frame = next(read_raw(p) for p in delivery.glob("cpr_personer*.csv"))
    numbers = {normalised(v) for v in frame["cpr"]}
    return {person_key(key, n) for n in numbers if birth_date(n)}


def test_the_same_key_gives_the_same_person_keys(keyed_builds: dict[str, KeyedBuild]) -> None:
    assert len(keyed_builds["a1"].keys) > 500
    assert keyed_builds["a1"].keys == keyed_builds["a2"].keys


def test_another_key_gives_other_person_keys(keyed_builds: dict[str, KeyedBuild]) -> None:
    assert len(keyed_builds["b"].keys) == len(keyed_builds["a1"].keys)
    assert keyed_builds["b"].keys.isdisjoint(keyed_builds["a1"].keys)
    assert keyed_builds["none"].keys.isdisjoint(keyed_builds["a1"].keys)


def test_person_key_is_sha256_of_key_colon_cpr(keyed_builds: dict[str, KeyedBuild],
                                               small_delivery: Path) -> None:
    assert keyed_builds["a1"].keys == expected_keys(small_delivery, KEY_A)
    assert keyed_builds["b"].keys == expected_keys(small_delivery, KEY_B)
    assert keyed_builds["none"].keys == expected_keys(small_delivery, DEVELOPMENT_KEY)


def test_without_a_key_the_build_announces_the_development_key(
        keyed_builds: dict[str, KeyedBuild]) -> None:
    assert ("DEVELOPMENT key on the shipped synthetic delivery"
            in keyed_builds["none"].stdout)
    assert "FAELLESBORGER_PSEUDONYM_KEY is not set" in keyed_builds["none"].stdout
    assert "DEVELOPMENT key" not in keyed_builds["a1"].stdout
    assert KEY_A not in keyed_builds["a1"].stdout


def test_the_key_is_written_nowhere(keyed_builds: dict[str, KeyedBuild]) -> None:
    """The key reaches DuckDB as a session variable (faellesborger.dbt_plugin): it is in
    no compiled SQL, log, artefact or the warehouse file."""
    files = [p for p in keyed_builds["a1"].work.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sql" for p in files)
    assert [p for p in files if KEY_A.encode() in p.read_bytes()] == []


# --- the warehouse file -----------------------------------------------------------------

def test_a_short_key_stops_the_run_before_anything_is_hashed(
        tmp_path: Path, small_delivery: Path) -> None:
    short_key = "k3y-of-thirty-one-characters-xx"
    assert len(short_key) == 31
    run = make_dbt_runner(PROJECT, tmp_path / "warehouse.duckdb", tmp_path)
    result = run("run", "--select", "+stg_cpr__personer", raw_dir=small_delivery, check=False,
                 extra_env={"FAELLESBORGER_PSEUDONYM_KEY": short_key})
    assert result.returncode != 0
    assert "FAELLESBORGER_PSEUDONYM_KEY is too short (31 characters" in result.stdout
    assert short_key not in result.stdout
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from information_schema.tables "
                           "where table_schema = 'staging'").fetchone() == (0,)


@pytest.fixture(scope="module")
def foreign_delivery(tmp_path_factory: pytest.TempPathFactory, small_delivery: Path) -> Path:
    """The small synthetic delivery with one file changed: no longer the shipped one."""
    raw = tmp_path_factory.mktemp("foreign") / "raw"
    shutil.copytree(small_delivery, raw)
    person_file = next(raw.glob("cpr_personer*.csv"))
    person_file.write_bytes(person_file.read_bytes() + b"0101901234;Dansk oprindelse;14-01-2022\n")
    return raw


@pytest.mark.parametrize(("allow", "outcome"), [("", "refused"), ("yes", "allowed")])
def test_the_development_key_is_for_the_shipped_synthetic_delivery_only(
        tmp_path: Path, foreign_delivery: Path, allow: str, outcome: str) -> None:
    run = make_dbt_runner(PROJECT, tmp_path / "warehouse.duckdb", tmp_path)
    result = run("run", "--select", "+stg_cpr__personer", raw_dir=foreign_delivery,
                 check=False, extra_env={"FAELLESBORGER_PSEUDONYM_KEY": "",
                                         "FAELLESBORGER_ALLOW_DEVELOPMENT_KEY": allow})
    if outcome == "refused":
        assert result.returncode != 0
        assert "is not the shipped synthetic delivery" in result.stdout
        assert "FAELLESBORGER_ALLOW_DEVELOPMENT_KEY=yes" in result.stdout
    else:
        assert result.returncode == 0, result.stdout[-3000:]
        assert "DEVELOPMENT key (allowed by FAELLESBORGER_ALLOW_DEVELOPMENT_KEY)" in result.stdout


def test_the_synthetic_marker_lists_every_csv_file_unchanged(
        tmp_path: Path, small_delivery: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(small_delivery, raw)
    assert is_synthetic_delivery(raw)
    (raw / "BIF_YDELSESFORLOEB_EXTRA.CSV").write_text("forloeb_id;cpr\n", encoding="utf-8")
    assert not is_synthetic_delivery(raw)  # a file the generator did not write
    (raw / "BIF_YDELSESFORLOEB_EXTRA.CSV").unlink()
    assert is_synthetic_delivery(raw)
    first = sorted(raw.glob("*.csv"))[0]
    first.write_bytes(first.read_bytes().replace(b"1", b"2", 1))
    assert not is_synthetic_delivery(raw)  # a file changed after it was generated
    (raw / MARKER_NAME).unlink()
    assert not is_synthetic_delivery(raw)


def test_a_plain_dbt_run_keeps_its_outputs_private_whatever_the_umask(
        tmp_path: Path, small_delivery: Path) -> None:
    """Outside make, under umask 022, with outputs of an earlier run left at 0644: the
    plugin makes the warehouse, dbt.log and dbt's artefacts readable by their owner only."""
    db = tmp_path / "warehouse.duckdb"
    run = make_dbt_runner(PROJECT, db, tmp_path)
    old = os.umask(0o022)
    try:
        run("run", "--select", "+stg_cpr__personer", raw_dir=small_delivery)
        outputs = [db, tmp_path / "logs" / "dbt.log", tmp_path / "target" / "run_results.json",
                   tmp_path / "target" / "manifest.json"]
        for path in outputs:
            path.chmod(0o644)
        run("run", "--select", "+stg_cpr__personer", raw_dir=small_delivery)
    finally:
        os.umask(old)
    assert {str(p): oct(p.stat().st_mode & 0o777) for p in outputs} == {
        str(p): oct(0o600) for p in outputs}
    compiled = [p for p in (tmp_path / "target").rglob("*") if "compiled" in p.parts
                or "run" in p.parts]
    assert compiled
    assert [p for p in compiled if p.stat().st_mode & 0o077] == []


def test_the_warehouse_file_is_readable_by_its_owner_only(
        tmp_path: Path, small_delivery: Path) -> None:
    db = tmp_path / "owner_only.duckdb"
    # A fresh make: no variables inherited from an outer `make test` (MAKEFLAGS).
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    arguments = [f"FAELLESBORGER_DB={db}", f"RAW_DIR={small_delivery}",
                 f"DBT_ARGS=--select +stg_cpr__personer --target-path {tmp_path / 'target'}"
                 f" --log-path {tmp_path / 'logs'}"]
    for _ in range(2):
        result = subprocess.run(["make", "-C", str(PROJECT), "--no-print-directory",
                                 "dbt-test", *arguments], env=env, capture_output=True,
                                text=True, check=False)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
        assert db.stat().st_mode & 0o777 == 0o600
        db.chmod(0o644)  # an existing, too open file is closed again by the next build
