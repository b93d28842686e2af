"""Where the warehouse's time goes: CPU seconds per model, free of the machine's noise.

Runs every compiled SQL model of a dbt target folder (``dbt compile --full-refresh``
first, so that the incremental models compile to their whole select) in
dependency order on a copy of a built warehouse, on one DuckDB thread, and reports the
CPU time of each (``getrusage``; CPU time hardly changes when other work shares the
machine, wall time does). With ``--explain MODEL`` it prints DuckDB's operator timings
for one model (the JSON profile of ``EXPLAIN ANALYZE``).

    dbt compile --full-refresh --target-path build/bench/scale-10/target
    PYTHONPATH=bench python -m faellesborger_bench.profile --target build/bench/scale-10/target \\
        --db build/bench/scale-10/warehouse.duckdb [--explain stg_bif__ydelsesforloeb]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from faellesborger import dbt_plugin


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def sql_models_in_order(target: Path) -> list[dict[str, Any]]:
    """The SQL models of the manifest, each after the models it reads."""
    manifest = json.loads((target / "manifest.json").read_text())
    nodes = {key: node for key, node in manifest["nodes"].items()
             if node["resource_type"] == "model" and node["language"] == "sql"}
    ordered: list[dict[str, Any]] = []
    seen: set[str] = set()

    def visit(key: str) -> None:
        if key in seen or key not in nodes:
            return
        seen.add(key)
        for parent in nodes[key]["depends_on"]["nodes"]:
            visit(parent)
        ordered.append(nodes[key])

    for key in sorted(nodes):
        visit(key)
    return ordered


def _connect(copy: Path, catalog: str) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(f"attach '{copy}' as \"{catalog}\"")
    # the key and the raw intake's functions, as dbt's connections have them
    dbt_plugin.configure_connection(connection)
    connection.execute("set threads = 1")
    connection.execute("set preserve_insertion_order = false")
    connection.execute("set disabled_compression_methods = 'fsst'")
    return connection


def profile_models(target: Path, database: Path, explain: str | None = None) -> None:
    """Print CPU seconds per model (or the operator timings of the model ``explain``)."""
    models = sql_models_in_order(target)
    with tempfile.TemporaryDirectory(prefix="profile_") as scratch:
        copy = Path(scratch) / database.name
        shutil.copy(database, copy)
        connection = _connect(copy, database.stem)
        timings: list[tuple[float, str]] = []
        for node in models:
            sql = (target / "compiled" / node["package_name"] / node["original_file_path"]
                   ).read_text()
            if explain is not None and node["name"] == explain:
                _print_operators(connection, sql, Path(scratch) / "profile.json")
                return
            kind = "view" if node["config"].get("materialized") == "view" else "table"
            relation = node["relation_name"]
            existing = connection.execute(
                "select table_type from information_schema.tables where table_catalog = ?"
                " and table_schema = ? and table_name = ?",
                [node["database"], node["schema"], node["alias"]]).fetchall()
            if existing:
                dropped = "view" if existing[0][0] == "VIEW" else "table"
                connection.execute(f"drop {dropped} {relation}")
            began = _cpu_seconds()
            connection.execute(f"create {kind} {relation} as {sql}")
            timings.append((_cpu_seconds() - began, node["name"]))
    total = sum(seconds for seconds, _ in timings)
    print(f"CPU seconds per model, one thread ({database}):")
    for seconds, name in sorted(timings, reverse=True):
        print(f"  {seconds:7.2f}  {seconds / total:5.1%}  {name}")
    print(f"  {total:7.2f}  total")


def _print_operators(connection: duckdb.DuckDBPyConnection, sql: str, output: Path) -> None:
    connection.execute("pragma enable_profiling = 'json'")
    connection.execute(f"pragma profiling_output = '{output}'")
    connection.execute(f"create temp table profiled as {sql}")
    connection.execute("pragma disable_profiling")

    def walk(node: dict[str, Any], depth: int) -> None:
        name = node.get("operator_name") or node.get("operator_type") or "QUERY"
        info = node.get("extra_info", {})
        detail = info.get("Projections") or info.get("Function") or ""
        if isinstance(detail, list):
            detail = ", ".join(detail)
        print(f"{'  ' * depth}{name} {node.get('operator_timing', 0):.2f} s "
              f"{node.get('operator_cardinality', 0):,} rows {str(detail)[:100]}")
        for child in node.get("children", []):
            walk(child, depth + 1)

    walk(json.loads(output.read_text()), 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", type=Path, required=True, help="dbt target folder")
    parser.add_argument("--db", type=Path, required=True, help="a built warehouse file")
    parser.add_argument("--explain", help="print the operator timings of this model")
    args = parser.parse_args(argv)
    profile_models(args.target, args.db, args.explain)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
