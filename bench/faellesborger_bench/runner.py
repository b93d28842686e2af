"""The benchmark: the warehouse against the floor and the pandas peer, at several scales.

For every scale it writes a synthetic delivery (measured), builds the warehouse on it
with ``dbt build`` without tests and, on a fresh file, with all tests (measured), runs
the hand-written DuckDB floor (``bench/floor.sql``) and the pandas peer on the same
files (measured), checks that all of them give the same figures, and appends a table
to ``BENCHMARKS.md``. dbt's fixed overhead (start-up, parse, compile, one connection
and transaction per node) is measured as the same builds on a near-empty delivery;
query time is the rest. Run it with ``bench/run`` (see ``--help``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shutil
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

import duckdb

from faellesborger_bench.measure import Measurement, run_measured

PROJECT = Path(__file__).resolve().parents[2]
BENCH_DIR = PROJECT / "bench"
FIGURES_SQL = BENCH_DIR / "warehouse_figures.sql"
SPARK_BIN = PROJECT / ".venv-spark" / "bin"
FIGURE_MARTS = ("rpt_tabel3", "rpt_tabel4", "rpt_support_steps", "rpt_hoi_target_group")
OVERHEAD_SCALE = 0.01
SEED = 2020
# Targets of the issue, checked at this scale.
TARGET_SCALE = 10.0
TARGET_FLOOR_RATIO = 3.0
TARGET_PANDAS_RATIO = 5.0
TARGET_PEAK_MB = 4096.0

Figures = dict[tuple[str, str], int]


@dataclass
class Timed:
    """Wall seconds and peak MB of one measured step."""

    seconds: float
    peak_mb: float

    @classmethod
    def of(cls, measurement: Measurement) -> Timed:
        return cls(round(measurement.seconds, 2), round(measurement.peak_mb, 1))


@dataclass
class ScaleResult:
    """Everything measured at one scale."""

    scale: float
    raw_rows: int
    raw_bytes: int
    generator: Timed
    dbt_models: Timed
    dbt_build: Timed
    floor: Timed | None = None
    pandas: Timed | None = None
    spark_models: Timed | None = None
    figures_compared: int = 0
    disagreements: list[str] = field(default_factory=list)


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def _checked(measurement: Measurement, what: str) -> Measurement:
    if measurement.returncode != 0:
        tail = "\n".join(measurement.output.splitlines()[-40:])
        raise SystemExit(f"{what} failed (exit {measurement.returncode}):\n{tail}")
    return measurement


def _delivery_size(raw: Path) -> tuple[int, int]:
    rows = 0
    size = 0
    for path in sorted(raw.glob("*.csv")):
        size += path.stat().st_size
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 24):
                rows += chunk.count(b"\n")
        rows -= 1  # the header line
    return rows, size


def generate(raw: Path, scale: float) -> Measurement:
    """Write the synthetic delivery of ``scale`` into an empty ``raw``."""
    shutil.rmtree(raw, ignore_errors=True)
    command = [_bin("faellesborger"), "generate", "--out", str(raw), "--seed", str(SEED),
               "--scale", str(scale)]
    return _checked(run_measured(command, cwd=PROJECT), f"generator at scale {scale}")


def _dbt_env(raw: Path, work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DBT_PROFILES_DIR": str(PROJECT / "profiles"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "FAELLESBORGER_RAW_DIR": str(raw),
        "FAELLESBORGER_DB": str(work / "warehouse.duckdb"),
        "FAELLESBORGER_PUBLISH_DIR": str(work / "publish"),
    })
    return env


def dbt_build(raw: Path, work: Path, with_tests: bool) -> Measurement:
    """``dbt build`` of every model (and seed), with or without the tests, on a fresh file."""
    for leftover in ("warehouse.duckdb", "warehouse.duckdb.wal"):
        (work / leftover).unlink(missing_ok=True)
    command = [_bin("dbt"), "build", "--target-path", str(work / "target"),
               "--log-path", str(work / "logs")]
    if with_tests:
        # the published figures belong to the shipped delivery, not to other scales
        command += ["--exclude", "tag:published_figures"]
    else:
        command += ["--exclude", "resource_type:test", "resource_type:unit_test"]
    what = f"dbt build {'with' if with_tests else 'without'} tests on {raw}"
    return _checked(run_measured(command, env=_dbt_env(raw, work), cwd=PROJECT), what)


def spark_build(raw: Path, work: Path) -> Measurement:
    """``dbt build --target spark`` of every model (and seed), no tests, on a fresh folder."""
    spark_dir = work / "spark"
    shutil.rmtree(spark_dir, ignore_errors=True)
    spark_dir.mkdir(parents=True)
    env = _dbt_env(raw, work)
    env["SPARK_BUILD_DIR"] = str(spark_dir)
    command = [str(SPARK_BIN / "dbt"), "build", "--target", "spark",
               "--exclude", "resource_type:test", "resource_type:unit_test",
               "--target-path", str(spark_dir / "target"), "--log-path", str(spark_dir / "logs")]
    return _checked(run_measured(command, env=env, cwd=PROJECT), f"dbt build on Spark on {raw}")


def spark_figures(spark_dir: Path) -> Figures:
    """The benchmark's figures read from the parquet tables of a Spark build."""
    with duckdb.connect() as connection:
        connection.execute("create schema marts")
        for table in FIGURE_MARTS:
            files = spark_dir / "warehouse" / "marts.db" / table / "*.parquet"
            connection.execute(
                f"create view marts.{table} as select * from read_parquet('{files}')")
        rows = connection.sql(FIGURES_SQL.read_text()).fetchall()
    return {(figure, key): int(value) for figure, key, value in rows}


def warehouse_figures(database: Path) -> Figures:
    """The benchmark's figures read from a built warehouse."""
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.sql(FIGURES_SQL.read_text()).fetchall()
    return {(figure, key): int(value) for figure, key, value in rows}


def _run_contender(module: str, raw: Path, out: Path, extra: list[str]) -> Measurement:
    command = [sys.executable, "-m", module, "--raw-dir", str(raw), "--out", str(out), *extra]
    env = dict(os.environ)
    # the contenders live in bench/, outside the installed package
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(BENCH_DIR), env.get("PYTHONPATH", "")]))
    return _checked(run_measured(command, env=env, cwd=PROJECT), f"{module} on {raw}")


def read_figures(path: Path) -> Figures:
    """Figures from a contender's CSV (``figure;key;value``)."""
    with path.open(newline="") as handle:
        return {(row["figure"], row["key"]): int(row["value"])
                for row in csv.DictReader(handle, delimiter=";")}


def disagreements(reference: Figures, other: Figures, name: str) -> list[str]:
    """Keys where ``other`` differs from ``reference`` (a missing key counts as 0)."""
    return [f"{name}: {figure} {key}: warehouse {reference.get((figure, key), 0)}, "
            f"{name} {other.get((figure, key), 0)}"
            for figure, key in sorted(reference.keys() | other.keys())
            if reference.get((figure, key), 0) != other.get((figure, key), 0)]


def measure_scale(scale: float, root: Path, pandas_max_scale: float,
                  spark_max_scale: float) -> ScaleResult:
    """Every measurement at one scale."""
    work = root / f"scale-{scale:g}"
    raw = work / "raw"
    work.mkdir(parents=True, exist_ok=True)
    print(f"scale {scale:g}: generating", flush=True)
    generated = generate(raw, scale)
    rows, size = _delivery_size(raw)
    print(f"scale {scale:g}: dbt build without tests", flush=True)
    models = dbt_build(raw, work, with_tests=False)
    print(f"scale {scale:g}: dbt build with tests", flush=True)
    build = dbt_build(raw, work, with_tests=True)
    reference = warehouse_figures(work / "warehouse.duckdb")
    result = ScaleResult(scale, rows, size, Timed.of(generated), Timed.of(models),
                         Timed.of(build), figures_compared=len(reference))
    print(f"scale {scale:g}: floor", flush=True)
    floor = _run_contender("faellesborger_bench.floor", raw, work / "floor.csv", [])
    result.floor = Timed.of(floor)
    result.disagreements += disagreements(reference, read_figures(work / "floor.csv"), "floor")
    if scale <= pandas_max_scale:
        print(f"scale {scale:g}: pandas peer", flush=True)
        pandas = _run_contender("faellesborger_bench.pandas_peer", raw,
                                work / "pandas.csv", ["--seeds-dir", str(PROJECT / "seeds")])
        result.pandas = Timed.of(pandas)
        result.disagreements += disagreements(
            reference, read_figures(work / "pandas.csv"), "pandas")
    if scale <= spark_max_scale and (SPARK_BIN / "dbt").exists():
        print(f"scale {scale:g}: dbt build on Spark without tests", flush=True)
        result.spark_models = Timed.of(spark_build(raw, work))
        result.disagreements += disagreements(
            reference, spark_figures(work / "spark"), "spark")
    return result


def measure_overhead(root: Path) -> tuple[Timed, Timed]:
    """dbt's fixed cost: the two builds on a near-empty delivery."""
    work = root / "overhead"
    raw = work / "raw"
    work.mkdir(parents=True, exist_ok=True)
    print(f"overhead: near-empty delivery (scale {OVERHEAD_SCALE:g})", flush=True)
    generate(raw, OVERHEAD_SCALE)
    models = dbt_build(raw, work, with_tests=False)
    build = dbt_build(raw, work, with_tests=True)
    return Timed.of(models), Timed.of(build)


def machine_description() -> str:
    """CPU, cores, memory, system and the versions that matter."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory_kb = int(line.split()[1])
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    versions = ", ".join(f"{name} {metadata.version(name)}"
                         for name in ("duckdb", "dbt-core", "dbt-duckdb", "pandas", "numpy"))
    return (f"{cpu}, {os.cpu_count()} cores, {memory_kb / 1024 / 1024:.0f} GiB; "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
            f"{versions}; load average at start {load}")


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or denominator is None or denominator == 0:
        return "-"
    return f"{numerator / denominator:.2f}"


def _seconds(timed: Timed | None) -> float | None:
    return None if timed is None else timed.seconds


def _cell(timed: Timed | None) -> str:
    return "-" if timed is None else f"{timed.seconds:.1f} s / {timed.peak_mb:,.0f} MB"


def report(results: list[ScaleResult], overhead: tuple[Timed, Timed], machine: str,
           started: dt.datetime) -> str:
    """The Markdown section appended to BENCHMARKS.md."""
    models_overhead, build_overhead = overhead
    lines = [
        f"## Run of {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {machine}.",
        "",
        f"dbt's fixed overhead (the same builds on a near-empty delivery, scale "
        f"{OVERHEAD_SCALE:g}): {models_overhead.seconds:.1f} s without tests, "
        f"{build_overhead.seconds:.1f} s with tests. Query time = wall time - overhead. "
        "Times are wall clock; memory is the peak resident memory of the whole process "
        "tree.",
        "",
        "| scale | raw rows | raw MB | generator | dbt build, no tests | query time "
        "| dbt build + tests | query time | floor | pandas peer | warehouse / floor "
        "| pandas / warehouse | Spark build, no tests | figures agree |",
        "|---:|---:|---:|---|---|---:|---|---:|---|---|---:|---:|---|---|",
    ]
    for result in results:
        query = result.dbt_models.seconds - models_overhead.seconds
        query_tests = result.dbt_build.seconds - build_overhead.seconds
        agree = ("yes" if not result.disagreements else
                 f"NO ({len(result.disagreements)} differ)")
        lines.append(
            f"| {result.scale:g} | {result.raw_rows:,} | {result.raw_bytes / 1e6:,.1f} "
            f"| {_cell(result.generator)} | {_cell(result.dbt_models)} | {query:.1f} s "
            f"| {_cell(result.dbt_build)} | {query_tests:.1f} s | {_cell(result.floor)} "
            f"| {_cell(result.pandas)} "
            f"| {_ratio(result.dbt_models.seconds, _seconds(result.floor))} "
            f"| {_ratio(_seconds(result.pandas), result.dbt_models.seconds)} "
            f"| {_cell(result.spark_models)} "
            f"| {agree}, {result.figures_compared} figures |")
    lines += ["", *_verdicts(results, models_overhead), ""]
    return "\n".join(lines) + "\n"


def _verdicts(results: list[ScaleResult], models_overhead: Timed) -> list[str]:
    lines = []
    by_scale = {result.scale: result for result in results}
    target = by_scale.get(TARGET_SCALE)
    if target is not None:
        floor_ratio = (target.dbt_models.seconds / target.floor.seconds
                       if target.floor else None)
        pandas_ratio = (target.pandas.seconds / target.dbt_models.seconds
                        if target.pandas else None)
        peak = max(target.dbt_models.peak_mb, target.dbt_build.peak_mb)

        def verdict(ok: bool | None) -> str:
            return "not measured" if ok is None else ("met" if ok else "MISSED")

        lines += [
            f"Targets at scale {TARGET_SCALE:g}:",
            f"- warehouse within {TARGET_FLOOR_RATIO:g}x the floor: "
            f"{_ratio(target.dbt_models.seconds, _seconds(target.floor))}x — "
            f"{verdict(None if floor_ratio is None else floor_ratio <= TARGET_FLOOR_RATIO)}",
            f"- at least {TARGET_PANDAS_RATIO:g}x faster than pandas: "
            f"{_ratio(_seconds(target.pandas), target.dbt_models.seconds)}x — "
            f"{verdict(None if pandas_ratio is None else pandas_ratio >= TARGET_PANDAS_RATIO)}",
            f"- peak memory under {TARGET_PEAK_MB:,.0f} MB: {peak:,.0f} MB — "
            f"{verdict(peak < TARGET_PEAK_MB)}",
        ]
    base = by_scale.get(1.0)
    if base is not None:
        base_query = base.dbt_models.seconds - models_overhead.seconds
        for result in results:
            if result.scale <= 1.0 or base_query <= 0:
                continue
            query = result.dbt_models.seconds - models_overhead.seconds
            growth = query / base_query
            lines.append(
                f"- query time from scale 1 to {result.scale:g}: x{growth:.1f} for x"
                f"{result.scale:g} the data — "
                f"{'no faster than linear' if growth <= result.scale else 'FASTER THAN LINEAR'}")
    for result in results:
        lines += [f"- scale {result.scale:g}: {line}" for line in result.disagreements[:10]]
    return lines


def main(argv: list[str] | None = None) -> int:
    """``bench/run [--scales 1 10 30] [--work-dir build/bench] [--no-append]``."""
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0, 30.0])
    parser.add_argument("--work-dir", type=Path, default=PROJECT / "build" / "bench")
    parser.add_argument("--pandas-max-scale", type=float, default=30.0,
                        help="skip the pandas peer above this scale")
    parser.add_argument("--spark-max-scale", type=float, default=10.0,
                        help="skip Spark above this scale (Spark runs when .venv-spark exists:"
                        " make venv-spark)")
    parser.add_argument("--results", type=Path, default=PROJECT / "BENCHMARKS.md")
    parser.add_argument("--no-append", action="store_true",
                        help="print the table instead of appending it to BENCHMARKS.md")
    args = parser.parse_args(argv)
    started = dt.datetime.now(dt.UTC)
    machine = machine_description()
    root: Path = args.work_dir
    root.mkdir(parents=True, exist_ok=True)
    overhead = measure_overhead(root)
    results = [measure_scale(scale, root, args.pandas_max_scale, args.spark_max_scale)
               for scale in args.scales]
    section = report(results, overhead, machine, started)
    raw = {"started": started.isoformat(), "machine": machine,
           "overhead": [asdict(timed) for timed in overhead],
           "results": [asdict(result) for result in results]}
    (root / f"results-{started:%Y%m%dT%H%M%S}.json").write_text(json.dumps(raw, indent=2))
    print(section)
    if not args.no_append:
        with args.results.open("a") as handle:
            handle.write("\n" + section)
        print(f"appended to {args.results}")
    return 1 if any(result.disagreements for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
