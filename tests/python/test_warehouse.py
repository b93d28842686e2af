"""The warehouse on another delivery: builds apart, accounts for every row (CPR: test_privacy)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import duckdb
import pandas as pd
from conftest import DEFAULT_DB, PROJECT, SmallBuild, copy_project, make_dbt_runner


def raw_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def read_raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(raw_text(path)), sep=";", dtype=str, keep_default_na=False)


def raw_rows(delivery: Path) -> dict[str, int]:
    """Data rows per raw file, counted by a CSV reader independent of the warehouse."""
    return {path.name: sum(1 for _ in csv.reader(raw_text(path).splitlines(), delimiter=";")) - 1
            for path in delivery.glob("*.csv")}


def test_another_delivery_builds_without_touching_the_default_warehouse(
        built_small: SmallBuild) -> None:
    after = DEFAULT_DB.stat().st_mtime if DEFAULT_DB.exists() else None
    assert after == built_small.default_db_before
    with duckdb.connect(str(built_small.db), read_only=True) as con:
        years = [y for (y,) in con.execute(
            "select distinct year from marts.rpt_tabel3 order by 1").fetchall()]
        rows = con.execute("select count(*) from marts.rpt_tabel3").fetchone()
    assert years == [2019, 2020, 2021]
    assert rows == (12 * 3,)


def test_every_raw_row_is_used_merged_or_quarantined(built_small: SmallBuild,
                                                     small_delivery: Path) -> None:
    expected = raw_rows(small_delivery)
    with duckdb.connect(str(built_small.db), read_only=True) as con:
        found = dict(con.execute("""
            select source_file, count(*) from (
                select source_file, row_status from staging.stg_bif__ydelsesforloeb
                union all select source_file, row_status from staging.stg_sof__bevillinger
                union all select source_file, row_status from staging.stg_sof__foraeldremyndighed
                union all select source_file, row_status from staging.stg_cpr__personer
            ) where row_status in ('used', 'merged', 'quarantined')
            group by source_file
        """).fetchall())
    assert found == expected


def test_unusable_rows_are_quarantined_with_a_reason(built_small: SmallBuild) -> None:
    with duckdb.connect(str(built_small.db), read_only=True) as con:
        reasons = {r for (r,) in con.execute("""
            select distinct rejection_reason from staging.stg_bif__ydelsesforloeb
            union select distinct rejection_reason from staging.stg_sof__bevillinger
        """).fetchall()}
    assert {"impossible cpr", "unknown maalgruppe", "unknown indsats_kode",
            "slutdato before startdato", "unparsable startdato"} <= reasons
    assert any(r and r.startswith("missing ") for r in reasons)


def test_moving_an_intervention_in_the_seed_changes_the_marts(
        tmp_path: Path, small_delivery: Path) -> None:
    project = copy_project(tmp_path / "project")
    run = make_dbt_runner(project, tmp_path / "seed.duckdb", tmp_path)
    selection = ["--select", "+fct_faellesborger_lab_group", "--indirect-selection", "cautious"]
    run("build", *selection, raw_dir=small_delivery)
    query = """
        select person_key, support_step, deciding_intervention_code
        from marts.fct_faellesborger where year = 2020
    """
    with duckdb.connect(str(tmp_path / "seed.duckdb"), read_only=True) as con:
        before = con.execute(query).df().set_index("person_key")
    seed = project / "seeds" / "sof_interventions.csv"
    seed.write_text(seed.read_text(encoding="utf-8").replace(
        "HERBERG,Herberg,SEL § 110,3,", "HERBERG,Herberg,SEL § 110,4,"), encoding="utf-8")
    run("build", *selection, raw_dir=small_delivery)
    with duckdb.connect(str(tmp_path / "seed.duckdb"), read_only=True) as con:
        after = con.execute(query).df().set_index("person_key")
    herberg = before.index[before["deciding_intervention_code"] == "HERBERG"]
    assert len(herberg) > 0
    assert (after.loc[herberg, "support_step"] == 4).all()
    assert (before.loc[herberg, "support_step"] == 3).all()
    assert (after["support_step"] == 4).sum() > (before["support_step"] == 4).sum()


def test_a_missing_required_extract_stops_the_build_naming_it(
        tmp_path: Path, small_delivery: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(small_delivery, raw)
    for path in raw.glob("sof_foraeldremyndighed*.csv"):
        path.unlink()
    run = make_dbt_runner(PROJECT, tmp_path / "warehouse.duckdb", tmp_path)
    result = run("run", "--select", "+stg_sof__foraeldremyndighed", raw_dir=raw, check=False)
    assert result.returncode != 0
    assert "Required extract 'sof_foraeldremyndighed' has no file" in result.stdout
    assert str(raw) in result.stdout


def test_a_comma_separated_file_stops_the_build_naming_it(
        tmp_path: Path, small_delivery: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(small_delivery, raw)
    path = next(raw.glob("cpr_personer*.csv"))
    path.write_text(path.read_text(encoding="utf-8").replace(";", ","), encoding="utf-8")
    run = make_dbt_runner(PROJECT, tmp_path / "warehouse.duckdb", tmp_path)
    result = run("run", "--select", "+stg_cpr__personer", raw_dir=raw, check=False)
    assert result.returncode != 0
    assert path.name in result.stdout
    assert "does not seem to be ';'-separated" in result.stdout
