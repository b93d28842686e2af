"""The benchmark: the warehouse against the floor and the pandas peer, at several scales.

For every scale it writes a synthetic delivery (measured), builds the warehouse on it
with ``dbt build`` without tests and, on a fresh file, with all tests (measured), runs
the hand-written DuckDB floor (``bench/floor.sql``) and the pandas peer on the same
files (measured), and checks that all of them give the same figures. Then it adds one
monthly delivery (``faellesborger generate --add-month``: one more file per extract, a
month after the latest extraction date), builds the already built warehouse again (the
incremental build) and, for comparison, a fresh warehouse on the delivery with the month
(the full build), and checks that both give the same figures. dbt's fixed overhead
(start-up, parse, compile, one connection and transaction per node) is measured as the
same builds on a near-empty delivery; query time is the rest. Every measurement has its
wall time, CPU time (user + system of the whole process tree), peak memory and the
machine's load average at its start and end. The report is appended to
``BENCHMARKS.md`` with the issue's targets marked met or missed. Run it with
``bench/run`` (see ``--help``).
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

from faellesborger.dbt_run import ONE_THREAD_FROM_BYTES, threads_arguments
from faellesborger_bench.measure import Measurement, run_measured

PROJECT = Path(__file__).resolve().parents[2]
BENCH_DIR = PROJECT / "bench"
FIGURES_SQL = BENCH_DIR / "warehouse_figures.sql"
SPARK_BIN = PROJECT / ".venv-spark" / "bin"
FIGURE_MARTS = ("rpt_tabel3", "rpt_tabel4", "rpt_support_steps", "rpt_hoi_target_group",
                "rpt_target_group_statistics", "rpt_benefit_duration")
OVERHEAD_SCALE = 0.01
SEED = 2020
# Targets of the issue (BENCHMARKS.md lists each as met or missed).
TARGET_SCALE = 10.0  # the full build is no slower than the pandas peer here ...
TARGET_PANDAS_RATIO = 1.0  # ... warehouse wall time / pandas wall time
TARGET_FLOOR_CPU_RATIO = 4.0  # ... and within this many times the floor's CPU time
TARGET_LINEAR_SCALE = 30.0  # query time grows no faster than linearly from TARGET_SCALE
TARGET_PEAK_MB = 4096.0  # peak memory at TARGET_SCALE and TARGET_LINEAR_SCALE
SHIPPED_SCALE = 1.0  # the shipped delivery: dbt build without tests ...
TARGET_SHIPPED_PANDAS_RATIO = 3.0  # ... within this many times the pandas peer
TARGET_INCREMENTAL_RATIO = 0.25  # adding one month at TARGET_SCALE / the full build there

Figures = dict[tuple[str, str], int]


@dataclass
class Timed:
    """Wall seconds, CPU seconds, peak MB and load averages of one measured step."""

    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0
    load_start: float = 0.0
    load_end: float = 0.0

    @classmethod
    def of(cls, measurement: Measurement) -> Timed:
        return cls(round(measurement.seconds, 2), round(measurement.peak_mb, 1),
                   round(measurement.cpu_seconds, 2), round(measurement.load_start, 2),
                   round(measurement.load_end, 2))


@dataclass
class Incremental:
    """Adding one month to a built warehouse, and the full build it is compared with."""

    month_rows: int
    month_generator: Timed
    incremental: Timed
    full: Timed
    figures_compared: int = 0
    disagreements: list[str] = field(default_factory=list)


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
    incremental: Incremental | None = None
    figures_compared: int = 0
    disagreements: list[str] = field(default_factory=list)
    # every round of the alternating measurements (dbt_models, floor and pandas are the
    # medians)
    dbt_models_rounds: list[Timed] = field(default_factory=list)
    floor_rounds: list[Timed] = field(default_factory=list)
    pandas_rounds: list[Timed] = field(default_factory=list)


def median_round(rounds: list[Timed]) -> Timed:
    """The round with the median wall time (of an even number, the lower of the two)."""
    return sorted(rounds, key=lambda timed: timed.seconds)[(len(rounds) - 1) // 2]


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def _checked(measurement: Measurement, what: str) -> Measurement:
    if measurement.returncode != 0:
        tail = "\n".join(measurement.output.splitlines()[-40:])
        raise SystemExit(f"{what} failed (exit {measurement.returncode}):\n{tail}")
    return measurement


def _delivery_size(raw: Path, files: list[Path] | None = None) -> tuple[int, int]:
    rows = 0
    size = 0
    for path in files if files is not None else sorted(raw.glob("*.csv")):
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


def add_month(raw: Path) -> Measurement:
    """Write one more monthly file per extract next to the delivery in ``raw``."""
    command = [_bin("faellesborger"), "generate", "--out", str(raw), "--seed", str(SEED),
               "--add-month"]
    return _checked(run_measured(command, cwd=PROJECT), f"monthly delivery in {raw}")


def _dbt_env(raw: Path, work: Path, database: str = "warehouse.duckdb") -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DBT_PROFILES_DIR": str(PROJECT / "profiles"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "FAELLESBORGER_RAW_DIR": str(raw),
        "FAELLESBORGER_DB": str(work / database),
        "FAELLESBORGER_PUBLISH_DIR": str(work / "publish"),
    })
    return env


def dbt_build(raw: Path, work: Path, with_tests: bool, database: str = "warehouse.duckdb",
              fresh: bool = True) -> Measurement:
    """``dbt build`` of every model (and seed), with or without the tests; on a fresh
    warehouse file unless ``fresh`` is false (then on the file as the last build left it)."""
    if fresh:
        for leftover in (database, f"{database}.wal"):
            (work / leftover).unlink(missing_ok=True)
    # dbt's threads as `faellesborger build` chooses them for this delivery (the parse
    # below gets them too: another thread count is another profile, parsed anew)
    threads = threads_arguments([], raw, None if fresh else work / database)
    command = [_bin("dbt"), "build", "--target-path", str(work / "target"),
               "--log-path", str(work / "logs"), *threads]
    if with_tests:
        # the published figures belong to the shipped delivery, not to other scales
        command += ["--exclude", "tag:published_figures"]
    else:
        command += ["--exclude", "resource_type:test", "resource_type:unit_test"]
    what = (f"dbt build {'with' if with_tests else 'without'} tests on {raw} "
            f"({'fresh' if fresh else 'existing'} {database})")
    env = _dbt_env(raw, work, database)
    # Untimed: dbt's partial-parse state for this project and environment, as any earlier
    # build or `dbt parse` of an analyst's checkout leaves it in target/ (docs/benchmark.md).
    _checked(run_measured([_bin("dbt"), "parse", "--target-path", str(work / "target"),
                           "--log-path", str(work / "logs"), *threads], env=env, cwd=PROJECT),
             f"dbt parse before the {what}")
    return _checked(run_measured(command, env=env, cwd=PROJECT), what)


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


def _pandas_peer(raw: Path, work: Path) -> Measurement:
    return _run_contender("faellesborger_bench.pandas_peer", raw, work / "pandas.csv",
                          ["--seeds-dir", str(PROJECT / "seeds")])


def measure_scale(scale: float, root: Path, pandas_max_scale: float,
                  spark_max_scale: float, incremental: bool = True,
                  rounds: int = 1) -> ScaleResult:
    """Every measurement at one scale. The build without tests, the floor and the pandas
    peer run ``rounds`` times each, alternating (the build with tests once): the result
    holds every round and each one's median."""
    work = root / f"scale-{scale:g}"
    raw = work / "raw"
    work.mkdir(parents=True, exist_ok=True)
    print(f"scale {scale:g}: generating", flush=True)
    generated = generate(raw, scale)
    rows, size = _delivery_size(raw)
    print(f"scale {scale:g}: dbt build without tests", flush=True)
    models = dbt_build(raw, work, with_tests=False)
    reference = warehouse_figures(work / "warehouse.duckdb")
    print(f"scale {scale:g}: dbt build with tests", flush=True)
    build = dbt_build(raw, work, with_tests=True, database="tested.duckdb")
    (work / "tested.duckdb").unlink(missing_ok=True)
    result = ScaleResult(scale, rows, size, Timed.of(generated), Timed.of(models),
                         Timed.of(build), figures_compared=len(reference))
    result.dbt_models_rounds.append(result.dbt_models)
    for number in range(1, rounds + 1):
        if number > 1:
            print(f"scale {scale:g}: dbt build without tests, round {number}", flush=True)
            result.dbt_models_rounds.append(Timed.of(dbt_build(raw, work, with_tests=False)))
            result.disagreements += disagreements(
                reference, warehouse_figures(work / "warehouse.duckdb"), f"round {number}")
        print(f"scale {scale:g}: floor, round {number}", flush=True)
        result.floor_rounds.append(Timed.of(
            _run_contender("faellesborger_bench.floor", raw, work / "floor.csv", [])))
        result.disagreements += disagreements(
            reference, read_figures(work / "floor.csv"), f"floor, round {number}")
        if scale <= pandas_max_scale:
            print(f"scale {scale:g}: pandas peer, round {number}", flush=True)
            result.pandas_rounds.append(Timed.of(_pandas_peer(raw, work)))
            result.disagreements += disagreements(
                reference, read_figures(work / "pandas.csv"), f"pandas, round {number}")
    result.dbt_models = median_round(result.dbt_models_rounds)
    result.floor = median_round(result.floor_rounds)
    if result.pandas_rounds:
        result.pandas = median_round(result.pandas_rounds)
    if scale <= spark_max_scale and (SPARK_BIN / "dbt").exists():
        print(f"scale {scale:g}: dbt build on Spark without tests", flush=True)
        result.spark_models = Timed.of(spark_build(raw, work))
        result.disagreements += disagreements(
            reference, spark_figures(work / "spark"), "spark")
    if incremental:
        result.incremental = measure_incremental(scale, raw, work)
    return result


def measure_incremental(scale: float, raw: Path, work: Path) -> Incremental:
    """Add one month to the delivery the warehouse was built on; build it incrementally
    (the same file, ``dbt build`` again) and, for comparison, from nothing."""
    before = set(raw.glob("*.csv"))
    print(f"scale {scale:g}: adding one month", flush=True)
    month = add_month(raw)
    month_rows, _ = _delivery_size(raw, sorted(set(raw.glob("*.csv")) - before))
    print(f"scale {scale:g}: dbt build without tests, the month added (incremental)",
          flush=True)
    incremental = dbt_build(raw, work, with_tests=False, fresh=False)
    print(f"scale {scale:g}: dbt build without tests, the month included, from nothing",
          flush=True)
    full = dbt_build(raw, work, with_tests=False, database="with-month.duckdb")
    reference = warehouse_figures(work / "with-month.duckdb")
    result = Incremental(month_rows, Timed.of(month), Timed.of(incremental), Timed.of(full),
                         figures_compared=len(reference))
    result.disagreements = disagreements(
        reference, warehouse_figures(work / "warehouse.duckdb"), "incremental")
    return result


def measure_overhead(root: Path, rounds: int = 1) -> tuple[Timed, Timed, list[Timed]]:
    """dbt's fixed cost: the two builds on a near-empty delivery, the one without tests
    ``rounds`` times (its median round, the build with tests, and every round)."""
    work = root / "overhead"
    raw = work / "raw"
    work.mkdir(parents=True, exist_ok=True)
    print(f"overhead: near-empty delivery (scale {OVERHEAD_SCALE:g})", flush=True)
    generate(raw, OVERHEAD_SCALE)
    models = [Timed.of(dbt_build(raw, work, with_tests=False)) for _ in range(rounds)]
    build = dbt_build(raw, work, with_tests=True)
    return median_round(models), Timed.of(build), models


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


def _paired(numerators: list[Timed], denominators: list[Timed], numerator: Timed | None,
            denominator: Timed | None, cpu: bool = False) -> float | None:
    """A contender against another: the median of the ratios of their alternating rounds,
    each pair run side by side (of an even number, the higher of the two middle ones), or
    the ratio of the two single measurements when they did not run in rounds."""
    def value(timed: Timed) -> float:
        return timed.cpu_seconds if cpu else timed.seconds

    if len(numerators) > 1 and len(numerators) == len(denominators):
        ratios = sorted(value(top) / value(bottom)
                        for top, bottom in zip(numerators, denominators, strict=True)
                        if value(bottom) > 0)
        return ratios[len(ratios) // 2] if ratios else None
    if numerator is None or denominator is None or value(denominator) == 0:
        return None
    return value(numerator) / value(denominator)


def _against_pandas(result: ScaleResult) -> float | None:
    """Wall time against the pandas peer's (see `_paired`)."""
    return _paired(result.dbt_models_rounds, result.pandas_rounds, result.dbt_models,
                   result.pandas)


def _against_floor_cpu(result: ScaleResult) -> float | None:
    """CPU time against the floor's (see `_paired`)."""
    return _paired(result.dbt_models_rounds, result.floor_rounds, result.dbt_models,
                   result.floor, cpu=True)


def _shown(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _cell(timed: Timed | None) -> str:
    if timed is None:
        return "-"
    return (f"{timed.seconds:.1f} s / {timed.cpu_seconds:.1f} CPU-s / {timed.peak_mb:,.0f} MB "
            f"(load {timed.load_start:.1f}-{timed.load_end:.1f})")


def _agree(compared: int, found: list[str]) -> str:
    return f"{'yes' if not found else f'NO ({len(found)} differ)'}, {compared} figures"


def report(results: list[ScaleResult], overhead: tuple[Timed, Timed], machine: str,
           started: dt.datetime, overhead_rounds: list[Timed] | None = None) -> str:
    """The Markdown section appended to BENCHMARKS.md."""
    models_overhead, build_overhead = overhead
    rounds_text = ""
    if overhead_rounds and len(overhead_rounds) > 1:
        rounds_text = (f" (the median of {len(overhead_rounds)} rounds: "
                       f"{_walls(overhead_rounds)} s)")
    lines = [
        f"## Run of {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {machine}.",
        "",
        f"dbt's fixed overhead (the same builds on a near-empty delivery, scale "
        f"{OVERHEAD_SCALE:g}): {_cell(models_overhead)} without tests{rounds_text}, "
        f"{_cell(build_overhead)} with tests. Query time = wall time - overhead. "
        "Each cell: wall time / CPU time (user + system of the whole process tree) / peak "
        "resident memory of the whole process tree (load average, 1 minute, at the step's "
        "start and end). The contenders compute every figure of "
        "`bench/warehouse_figures.sql` (Tabel 3, Tabel 4, the steps, HOI, Bilag 1a's "
        "persons and fuldtidspersoner per period and row, and its duration bands). "
        "dbt's threads are those `faellesborger build` chooses: one model at a time when "
        f"the build loads {ONE_THREAD_FROM_BYTES / 1e6:,.0f} MB of raw files or more (a "
        "month added to a built warehouse loads the month's files only), else two.",
        "",
        "| scale | raw rows | raw MB | generator | dbt build, no tests | query time "
        "| dbt build + tests | query time | floor | pandas peer | warehouse / pandas "
        "| warehouse CPU / floor CPU | Spark build, no tests | figures agree |",
        "|---:|---:|---:|---|---|---:|---|---:|---|---|---:|---:|---|---|",
    ]
    for result in results:
        query = result.dbt_models.seconds - models_overhead.seconds
        query_tests = result.dbt_build.seconds - build_overhead.seconds
        lines.append(
            f"| {result.scale:g} | {result.raw_rows:,} | {result.raw_bytes / 1e6:,.1f} "
            f"| {_cell(result.generator)} | {_cell(result.dbt_models)} | {query:.1f} s "
            f"| {_cell(result.dbt_build)} | {query_tests:.1f} s | {_cell(result.floor)} "
            f"| {_cell(result.pandas)} "
            f"| {_shown(_against_pandas(result))} "
            f"| {_shown(_against_floor_cpu(result))} "
            f"| {_cell(result.spark_models)} "
            f"| {_agree(result.figures_compared, result.disagreements)} |")
    incremental = [result for result in results if result.incremental is not None]
    if incremental:
        lines += [
            "",
            "Adding one month (`faellesborger generate --add-month`: one more file per "
            "extract, a month after the latest extraction date) to the warehouse built "
            "above, then `dbt build` without tests on it (incremental), against a build "
            "from nothing on the delivery with the month (full):",
            "",
            "| scale | month rows | month generator | full build before the month "
            "| incremental build | full build with the month | incremental / full before "
            "| incremental / full with the month | figures agree |",
            "|---:|---:|---|---|---|---|---:|---:|---|",
        ]
        for result in incremental:
            step = result.incremental
            assert step is not None
            lines.append(
                f"| {result.scale:g} | {step.month_rows:,} | {_cell(step.month_generator)} "
                f"| {_cell(result.dbt_models)} | {_cell(step.incremental)} "
                f"| {_cell(step.full)} "
                f"| {_ratio(step.incremental.seconds, result.dbt_models.seconds)} "
                f"| {_ratio(step.incremental.seconds, step.full.seconds)} "
                f"| {_agree(step.figures_compared, step.disagreements)} |")
    for result in results:
        if len(result.dbt_models_rounds) > 1:
            lines += ["", _rounds_line(result)]
    lines += ["", *_verdicts(results, models_overhead), ""]
    return "\n".join(lines) + "\n"


def _walls(rounds: list[Timed]) -> str:
    """The rounds' wall times, in seconds."""
    return ", ".join(f"{timed.seconds:.1f}" for timed in rounds)


def _cpus(rounds: list[Timed]) -> str:
    """The rounds' CPU times, in seconds."""
    return ", ".join(f"{timed.cpu_seconds:.1f}" for timed in rounds)


def _rounds_line(result: ScaleResult) -> str:
    """The alternating rounds at one scale, of which the table shows the medians."""
    text = (f"Scale {result.scale:g}, {len(result.dbt_models_rounds)} alternating rounds "
            "(the table shows the round with the median wall time of each, and as ratios "
            "the median of the ratios round by round): dbt build "
            f"without tests {_walls(result.dbt_models_rounds)} s "
            f"({_cpus(result.dbt_models_rounds)} CPU-s), the floor "
            f"{_walls(result.floor_rounds)} s ({_cpus(result.floor_rounds)} CPU-s)")
    if result.pandas_rounds:
        ratios = ", ".join(_ratio(models.seconds, pandas.seconds) for models, pandas
                           in zip(result.dbt_models_rounds, result.pandas_rounds, strict=True))
        text += (f", the pandas peer {_walls(result.pandas_rounds)} s; warehouse / pandas "
                 f"round by round {ratios}")
    cpu_ratios = ", ".join(_ratio(models.cpu_seconds, floor.cpu_seconds) for models, floor
                           in zip(result.dbt_models_rounds, result.floor_rounds, strict=True))
    return text + f"; warehouse CPU / floor CPU round by round {cpu_ratios}."


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("met" if ok else "MISSED")


def _peak(result: ScaleResult) -> float:
    """The peak memory of every warehouse build at the scale, each round's included."""
    steps = [result.dbt_models, *result.dbt_models_rounds, result.dbt_build]
    if result.incremental is not None:
        steps += [result.incremental.incremental, result.incremental.full]
    return max(step.peak_mb for step in steps)


def _contenders_growth(smaller: ScaleResult, larger: ScaleResult) -> str:
    """How each contender's wall time (the median rounds') grew from one scale to the
    other in this run: what the machine made of more data beside the warehouse."""
    def growth(numerator: Timed | None, denominator: Timed | None) -> str:
        ratio = _ratio(numerator.seconds if numerator else None,
                       denominator.seconds if denominator else None)
        return ratio if ratio == "-" else f"x{ratio}"

    return (f"  (for information, the wall time of the median rounds from scale "
            f"{smaller.scale:g} to {larger.scale:g}: the warehouse "
            f"{growth(larger.dbt_models, smaller.dbt_models)}, the floor "
            f"{growth(larger.floor, smaller.floor)}, the pandas peer "
            f"{growth(larger.pandas, smaller.pandas)})")


def _verdicts(results: list[ScaleResult], models_overhead: Timed) -> list[str]:
    """The issue's targets, each met or missed with its measured ratio."""
    by_scale = {result.scale: result for result in results}
    target = by_scale.get(TARGET_SCALE)
    linear = by_scale.get(TARGET_LINEAR_SCALE)
    shipped = by_scale.get(SHIPPED_SCALE)

    def ratio_line(text: str, value: float | None, limit: float) -> str:
        return f"- {text}: {_shown(value)} (target <= {limit:g}) — " + _verdict(
            None if value is None else value <= limit)

    def at(scale: float, result: ScaleResult | None) -> list[str]:
        return [] if result is not None else [f"  (scale {scale:g} not run)"]

    lines = ["Targets (the issue's, measured as ratios within this run):"]
    lines.append(ratio_line(
        f"full build at scale {TARGET_SCALE:g}, no tests, wall time / the pandas peer's",
        _against_pandas(target) if target else None, TARGET_PANDAS_RATIO))
    lines.append(ratio_line(
        f"full build at scale {TARGET_SCALE:g}, no tests, CPU time / the floor's CPU time",
        _against_floor_cpu(target) if target else None, TARGET_FLOOR_CPU_RATIO))
    growth = None
    if target is not None and linear is not None:
        base_query = target.dbt_models.seconds - models_overhead.seconds
        query = linear.dbt_models.seconds - models_overhead.seconds
        growth = query / base_query if base_query > 0 else None
    data = TARGET_LINEAR_SCALE / TARGET_SCALE
    lines.append(
        f"- query time from scale {TARGET_SCALE:g} to {TARGET_LINEAR_SCALE:g}: "
        + ("-" if growth is None else f"x{growth:.2f}") + f" for x{data:g} the data "
        "(target: no faster than linear growth) — "
        + _verdict(None if growth is None else growth <= data))
    if target is not None and linear is not None:
        lines.append(_contenders_growth(target, linear))
    for scale in (TARGET_SCALE, TARGET_LINEAR_SCALE):
        result = by_scale.get(scale)
        peak = None if result is None else _peak(result)
        lines.append(
            f"- peak memory at scale {scale:g} (every warehouse build): "
            + ("-" if peak is None else f"{peak:,.0f} MB")
            + f" (target < {TARGET_PEAK_MB:,.0f} MB) — "
            + _verdict(None if peak is None else peak < TARGET_PEAK_MB))
    lines.append(ratio_line(
        f"shipped delivery (scale {SHIPPED_SCALE:g}), dbt build without tests, wall time / "
        "the pandas peer's",
        _against_pandas(shipped) if shipped else None, TARGET_SHIPPED_PANDAS_RATIO))
    step = target.incremental if target is not None else None
    lines.append(ratio_line(
        f"adding one month at scale {TARGET_SCALE:g}, incremental build / the full build",
        step.incremental.seconds / target.dbt_models.seconds
        if step is not None and target is not None and target.dbt_models.seconds > 0 else None,
        TARGET_INCREMENTAL_RATIO))
    base = by_scale.get(1.0)
    if base is not None:
        base_query = base.dbt_models.seconds - models_overhead.seconds
        for result in results:
            if result.scale <= 1.0 or base_query <= 0:
                continue
            query = result.dbt_models.seconds - models_overhead.seconds
            lines.append(
                f"- query time from scale 1 to {result.scale:g}: x{query / base_query:.1f} "
                f"for x{result.scale:g} the data (for information)")
    for result in results:
        found = result.disagreements + (
            result.incremental.disagreements if result.incremental else [])
        lines += [f"- scale {result.scale:g}: {line}" for line in found[:10]]
    return lines


def main(argv: list[str] | None = None) -> int:
    """``bench/run [--scales 1 10 30] [--work-dir build/bench] [--no-append] ...``."""
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0, 30.0])
    parser.add_argument("--work-dir", type=Path, default=PROJECT / "build" / "bench")
    parser.add_argument("--pandas-max-scale", type=float, default=30.0,
                        help="skip the pandas peer above this scale")
    parser.add_argument("--spark-max-scale", type=float, default=10.0,
                        help="skip Spark above this scale (Spark runs when .venv-spark exists:"
                        " make venv-spark)")
    parser.add_argument("--no-spark", action="store_true", help="skip Spark at every scale")
    parser.add_argument("--no-incremental", action="store_true",
                        help="skip adding one month and the builds after it")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds of the build without tests, the floor and "
                        "the pandas peer at every scale, and of the near-empty build without "
                        "tests (the table shows the medians)")
    parser.add_argument("--results", type=Path, default=PROJECT / "BENCHMARKS.md")
    parser.add_argument("--no-append", action="store_true",
                        help="print the table instead of appending it to BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")
    started = dt.datetime.now(dt.UTC)
    machine = machine_description()
    root: Path = args.work_dir
    root.mkdir(parents=True, exist_ok=True)
    spark_max_scale = -1.0 if args.no_spark else args.spark_max_scale
    models_overhead, build_overhead, overhead_rounds = measure_overhead(root, args.rounds)
    overhead = (models_overhead, build_overhead)
    results = [measure_scale(scale, root, args.pandas_max_scale, spark_max_scale,
                             incremental=not args.no_incremental, rounds=args.rounds)
               for scale in args.scales]
    section = report(results, overhead, machine, started, overhead_rounds)
    raw = {"started": started.isoformat(), "machine": machine,
           "overhead": [asdict(timed) for timed in overhead],
           "overhead_rounds": [asdict(timed) for timed in overhead_rounds],
           "results": [asdict(result) for result in results]}
    (root / f"results-{started:%Y%m%dT%H%M%S}.json").write_text(json.dumps(raw, indent=2))
    print(section)
    if not args.no_append:
        with args.results.open("a") as handle:
            handle.write("\n" + section)
        print(f"appended to {args.results}")
    failed = any(result.disagreements or (result.incremental and result.incremental.disagreements)
                 for result in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
