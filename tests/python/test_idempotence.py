"""Idempotence: building the same delivery again gives the same warehouse, row for row."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT, SmallBuild, make_dbt_runner

# Every schema the project writes; `marts` and `quality` are what analysts read.
SCHEMAS = ["reference", "staging", "intermediate", "marts", "quality"]


@dataclass
class Rebuild:
    first: Path  # the warehouse after one build
    second: Path  # a copy of it, built once more in place
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def rebuilt(built_small: SmallBuild, small_delivery: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Rebuild:
    """The small build, and a copy of its warehouse that the same delivery rebuilds."""
    work = tmp_path_factory.mktemp("idempotence")
    second = work / "warehouse.duckdb"
    shutil.copy(built_small.db, second)
    wal = built_small.db.with_name(built_small.db.name + ".wal")
    if wal.exists():
        shutil.copy(wal, second.with_name(second.name + ".wal"))
    # The same publish dir as the first build: the release row names its files.
    result = make_dbt_runner(PROJECT, second, work)(
        "build", "--resource-type", "seed", "--resource-type", "model",
        raw_dir=small_delivery,
        extra_env={"FAELLESBORGER_PUBLISH_DIR": str(built_small.work / "publish")})
    return Rebuild(built_small.db, second, result)


def tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> dict[str, list[str]]:
    """Table name -> its columns as 'name type', in order. Views (single-reader
    intermediate models) are left out: their rows are those of the tables they read,
    and their SQL names the warehouse file's own catalog, which is attached here under
    another name."""
    found: dict[str, list[str]] = {}
    for table, column, data_type in con.execute("""
            select columns.table_name, columns.column_name, columns.data_type
            from information_schema.columns as columns
            inner join information_schema.tables as tables
                on columns.table_catalog = tables.table_catalog
                    and columns.table_schema = tables.table_schema
                    and columns.table_name = tables.table_name
            where columns.table_catalog = ? and columns.table_schema = ?
                and tables.table_type = 'BASE TABLE'
            order by columns.table_name, columns.ordinal_position""",
            [catalog, schema]).fetchall():
        found.setdefault(table, []).append(f"{column} {data_type}")
    return found


def test_the_rebuild_replaced_every_model(rebuilt: Rebuild) -> None:
    assert "OK created sql table model marts.rpt_tabel3" in rebuilt.result.stdout
    assert "OK created sql table model quality.rpt_row_accounting" in rebuilt.result.stdout
    # a model incremental by citizen runs again too (and restates nobody: no new file)
    assert "OK created sql incremental model marts.fct_faellesborger" in rebuilt.result.stdout


@pytest.mark.parametrize("schema", SCHEMAS)
def test_a_rebuild_gives_identical_tables(rebuilt: Rebuild, schema: str) -> None:
    with duckdb.connect() as con:
        con.execute(f"attach '{rebuilt.first}' as first (read_only)")
        con.execute(f"attach '{rebuilt.second}' as second (read_only)")
        first, second = tables(con, "first", schema), tables(con, "second", schema)
        assert first, f"no tables in schema {schema}"
        assert first == second
        differing: dict[str, tuple[int, int, int]] = {}
        for table in first:
            count, = con.execute(f'select count(*) from first.{schema}."{table}"').fetchone()
            only_first, = con.execute(f"""
                select count(*) from (select * from first.{schema}."{table}"
                except all select * from second.{schema}."{table}")""").fetchone()
            only_second, = con.execute(f"""
                select count(*) from (select * from second.{schema}."{table}"
                except all select * from first.{schema}."{table}")""").fetchone()
            if only_first or only_second:
                differing[table] = (count, only_first, only_second)
    assert differing == {}, "table: (rows, rows only in the first, rows only in the second)"
