"""Run a command and measure its wall time, CPU time and the peak memory of its process tree.

The peak is sampled from /proc every 50 ms as the sum of the resident memory of the
process and all its descendants (so a dbt-spark run counts its Java child too), and
cross-checked with the kernel's own peak of the largest single process (ru_maxrss).
CPU time is user + system time of the process and every descendant it waited for (the
kernel's rusage of the reaped child), so all threads of dbt, DuckDB and Java count. The
machine's 1-minute load average is noted at the start and at the end.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Measurement:
    """What one run of a command cost."""

    seconds: float
    peak_mb: float
    returncode: int
    output: str
    cpu_seconds: float = 0.0
    load_start: float = 0.0
    load_end: float = 0.0


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: ppid follows the last ')'
        fields = stat[stat.rfind(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _tree_rss_kb(root: int) -> int:
    children = _children_map()
    total = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            fields = Path(f"/proc/{pid}/statm").read_text().split()
            total += int(fields[1]) * _PAGE_KB
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


def run_measured(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> Measurement:
    """Run ``command`` to its end; wall seconds, peak MB of its process tree, output."""
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryFile(mode="w+") as log:
        began = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, text=True
        )
        peak_kb = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_kb
            while not done.is_set():
                peak_kb = max(peak_kb, _tree_rss_kb(process.pid))
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - began
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    # the kernel's peak of the largest single process (a lower bound of the tree's)
    peak_kb = max(peak_kb, usage.ru_maxrss)
    return Measurement(seconds, peak_kb / 1024, process.returncode, output,
                       cpu_seconds=usage.ru_utime + usage.ru_stime,
                       load_start=load_start, load_end=os.getloadavg()[0])
