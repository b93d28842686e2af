"""The benchmark's contenders agree with the warehouse, and its measurements measure."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import PROJECT, SmallBuild

from faellesborger_bench.floor import run_floor
from faellesborger_bench.measure import run_measured
from faellesborger_bench.pandas_peer import run_pandas
from faellesborger_bench.runner import Figures, disagreements, warehouse_figures


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
