"""The warehouse on Spark gives the same answers as on DuckDB.

`make test-spark` builds the shipped delivery on both engines (`dbt build`, then
`dbt build --target spark`) and runs these tests (marker `spark`; `make pytest` leaves them
out). Every public mart (the models of models/marts, except the operational
models/marts/quality and the Python model `rpt_publication_release`, which only runs on
DuckDB) is read from the Spark tables' parquet files with DuckDB and compared with the
DuckDB warehouse: the same column names and types, and the same rows, cell for cell and as
a multiset (EXCEPT ALL both ways), `person_key` included. Doubles are compared exactly: both
engines compute them in double precision by the same formulas.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import DEFAULT_DB, PROJECT

pytestmark = pytest.mark.spark

MARTS = PROJECT / "models" / "marts"
# A dbt-duckdb Python model: disabled on Spark (dbt_project.yml).
DUCKDB_ONLY = {"rpt_publication_release"}
SPARK_BUILD_DIR = Path(os.environ.get("SPARK_BUILD_DIR") or PROJECT / "build" / "spark")
WAREHOUSE_DB = Path(os.environ.get("FAELLESBORGER_DB") or DEFAULT_DB)


def public_marts() -> list[str]:
    """Every dim_/fct_/rpt_ model of models/marts outside models/marts/quality."""
    names = {path.stem for path in MARTS.rglob("*") if path.suffix in {".sql", ".py"}
             and "quality" not in path.relative_to(MARTS).parts
             and path.stem.startswith(("dim_", "fct_", "rpt_"))}
    return sorted(names - DUCKDB_ONLY)


def spark_table(schema: str, table: str) -> str:
    """DuckDB's reader of the parquet files of a Spark table."""
    folder = SPARK_BUILD_DIR / "warehouse" / f"{schema}.db" / table
    if not list(folder.glob("*.parquet")):
        pytest.fail(f"Spark table {schema}.{table} has no parquet files in {folder}: "
                    "run `make test-spark` (dbt build --target spark) first")
    return f"read_parquet('{folder}/*.parquet')"


def columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind, *_ in
            con.execute(f"describe select * from {relation}").fetchall()]


def differences(con: duckdb.DuckDBPyConnection, left: str, right: str,
                names: list[str]) -> tuple[int, list[tuple[object, ...]]]:
    """Rows of `left` not in `right` (as multisets): their number and a few of them."""
    selected = ", ".join(f'"{name}"' for name in names)
    query = f"select {selected} from {left} except all select {selected} from {right}"
    count = con.execute(f"select count(*) from ({query})").fetchone()
    return (count[0] if count else 0), con.execute(f"{query} limit 5").fetchall()


@pytest.fixture(scope="module")
def warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
    if not WAREHOUSE_DB.exists():
        pytest.fail(f"No DuckDB warehouse at {WAREHOUSE_DB}: run `make test-spark`")
    con = duckdb.connect(str(WAREHOUSE_DB), read_only=True)
    yield con
    con.close()


def test_the_public_marts_are_found() -> None:
    marts = public_marts()
    assert {"dim_lab_target_group", "fct_faellesborger", "rpt_tabel3",
            "rpt_publication_tabel3"} <= set(marts)
    assert not any(name.startswith("rpt_row_") for name in marts)


@pytest.mark.parametrize("mart", public_marts())
def test_spark_mart_equals_duckdb_mart(warehouse: duckdb.DuckDBPyConnection, mart: str) -> None:
    duck = f"marts.{mart}"
    spark = spark_table("marts", mart)
    duck_columns = columns(warehouse, duck)
    assert columns(warehouse, spark) == duck_columns, f"{mart}: column names or types differ"
    names = [name for name, _ in duck_columns]
    rows = warehouse.execute(f"select count(*) from {duck}").fetchone()
    assert rows and rows[0] > 0, f"{mart} is empty on DuckDB"
    only_spark, spark_examples = differences(warehouse, spark, duck, names)
    only_duck, duck_examples = differences(warehouse, duck, spark, names)
    assert (only_spark, only_duck) == (0, 0), (
        f"{mart}: {only_spark} rows only on Spark, e.g. {spark_examples}; "
        f"{only_duck} rows only on DuckDB, e.g. {duck_examples}")


def test_the_spark_tables_are_readable_by_their_owner_only() -> None:
    """The profile's Hadoop umask (077): every table file the Spark build wrote is private,
    whatever the umask of the process that started dbt (the Makefile sets none)."""
    files = [p for p in (SPARK_BUILD_DIR / "warehouse").rglob("*.parquet") if p.is_file()]
    assert files, f"no Spark table files under {SPARK_BUILD_DIR}: run `make test-spark`"
    assert [str(p) for p in files if p.stat().st_mode & 0o077] == []
