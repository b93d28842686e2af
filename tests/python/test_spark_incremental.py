"""Incremental staging on Spark (docs/incremental.md; marker `spark`, `make test-spark`).

The staging layer (the base and stg models, and the two seeds staging reads) of one Spark
warehouse goes through three builds of the small synthetic delivery: every file from
nothing (the reference); the later monthly files removed (a rebuild of their extracts:
the pre-hook's `truncate table`); the later files delivered again (loaded alone:
`append`). The last build's staging tables, read from their parquet files with DuckDB,
must equal the first's row for row (EXCEPT ALL both ways): a rebuild that left a removed
file's rows, or a load that read an old file twice, shows as a difference.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT, SPARK_DBT, make_dbt_runner

pytestmark = pytest.mark.spark

LATER_FILES = ["bif_ydelsesforloeb_20220114.csv", "sof_bevillinger_20220114.csv"]
STAGING = ["base_bif__ydelsesforloeb", "base_sof__bevillinger", "base_sof__foraeldremyndighed",
           "base_cpr__personer", "stg_bif__ydelsesforloeb", "stg_sof__bevillinger",
           "stg_sof__foraeldremyndighed", "stg_cpr__personer"]
SELECTION = ["--select", "path:models/staging", "lab_target_groups", "sof_interventions"]


@dataclass
class SparkLife:
    steps: dict[str, Path] = field(default_factory=dict)  # copies of the staging tables
    logs: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def spark_life(small_delivery: Path, tmp_path_factory: pytest.TempPathFactory) -> SparkLife:
    if not SPARK_DBT.exists():
        pytest.fail("no .venv-spark: run `make venv-spark` (`make test-spark` does)")
    work = tmp_path_factory.mktemp("spark_incremental")
    raw, later = work / "raw", work / "later"
    shutil.copytree(small_delivery, raw)
    later.mkdir()
    run = make_dbt_runner(PROJECT, work / "unused.duckdb", work, spark=True)
    life = SparkLife()

    def build(step: str) -> None:
        life.logs[step] = run("build", "--resource-type", "seed", "--resource-type", "model",
                              *SELECTION, raw_dir=raw).stdout
        life.steps[step] = shutil.copytree(work / "spark" / "warehouse" / "staging.db",
                                           work / f"{step}.db")

    build("full")
    for name in LATER_FILES:
        shutil.move(raw / name, later / name)
    build("removed")
    for name in LATER_FILES:
        shutil.move(later / name, raw / name)
    build("again")
    return life


def differences(first: Path, second: Path) -> dict[str, tuple[int, int, int]]:
    found: dict[str, tuple[int, int, int]] = {}
    with duckdb.connect() as con:
        for table in STAGING:
            left = f"read_parquet('{first}/{table}/*.parquet')"
            right = f"read_parquet('{second}/{table}/*.parquet')"
            count, = con.execute(f"select count(*) from {left}").fetchone()
            only_left, = con.execute(
                f"select count(*) from (select * from {left} except all select * from {right})"
            ).fetchone()
            only_right, = con.execute(
                f"select count(*) from (select * from {right} except all select * from {left})"
            ).fetchone()
            if only_left or only_right or count == 0:
                found[table] = (count, only_left, only_right)
    return found


def test_spark_rebuilds_an_extract_whose_files_were_removed(spark_life: SparkLife) -> None:
    log = spark_life.logs["removed"]
    assert ("Raw extract 'sof_bevillinger': rebuilding base_sof__bevillinger from all 1"
            " file(s), because sof_bevillinger_20220114.csv was loaded and is no longer in"
            " the raw folder") in log
    assert "Raw extract 'cpr_personer': no new file for base_cpr__personer" in log
    assert differences(spark_life.steps["full"], spark_life.steps["removed"]) != {}


def test_spark_loads_only_the_new_month_and_equals_the_full_build(
        spark_life: SparkLife) -> None:
    log = spark_life.logs["again"]
    assert ("Raw extract 'bif_ydelsesforloeb': loading 1 new file(s) into"
            " base_bif__ydelsesforloeb: bif_ydelsesforloeb_20220114.csv") in log
    assert "rebuilding" not in log
    assert differences(spark_life.steps["full"], spark_life.steps["again"]) == {}
