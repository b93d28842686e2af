"""The benchmark's contenders agree with the warehouse, and its measurements measure."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from conftest import PROJECT, SmallBuild

from faellesborger_bench.floor import run_floor
from faellesborger_bench.measure import run_measured
from faellesborger_bench.pandas_peer import run_pandas
from faellesborger_bench.runner import (
    Figures,
    ScaleResult,
    Timed,
    disagreements,
    median_round,
    report,
    warehouse_figures,
)


def _as_figures(rows: list[tuple[str, str, int]]) -> Figures:
    return {(figure, key): value for figure, key, value in rows}


def test_floor_and_pandas_peer_give_the_warehouse_figures(
    built_small: SmallBuild, small_delivery: Path
) -> None:
    reference = warehouse_figures(built_small.db)
    # every figure of the benchmark, and not all of them zero
    assert {figure for figure, _ in reference} == {
        "tabel3", "tabel4", "steps", "hoi", "bilag1a", "duration"}
    assert sum(reference.values()) > 0
    floor = _as_figures(run_floor(small_delivery))
    peer = run_pandas(small_delivery, PROJECT / "seeds")
    pandas = _as_figures(list(peer[["figure", "key", "value"]].itertuples(index=False)))
    assert disagreements(reference, floor, "floor") == []
    assert disagreements(reference, pandas, "pandas") == []


def test_a_changed_figure_is_a_disagreement() -> None:
    reference = {("tabel3", "2020|6.1|population"): 10, ("hoi", "2021-02|§ 85|x"): 3}
    assert disagreements(reference, dict(reference), "floor") == []
    other = {("tabel3", "2020|6.1|population"): 11}
    found = disagreements(reference, other, "floor")
    assert len(found) == 2  # one value differs, one key is missing (counts as 0)
    assert "warehouse 10, floor 11" in found[1]


def test_peak_memory_counts_the_child_processes() -> None:
    # a child that starts a grandchild holding ~300 MB: the tree's peak must show it
    grandchild = "x = bytearray(300_000_000); import time; time.sleep(1)"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}])"
    measured = run_measured([sys.executable, "-c", child])
    assert measured.returncode == 0
    assert measured.peak_mb > 300
    assert measured.seconds >= 1


def timed(seconds: float) -> Timed:
    """A measured step of `seconds` wall and CPU time."""
    return Timed(seconds=seconds, peak_mb=100.0, cpu_seconds=seconds)


def test_alternating_rounds_report_their_medians() -> None:
    assert median_round([timed(9.0), timed(3.0), timed(5.0)]).seconds == 5.0
    assert median_round([timed(4.0), timed(2.0)]).seconds == 2.0  # the lower of two
    warehouse = [timed(30.0), timed(20.0), timed(25.0)]
    floor = [timed(6.0), timed(4.0), timed(5.0)]
    pandas = [timed(9.0), timed(10.0), timed(8.0)]
    result = ScaleResult(1.0, 10, 1000, timed(1.0), median_round(warehouse), timed(50.0),
                         floor=median_round(floor), pandas=median_round(pandas),
                         dbt_models_rounds=warehouse, floor_rounds=floor,
                         pandas_rounds=pandas)
    text = report([result], (timed(5.0), timed(10.0)), "test machine",
                  dt.datetime(2026, 12, 3, tzinfo=dt.UTC),
                  overhead_rounds=[timed(6.0), timed(5.0), timed(4.0)])
    assert ("3 alternating rounds (the table shows the round with the median wall time of "
            "each, and as ratios the median of the ratios round by round): dbt build "
            "without tests 30.0, 20.0, 25.0 s (30.0, 20.0, 25.0 CPU-s), "
            "the floor 6.0, 4.0, 5.0 s (6.0, 4.0, 5.0 CPU-s), the pandas peer 9.0, 10.0, "
            "8.0 s; warehouse / pandas round by round 3.33, 2.00, 3.12; warehouse CPU / "
            "floor CPU round by round 5.00, 5.00, 5.00.") in text
    assert "without tests (the median of 3 rounds: 6.0, 5.0, 4.0 s)" in text
    # the ratios are the median of the rounds' ratios (3.33, 2.00, 3.12), each round
    # against the one run beside it, not the median rounds' ratio (25 / 9 = 2.78)
    assert ("the pandas peer's: 3.12 (target <= 3) — MISSED") in text
    assert "| 3.12 | 5.00 |" in text
    # a scale without the pandas peer lists the warehouse's and the floor's rounds
    result.pandas, result.pandas_rounds = None, []
    text = report([result], (timed(5.0), timed(10.0)), "test machine",
                  dt.datetime(2026, 12, 3, tzinfo=dt.UTC))
    assert ("the floor 6.0, 4.0, 5.0 s (6.0, 4.0, 5.0 CPU-s); warehouse CPU / floor CPU "
            "round by round 5.00, 5.00, 5.00.") in text
    # the peak memory is every round's, not only the median round's
    warehouse[0].peak_mb = 5000.0
    result.scale = 10.0
    text = report([result], (timed(5.0), timed(10.0)), "test machine",
                  dt.datetime(2026, 12, 3, tzinfo=dt.UTC))
    assert "peak memory at scale 10 (every warehouse build): 5,000 MB" in text


def test_growth_from_scale_10_to_30_shows_every_contender() -> None:
    def at(scale: float, warehouse: float, floor: float, pandas: float | None) -> ScaleResult:
        return ScaleResult(scale, 10, 1000, timed(1.0), timed(warehouse), timed(50.0),
                           floor=timed(floor), pandas=timed(pandas) if pandas else None)

    text = report([at(10.0, 80.0, 20.0, 100.0), at(30.0, 260.0, 70.0, 400.0)],
                  (timed(10.0), timed(20.0)), "test machine",
                  dt.datetime(2026, 12, 6, tzinfo=dt.UTC))
    # the target reads the query time (less the overhead): (260 - 10) / (80 - 10)
    assert "query time from scale 10 to 30: x3.57 for x3 the data" in text
    assert ("(for information, the wall time of the median rounds from scale 10 to 30: "
            "the warehouse x3.25, the floor x3.50, the pandas peer x4.00)") in text
    text = report([at(10.0, 80.0, 20.0, None), at(30.0, 260.0, 70.0, None)],
                  (timed(10.0), timed(20.0)), "test machine",
                  dt.datetime(2026, 12, 6, tzinfo=dt.UTC))
    assert "the floor x3.50, the pandas peer -)" in text
