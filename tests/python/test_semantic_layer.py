"""The semantic layer (docs/semantic-layer.md): `mf query` of the headline metrics on a
built warehouse equals the marts, and MetricFlow leaves the warehouse untouched."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT, SmallBuild, copy_project

MF = PROJECT / ".venv" / "bin" / "mf"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def mf_project(built_small: SmallBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project whose target/ holds the build's semantic manifest: `mf`
    reads target/semantic_manifest.json under the folder it runs in."""
    project = copy_project(tmp_path_factory.mktemp("mf") / "project")
    (project / "target").mkdir()
    shutil.copy(built_small.work / "target" / "semantic_manifest.json",
                project / "target" / "semantic_manifest.json")
    return project


def mf_query(project: Path, db: Path, out: Path, metrics: str, group_by: str,
             where: str | None = None) -> list[dict[str, str]]:
    """`mf query` on the profile's read-only `semantic` target; the rows of its CSV."""
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "DBT_PROFILES_DIR": str(project / "profiles"), "FAELLESBORGER_DB": str(db),
           "FAELLESBORGER_DBT_TARGET": "semantic"}
    command = [str(MF), "query", "--metrics", metrics, "--group-by", group_by,
               "--csv", str(out)]
    if where is not None:
        command += ["--where", where]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0 and out.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_mf_query_of_the_headline_metrics_equals_the_marts(
        built_small: SmallBuild, mf_project: Path, tmp_path: Path) -> None:
    db = built_small.db
    before = digest(db)

    by_year = mf_query(mf_project, db, tmp_path / "years.csv",
                       "faellesborgere,bif_active_citizens", "metric_time__year")
    with duckdb.connect(str(db), read_only=True) as con:
        hovedtotal = {year: (faellesborgere, population) for year, faellesborgere, population
                      in con.execute(
                          "select year, faellesborgere_unique_citizens,"
                          " population_unique_citizens from marts.rpt_tabel3"
                          " where row_kind = 'total' and main_group_code is null").fetchall()}
    assert len(hovedtotal) >= 2
    assert {int(row["metric_time__year"][:4]): (int(row["faellesborgere"]),
                                                int(row["bif_active_citizens"]))
            for row in by_year} == hovedtotal

    year = 2020  # the report's year; the small delivery covers 2019-2021 like the shipped one
    assert year in hovedtotal
    by_main_group = mf_query(
        mf_project, db, tmp_path / "main_groups.csv", "faellesborgere",
        "faellesborger_year__main_group_code",
        where=f"{{{{ TimeDimension('metric_time', 'year') }}}} = '{year}-01-01'")
    with duckdb.connect(str(db), read_only=True) as con:
        main_groups = dict(con.execute(
            "select main_group_code, faellesborgere from marts.rpt_main_group_shares"
            " where year = ? and faellesborgere > 0", [year]).fetchall())
    assert main_groups
    assert {row["faellesborger_year__main_group_code"]: int(row["faellesborgere"])
            for row in by_main_group} == main_groups

    by_quarter = mf_query(mf_project, db, tmp_path / "quarters.csv",
                          "fuldtidspersoner_per_quarter", "metric_time__quarter")
    with duckdb.connect(str(db), read_only=True) as con:
        quarters = {str(start): value for start, value in con.execute(
            "select period_start, fuldtidspersoner from marts.rpt_target_group_statistics"
            " where period_type = 'quarter' and row_kind = 'total'").fetchall()}
    computed = {row["metric_time__quarter"][:10]: float(row["fuldtidspersoner_per_quarter"])
                for row in by_quarter}
    quarter = f"{year}-07-01"
    assert quarters[quarter] > 0
    assert computed[quarter] == pytest.approx(quarters[quarter], rel=1e-9)
    assert computed.keys() == quarters.keys()

    # MetricFlow attaches the warehouse read-only: not one byte of it changed.
    assert digest(db) == before
