"""The publication for BI tools: disclosure-controlled aggregates only, written as a new
release folder (a DuckDB file and Parquet files) that `current` points to, which a reader
may hold open during a build. (Faults, held-back releases and BI settings:
test_hostile_release.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import SmallBuild

# Each publication table and the aggregate mart it discloses (same grain, same rows).
TABLES = {"rpt_publication_tabel3": "rpt_tabel3", "rpt_publication_tabel4": "rpt_tabel4",
          "rpt_publication_support_steps": "rpt_support_steps",
          "rpt_publication_hoi_target_group": "rpt_hoi_target_group",
          "rpt_publication_target_group_statistics": "rpt_target_group_statistics",
          "rpt_publication_target_group_characteristics": "rpt_target_group_characteristics",
          "rpt_publication_benefit_duration": "rpt_benefit_duration",
          "rpt_publication_sof_interventions_by_lab_group": "rpt_sof_interventions_by_lab_group",
          "rpt_publication_hoi_people": "rpt_hoi_people",
          "rpt_publication_hoi_followup": "rpt_hoi_followup",
          "rpt_publication_year_transitions": "rpt_year_transitions"}
# Integer columns that are not counts of people.
NOT_COUNTS = {"year", "month_of_year", "support_step", "share_pct", "share_kanten_pct",
              "share_fuldtidspersoner_pct", "share_persons_pct", "months_after",
              "from_year", "to_year", "from_support_step", "to_support_step"}


def complete_rows(con: duckdb.DuckDBPyConnection, mart: str) -> int:
    """The mart's rows of complete periods: the publication leaves the others out
    (var `publish_incomplete_periods`, docs/publication.md)."""
    (flag,) = con.execute(
        "select column_name from information_schema.columns where table_schema = 'marts' "
        "and table_name = ? and column_name like 'is_complete%'", [mart]).fetchone()
    return con.execute(f"select count(*) from marts.{mart} where {flag}").fetchone()[0]
PERSONAL = ("person_key", "cpr", "birth", "foedsel", "sex", "age_anchor")


def publication(build: SmallBuild) -> Path:
    """The current release's DuckDB file, as BI tools open it (through `current`)."""
    return build.work / "publish" / "current" / "faellesborger_publication.duckdb"


def release_id(database: Path) -> str:
    """The release in ``database``, read by a new process (a new connection to the path)."""
    code = ("import duckdb, sys\n"
            "con = duckdb.connect(sys.argv[1], read_only=True)\n"
            "print(con.execute('select released_at from release').fetchone()[0])\n")
    result = subprocess.run([sys.executable, "-c", code, str(database)], capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def test_the_build_writes_the_publication_where_told(built_small: SmallBuild) -> None:
    with duckdb.connect(str(built_small.db), read_only=True) as con:
        database, parquet_dir = con.execute(
            "select database_path, parquet_dir from marts.rpt_publication_release").fetchone()
    assert Path(database) == publication(built_small).resolve()
    assert Path(database).parent.parent == built_small.work / "publish" / "releases"
    assert Path(database).stat().st_mode & 0o777 == 0o644
    for name in TABLES:
        assert (Path(parquet_dir) / f"{name}.parquet").stat().st_mode & 0o777 == 0o644
    assert not list(Path(parquet_dir).glob(".*")), "temporary files left behind"
    assert not [p for p in (built_small.work / "publish").rglob(".*")], \
        "temporary files left behind"


def test_the_publication_holds_only_disclosure_controlled_aggregates(
        built_small: SmallBuild) -> None:
    with duckdb.connect(str(built_small.db), read_only=True) as con:
        mart_rows = {table: complete_rows(con, mart) for table, mart in TABLES.items()}
    parquet = publication(built_small).parent / "parquet"
    assert parquet.resolve().parent == publication(built_small).resolve().parent
    with duckdb.connect(str(publication(built_small)), read_only=True) as con:
        tables = {t for (t,) in con.execute("show tables").fetchall()}
        assert tables == {*TABLES, "release"}
        assert con.execute("select count(*) from release").fetchone() == (1,)
        for table in TABLES:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_name = ?", [table]).fetchall()
            names = [c for c, _ in columns]
            assert not [c for c in names if any(p in c.lower() for p in PERSONAL)], table
            # One row per cell of the aggregate mart, none per person.
            rows = con.execute(f"select count(*) from {table}").fetchone()[0]
            assert rows == mart_rows[table] > 0, table
            hex_keys = [c for c, t in columns if t == "VARCHAR" and con.execute(
                f"select count(*) from {table} where regexp_matches({c}, '^[0-9a-f]{{64}}$')"
            ).fetchone()[0]]
            assert hex_keys == [], f"{table} holds pseudonymous keys"
            counts = [c for c, t in columns if t == "INTEGER" and c not in NOT_COUNTS
                      and not c.endswith("sort_order")]
            assert counts, table
            for column in counts:
                small = con.execute(
                    f"select count(*) from {table} where {column} between 1 and 4").fetchone()
                assert small == (0,), f"{table}.{column} shows a count from 1 to 4"
            for column in (c for c in names if c.endswith("_text")):
                shown = [v for (v,) in con.execute(
                    f"select distinct {column} from {table}").fetchall()]
                assert all(v == "-" or int(v.replace(".", "")) >= 5 or v == "0"
                           for v in shown), f"{table}.{column}"
            same = con.execute(
                f"select count(*) from (select * from {table} except all "
                f"select * from read_parquet(?))", [str(parquet / f"{table}.parquet")]
            ).fetchone()
            assert same == (0,), f"{table}: the Parquet file differs"


@pytest.mark.skipif(os.name != "posix", reason="os.replace keeps readers on POSIX only")
def test_a_reader_holding_the_publication_does_not_break_the_next_build(
        built_small: SmallBuild, small_delivery: Path) -> None:
    database = publication(built_small)
    before = release_id(database)
    link = os.readlink(database.parent)
    reader = duckdb.connect(str(database), read_only=True)
    try:
        old_rows = reader.execute("select count(*) from rpt_publication_tabel3").fetchone()
        # Every model (no tests): the build completes, so later readers accept it.
        built_small.run("run", raw_dir=small_delivery)
        # The reader still reads the release it opened.
        assert reader.execute("select count(*) from rpt_publication_tabel3").fetchone() \
            == old_rows
        assert str(reader.execute("select released_at from release").fetchone()[0]) == before
    finally:
        reader.close()
    # The same delivery gives the same rows: the current release stays (a changed
    # delivery's new release, read by a new connection: test_hostile_release.py).
    assert release_id(database) == before
    assert os.readlink(database.parent) == link
    assert len(list((built_small.work / "publish" / "releases").iterdir())) == 1
