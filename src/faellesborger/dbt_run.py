"""``faellesborger build``: ``dbt build`` with progress and a summary a person can read.

dbt runs in this process through its programmatic entry point (``dbtRunner``) with its
console output off (``--log-level none``); its full log goes to ``dbt.log`` in the
log path at debug level, and its results to ``run_results.json``. A callback on dbt's
events counts the finished nodes (progress: one updating line on a terminal, a plain line
per tenth of the nodes otherwise) and collects the warnings. At the end it prints how
many seeds, models, data tests and unit tests passed, warned, failed or were skipped,
every warning, every failing node with dbt's message, the elapsed time, and where the
warehouse, the publication and the log are. Exit code 0 only when dbt succeeded.

A delivery of national size (``ONE_THREAD_FROM_BYTES`` of raw files or more) builds one
model at a time (``--threads 1``), unless ``--threads`` or ``DBT_THREADS`` says otherwise.

A warehouse file held open by another program ends the run with one sentence
(:mod:`faellesborger.warehouse_lock`). Messages are dbt's (never result rows); anything
that looks like a CPR number in them is hidden all the same.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from faellesborger import raw_intake
from faellesborger.cpr_shape import CPR_LIKE_REGEX
from faellesborger.warehouse_lock import locked_message, locked_sentence

# A CPR number's shape (cpr_shape.py, the quality suites' own), not inside a longer number.
CPR_SHAPE = re.compile(rf"(?<![0-9]){CPR_LIKE_REGEX}(?![0-9])")
KINDS = (("seed", "seeds"), ("model", "models"), ("test", "data tests"),
         ("unit_test", "unit tests"))
# A delivery with this many bytes of raw files or more builds one model at a time. On two
# cores, two heavy models at a time share DuckDB's memory limit and spill: one at a time
# built scales 10 and 30 about a tenth faster, with less CPU and no more memory. Scales
# 1 and 3 (63 and 188 MB) built faster two at a time, which overlaps dbt's own work per
# node; the limit lies between 188 and 628 MB (BENCHMARKS.md, "Measured by hand,
# 2026-12-01 22:09-23:01 UTC").
ONE_THREAD_FROM_BYTES = 350_000_000
OUTCOMES = {"success": "passed", "pass": "passed", "warn": "warned", "fail": "failed",
            "error": "failed", "runtime error": "failed", "skipped": "skipped",
            "no-op": "passed", "partial success": "failed"}


def redact(text: str) -> str:
    """``text`` with anything shaped like a CPR number hidden."""
    return CPR_SHAPE.sub("<10 digits hidden>", text)


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{seconds:.1f} s"


@dataclass
class Progress:
    """What the callback sees of dbt's events (called from dbt's worker threads)."""

    out: TextIO
    tty: bool
    total: int = 0
    done: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    last_tenth: int = -1
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, event: Any) -> None:
        name = event.info.name
        with self.lock:
            if name == "FoundStats":
                self._line(f"dbt: found {event.data.stat_line}")
            elif name == "LogStartLine" and event.data.total:
                self.total = max(self.total, int(event.data.total))
            elif name == "NodeFinished":
                kind = event.data.node_info.resource_type
                if kind in dict(KINDS):
                    self.done[kind] += 1
                    self._progress()
            elif self._is_warning(name, event):
                self._warn(event.info.msg)
            elif event.info.level == "error" and name not in (
                    "LogTestResult", "LogModelResult", "LogSeedResult", "RunResultError",
                    "RunResultFailure", "RunResultErrorNoMessage"):
                self.errors.append(event.info.msg)

    @staticmethod
    def _is_warning(name: str, event: Any) -> bool:
        """A macro's ``log("WARNING: ...")`` or any of dbt's warn-level events (the tests
        that warn come from the results)."""
        if name == "JinjaLogInfo":
            return bool(event.info.msg.startswith("WARNING"))
        return bool(event.info.level == "warn" and name not in (
            "LogTestResult", "RunResultWarning", "RunResultWarningMessage"))

    def _warn(self, message: str) -> None:
        text = redact(" ".join(message.split()))
        if text not in self.warnings:
            self.warnings.append(text)

    def _line(self, text: str) -> None:
        if self.tty:
            self.out.write("\r\033[K")
        self.out.write(text + "\n")
        self.out.flush()

    def _progress(self) -> None:
        finished = sum(self.done.values())
        parts = ", ".join(f"{label} {self.done[kind]}" for kind, label in KINDS
                          if self.done[kind])
        text = f"dbt: {finished}/{self.total or '?'} done ({parts})"
        if self.tty:
            self.out.write("\r\033[K" + text)
            self.out.flush()
            return
        tenth = finished * 10 // self.total if self.total else 0
        if tenth > self.last_tenth:
            self.last_tenth = tenth
            self.out.write(text + "\n")
            self.out.flush()

    def end_line(self) -> None:
        if self.tty:
            self.out.write("\r\033[K")
            self.out.flush()


def _option(arguments: list[str], name: str) -> str | None:
    for index, argument in enumerate(arguments):
        if argument == name and index + 1 < len(arguments):
            return arguments[index + 1]
        if argument.startswith(name + "="):
            return argument.split("=", 1)[1]
    return None


def delivery_bytes(raw_dir: Path, read_before: frozenset[str] = frozenset()) -> int:
    """The size of the raw folder's ``.csv`` files (any case) in bytes, but those whose
    real path is in ``read_before``; 0 without the folder. Only the folder's listing and
    the files' sizes are read, never a file."""
    try:
        entries = list(os.scandir(raw_dir))
    except OSError:
        return 0
    total = 0
    for entry in entries:
        try:
            if entry.name.lower().endswith(".csv") and entry.is_file() \
                    and os.path.realpath(entry.path) not in read_before:
                total += entry.stat().st_size
        except OSError:
            continue
    return total


def files_read_before(warehouse: Path) -> frozenset[str]:
    """The raw files (real paths) whose facts the warehouse's last build kept and that
    are unchanged since (``main.raw_file_facts``, ``raw_intake.unchanged_kept_files``):
    an incremental build loads none of them. Empty without the warehouse or the table,
    or when the file cannot be opened (another program writing it)."""
    if not warehouse.is_file():
        return frozenset()
    import duckdb

    try:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            found = connection.execute(
                "select kept_facts from main.raw_file_facts").fetchone()
    except duckdb.Error:
        return frozenset()
    return raw_intake.unchanged_kept_files(found[0] if found else None)


def threads_arguments(dbt_arguments: list[str], raw_dir: Path,
                      warehouse: Path | None = None) -> list[str]:
    """``--threads 1`` when the build loads ``ONE_THREAD_FROM_BYTES`` or more of raw
    files, unless the arguments or ``DBT_THREADS`` set the threads; else nothing (the
    profile's two). Without ``--full-refresh``, a build on ``warehouse`` loads only the
    files its last build did not read (``files_read_before``): a monthly delivery added
    to a national warehouse builds two models at a time."""
    if _option(dbt_arguments, "--threads") is not None or os.environ.get("DBT_THREADS"):
        return []
    read_before = frozenset() if warehouse is None or "--full-refresh" in dbt_arguments \
        else files_read_before(warehouse)
    to_load = delivery_bytes(raw_dir, read_before)
    return ["--threads", "1"] if to_load >= ONE_THREAD_FROM_BYTES else []


def raw_dir_of(dbt_arguments: list[str]) -> Path:
    """The raw folder dbt will read: var ``raw_dir`` of ``--vars``, else
    ``FAELLESBORGER_RAW_DIR``, else ``data/raw`` (as dbt_project.yml says)."""
    given = _option(dbt_arguments, "--vars")
    if given:
        try:
            values = yaml.safe_load(given)
        except yaml.YAMLError:
            values = None
        if isinstance(values, dict) and values.get("raw_dir"):
            return Path(str(values["raw_dir"]))
    return Path(os.environ.get("FAELLESBORGER_RAW_DIR") or "data/raw")


def _paths(arguments: list[str]) -> tuple[Path, Path]:
    """dbt's log and target paths of this invocation."""
    log = (_option(arguments, "--log-path") or os.environ.get("DBT_LOG_PATH") or "logs")
    target = (_option(arguments, "--target-path") or os.environ.get("DBT_TARGET_PATH")
              or "target")
    return Path(log), Path(target)


def _summary_rows(results: list[Any]) -> tuple[list[str], list[tuple[str, str, str]],
                                               list[tuple[str, str]]]:
    counts: dict[str, Counter[str]] = {kind: Counter() for kind, _ in KINDS}
    failures: list[tuple[str, str, str]] = []
    warned: list[tuple[str, str]] = []
    for result in results:
        node = result.node
        kind = getattr(node, "resource_type", "")
        kind = getattr(kind, "value", kind)
        status = str(getattr(result.status, "value", result.status))
        outcome = OUTCOMES.get(status, status)
        if kind in counts:
            counts[kind][outcome] += 1
        message = redact(str(result.message or "").strip())
        label = f"{kind} {node.name}"
        if outcome == "failed":
            failures.append((label, str(getattr(node, "original_file_path", "")), message))
        elif outcome == "warned":
            warned.append((label, message))
    lines = []
    for kind, label in KINDS:
        count = counts[kind]
        if not count:
            continue
        parts = [f"{count[outcome]} {outcome}"
                 for outcome in ("passed", "warned", "failed", "skipped") if count[outcome]]
        lines.append(f"  {label:11s} {', '.join(parts)}")
    return lines, failures, warned


def run_build(dbt_arguments: list[str], out: TextIO | None = None) -> int:
    """``dbt build`` with ``dbt_arguments``; prints progress and the summary; exit code."""
    from dbt.cli.main import dbtRunner

    stream = out or sys.stdout
    tty = stream.isatty()
    warehouse = Path(os.environ.get("FAELLESBORGER_DB", "data/faellesborger.duckdb"))
    progress = Progress(stream, tty)
    # Nothing on the console from dbt itself; its full log at debug level in dbt.log (a
    # --log-level-file in dbt_arguments comes later and wins).
    threads = threads_arguments(dbt_arguments, raw_dir_of(dbt_arguments), warehouse)
    arguments = ["build", "--log-level", "none", "--log-level-file", "debug", *threads,
                 *dbt_arguments]
    log_path, target_path = _paths(dbt_arguments)
    stream.write(f"dbt build {' '.join(dbt_arguments)}".rstrip()
                 + f" (dbt's full log: {log_path / 'dbt.log'})\n")
    if threads:
        stream.write(f"One model at a time (--threads 1): the build loads "
                     f"{ONE_THREAD_FROM_BYTES / 1e6:,.0f} MB or more of raw files "
                     "(DBT_THREADS or --threads chooses otherwise)\n")
    stream.flush()
    began = time.perf_counter()
    try:
        outcome = dbtRunner(callbacks=[progress]).invoke(arguments)
    except Exception as error:  # dbt raised instead of returning a result
        progress.end_line()
        sentence = locked_message(error, warehouse)
        stream.write((sentence or f"dbt stopped: {redact(str(error).splitlines()[0])}. "
                      f"See {log_path / 'dbt.log'}.") + "\n")
        return 1
    elapsed = time.perf_counter() - began
    progress.end_line()
    results = list(getattr(outcome.result, "results", None) or [])
    texts = [*(str(getattr(result, "message", "") or "") for result in results),
             *progress.errors]
    sentence = (locked_message(outcome.exception, warehouse) if outcome.exception else None)
    for text in texts:
        sentence = sentence or locked_sentence(text, warehouse)
    if sentence:
        stream.write(sentence + "\n")
        return 1
    lines, failures, warned = _summary_rows(results)
    state = "succeeded" if outcome.success else "FAILED"
    stream.write(f"\ndbt build {state} in {_duration(elapsed)}:\n")
    stream.write("\n".join(lines) + ("\n" if lines else "  nothing was selected\n"))
    if progress.warnings or warned:
        stream.write(f"Warnings ({len(progress.warnings) + len(warned)}):\n")
        for warning in progress.warnings:
            stream.write(f"  - {warning}\n")
        for label, message in warned:
            stream.write(f"  - {label}: {message}\n")
    if failures:
        stream.write(f"Failed ({len(failures)}):\n")
        for label, path, message in failures:
            stream.write(f"  - {label} ({path}):\n")
            for line in message.splitlines():
                stream.write(f"      {line}\n")
    if outcome.exception is not None:
        stream.write(f"dbt stopped: {redact(str(outcome.exception).strip())}\n")
    elif not outcome.success and not failures:
        for message in progress.errors:
            stream.write(f"  - {redact(message)}\n")
    from faellesborger.publication import PUBLISH_DIR_VARIABLE

    publish = Path(os.environ.get(PUBLISH_DIR_VARIABLE) or warehouse.parent / "publish")
    stream.write(f"Warehouse:   {warehouse} (private to its owner; exact counts)\n")
    stream.write(f"Publication: {publish / 'current'} (disclosure-controlled, for BI tools)\n")
    stream.write(f"dbt's log:   {log_path / 'dbt.log'}; results: "
                 f"{target_path / 'run_results.json'}\n")
    stream.flush()
    return 0 if outcome.success else 1
