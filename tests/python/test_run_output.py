"""`faellesborger build`'s progress and summary, and one sentence for a locked warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from conftest import PROJECT

from faellesborger import dbt_run, raw_intake
from faellesborger.dbt_run import Progress, _summary_rows, redact
from faellesborger.warehouse_lock import locked_message, locked_sentence

CLI = PROJECT / ".venv" / "bin" / "faellesborger"
HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(120)
"""


@pytest.fixture
def held_warehouse(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A warehouse file held open (read-write) by another process; its PID."""
    db = tmp_path / "held.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    try:
        yield db, holder.pid
    finally:
        holder.kill()
        holder.wait()


def _cli(*args: str, db: Path, work: Path,
         extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "DBT_PROFILES_DIR": str(PROJECT / "profiles"), "FAELLESBORGER_DB": str(db),
           "FAELLESBORGER_PUBLISH_DIR": str(work / "publish"), **(extra_env or {})}
    return subprocess.run([str(CLI), *args], cwd=PROJECT, env=env, capture_output=True,
                          text=True, check=False)


@pytest.fixture(scope="module")
def dbt_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dbt's target and log paths, shared by this module's builds: one full parse, then
    partial parsing."""
    return tmp_path_factory.mktemp("dbt")


def _dbt_paths(work: Path) -> list[str]:
    return ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]


@pytest.mark.parametrize("command", [["tabel3"], ["figures", "--out", "figures"],
                                     ["bilag1a-figure", "--out", "figures"],
                                     ["quality", "--docs", "docs"]])
def test_a_locked_warehouse_is_one_sentence(held_warehouse: tuple[Path, int], tmp_path: Path,
                                            command: list[str]) -> None:
    db, pid = held_warehouse
    name, *rest = command
    result = _cli(name, "--db", str(db), *[str(tmp_path / value) if value in
                                           ("figures", "docs") else value for value in rest],
                  db=db, work=tmp_path)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 1
    assert "Traceback" not in output
    assert len(output.splitlines()) == 1, output
    assert " is held open by " in output
    assert f"(PID {pid})" in output and str(db) in output and "FAELLESBORGER_DB" in output


def test_build_on_a_locked_warehouse_is_one_sentence(held_warehouse: tuple[Path, int],
                                                     tmp_path: Path, dbt_work: Path) -> None:
    db, pid = held_warehouse
    result = _cli("build", "--select", "lab_main_groups", *_dbt_paths(dbt_work), db=db,
                  work=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    sentences = [line for line in result.stdout.splitlines() if "held open by" in line]
    assert len(sentences) == 1 and f"(PID {pid})" in sentences[0]
    # nothing of dbt's own console output: the command line, what dbt found, the sentence
    assert len(result.stdout.strip().splitlines()) <= 3, result.stdout


def test_build_prints_progress_and_a_summary(tmp_path: Path, dbt_work: Path,
                                             small_delivery: Path) -> None:
    db = tmp_path / "seeds.duckdb"
    result = _cli("build", "--select", "lab_main_groups", "tabel4_columns",
                  "--exclude", "resource_type:test", *_dbt_paths(dbt_work), db=db,
                  work=tmp_path, extra_env={"FAELLESBORGER_RAW_DIR": str(small_delivery)})
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert "dbt build succeeded in" in result.stdout
    assert "  seeds       2 passed" in lines
    assert "dbt: 2/2 done (seeds 2)" in lines
    assert f"Warehouse:   {db} (private to its owner; exact counts)" in lines
    log = dbt_work / "logs" / "dbt.log"
    assert any(line.startswith("dbt's log:   ") and str(log) in line for line in lines)
    # dbt's per-node lines are in its log, not on the console
    assert "START seed" not in result.stdout
    assert "START seed file reference.lab_main_groups" in log.read_text()


def test_build_that_fails_exits_non_zero_with_dbt_s_message(tmp_path: Path,
                                                           dbt_work: Path) -> None:
    """The key check (on-run-start) refuses the development key on a delivery that is not
    the shipped synthetic one: the run stops, with dbt's message, and exits 1."""
    raw = tmp_path / "raw"
    raw.mkdir()
    result = _cli("build", "--select", "lab_main_groups", *_dbt_paths(dbt_work),
                  "--vars", f"{{raw_dir: '{raw}'}}", db=tmp_path / "x.duckdb", work=tmp_path,
                  extra_env={"FAELLESBORGER_ALLOW_DEVELOPMENT_KEY": "",
                             "FAELLESBORGER_PSEUDONYM_KEY": ""})
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert "FAILED" in result.stdout or "dbt stopped" in result.stdout
    assert "DEVELOPMENT key is public" in result.stdout


def _result(kind: str, name: str, status: str, message: str = "") -> SimpleNamespace:
    node = SimpleNamespace(resource_type=kind, name=name, original_file_path=f"{name}.sql")
    return SimpleNamespace(node=node, status=status, message=message)


def test_the_summary_counts_every_outcome_and_lists_the_failures() -> None:
    lines, failures, warned = _summary_rows([
        _result("seed", "s", "success"), _result("model", "a", "success"),
        _result("model", "b", "error", "Binder Error: column x\nLINE 3: select x"),
        _result("model", "c", "skipped"), _result("test", "t1", "pass"),
        _result("test", "t2", "warn", "Got 2 results"), _result("test", "t3", "fail",
                                                                "Got 1 result, 0101851234"),
        _result("unit_test", "u", "pass")])
    assert lines == ["  seeds       1 passed", "  models      1 passed, 1 failed, 1 skipped",
                     "  data tests  1 passed, 1 warned, 1 failed", "  unit tests  1 passed"]
    assert [label for label, _, _ in failures] == ["model b", "test t3"]
    assert failures[0][2] == "Binder Error: column x\nLINE 3: select x"
    assert "0101851234" not in failures[1][2]
    assert warned == [("test t2", "Got 2 results")]


def _event(name: str, level: str = "info", msg: str = "", **data: object) -> SimpleNamespace:
    return SimpleNamespace(info=SimpleNamespace(name=name, level=level, msg=msg),
                           data=SimpleNamespace(**data))


def test_progress_is_a_line_per_tenth_off_a_terminal(tmp_path: Path) -> None:
    with (tmp_path / "out.txt").open("w+") as out:
        progress = Progress(out, tty=False)
        progress(_event("LogStartLine", total=20))
        for _ in range(20):
            progress(_event("NodeFinished",
                            node_info=SimpleNamespace(resource_type="test")))
        progress(_event("JinjaLogInfo", msg="WARNING: the   key\n is not set"))
        progress(_event("SomeDeprecation", level="warn", msg="old config 010185-1234"))
        out.seek(0)
        lines = out.read().splitlines()
    assert lines[0] == "dbt: 1/20 done (data tests 1)"
    assert lines[-1] == "dbt: 20/20 done (data tests 20)"
    assert len(lines) == 11
    assert progress.warnings == ["WARNING: the key is not set",
                                 "old config <10 digits hidden>"]


def test_cpr_shaped_text_is_hidden() -> None:
    assert redact("row 0101851234 and 010185-1234, id 12345") == (
        "row <10 digits hidden> and <10 digits hidden>, id 12345")


def test_the_lock_sentence_names_the_program_and_the_pid() -> None:
    error = OSError('IO Error: Could not set lock on file "/x/w.duckdb": Conflicting lock is '
                    "held in /usr/bin/dbeaver (PID 42). See also https://duckdb.org/docs")
    wrapped = RuntimeError("could not open")
    wrapped.__cause__ = error
    sentence = locked_message(wrapped)
    assert sentence is not None
    assert sentence.startswith("The warehouse /x/w.duckdb is held open by /usr/bin/dbeaver "
                               "(PID 42): close that program")
    assert locked_sentence("Catalog Error: no table") is None


def test_a_national_delivery_builds_one_model_at_a_time(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bif_ydelsesforloeb_20220114.csv").write_bytes(b"x" * 600)
    (raw / "CPR_PERSONER.CSV").write_bytes(b"x" * 400)
    (raw / "notes.txt").write_bytes(b"x" * 5000)
    (raw / "folder.csv").mkdir()
    monkeypatch.delenv("DBT_THREADS", raising=False)
    assert dbt_run.delivery_bytes(raw) == 1000
    assert dbt_run.delivery_bytes(tmp_path / "missing") == 0
    monkeypatch.setattr(dbt_run, "ONE_THREAD_FROM_BYTES", 1000)
    assert dbt_run.threads_arguments([], raw) == ["--threads", "1"]
    assert dbt_run.threads_arguments(["--select", "staging+"], raw) == ["--threads", "1"]
    assert dbt_run.threads_arguments(["--threads", "4"], raw) == []
    assert dbt_run.threads_arguments(["--threads=2"], raw) == []
    monkeypatch.setattr(dbt_run, "ONE_THREAD_FROM_BYTES", 1001)
    assert dbt_run.threads_arguments([], raw) == []
    monkeypatch.setattr(dbt_run, "ONE_THREAD_FROM_BYTES", 1)
    monkeypatch.setenv("DBT_THREADS", "2")
    assert dbt_run.threads_arguments([], raw) == []


def test_a_build_on_a_warehouse_counts_only_the_files_it_loads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The threads follow the bytes a build loads: on a warehouse whose last build kept
    the facts of the old files, the new files only; everything with --full-refresh, or
    once an old file has been rewritten."""
    raw = tmp_path / "raw"
    raw.mkdir()
    old = raw / "bif_ydelsesforloeb_20220114.csv"
    old.write_bytes(b"h\n" + b"x\n" * 299)
    monkeypatch.setattr(raw_intake, "_MEMO", {})
    monkeypatch.setattr(raw_intake, "TRUST_MARGIN_NS", 0)
    raw_intake.raw_listing(str(raw), "bif_ydelsesforloeb")
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create table main.raw_file_facts as select ? as kept_facts",
                           [raw_intake.export_facts()])
    (raw / "bif_ydelsesforloeb_20220214.csv").write_bytes(b"x" * 400)
    monkeypatch.delenv("DBT_THREADS", raising=False)
    monkeypatch.setattr(dbt_run, "ONE_THREAD_FROM_BYTES", 500)
    assert dbt_run.threads_arguments([], raw) == ["--threads", "1"]
    assert dbt_run.threads_arguments([], raw, tmp_path / "missing.duckdb") == [
        "--threads", "1"]
    assert dbt_run.threads_arguments([], raw, warehouse) == []
    assert dbt_run.threads_arguments(["--full-refresh"], raw, warehouse) == [
        "--threads", "1"]
    time.sleep(0.05)
    old.write_bytes(old.read_bytes())
    assert dbt_run.threads_arguments([], raw, warehouse) == ["--threads", "1"]


def test_the_raw_folder_is_the_one_dbt_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAELLESBORGER_RAW_DIR", raising=False)
    assert dbt_run.raw_dir_of([]) == Path("data/raw")
    monkeypatch.setenv("FAELLESBORGER_RAW_DIR", "/deliveries/2022")
    assert dbt_run.raw_dir_of(["--select", "staging+"]) == Path("/deliveries/2022")
    assert dbt_run.raw_dir_of(["--vars", "{raw_dir: /other, year: 2020}"]) == Path("/other")
    assert dbt_run.raw_dir_of(["--vars", "{year: 2020}"]) == Path("/deliveries/2022")
    assert dbt_run.raw_dir_of(["--vars", "{unbalanced"]) == Path("/deliveries/2022")
