"""The benchmark floor: `bench/floor.sql`, one hand-written DuckDB script over the raw CSV files.

`run_floor` fills the script's placeholders (the seeds folder and, per extract, the raw
files of each encoding), runs it in an in-memory DuckDB connection and returns the
figures `(figure, key, value)` in the shape of `bench/warehouse_figures.sql`.

    PYTHONPATH=bench python -m faellesborger_bench.floor --raw-dir DIR --out FILE.csv
"""

from __future__ import annotations

import argparse
import codecs
import csv
import sys
import tempfile
import time
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCRIPT = PROJECT_DIR / "bench" / "floor.sql"
SEEDS_DIR = PROJECT_DIR / "seeds"

# placeholder prefix -> (extract file prefix, the columns the script reads)
EXTRACTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "BIF": (
        "bif_ydelsesforloeb",
        ("forloeb_id", "cpr", "maalgruppe", "startdato", "slutdato", "udtraeksdato", "ydelse",
         "akasse"),
    ),
    "SOF": (
        "sof_bevillinger",
        ("bevilling_id", "cpr", "indsats_kode", "startdato", "slutdato", "udtraeksdato"),
    ),
    "CUSTODY": (
        "sof_foraeldremyndighed",
        ("barn_cpr", "foraelder_cpr", "startdato", "slutdato", "udtraeksdato"),
    ),
}

_CHUNK = 1 << 24


def is_utf8(path: Path) -> bool:
    """True when the file decodes as UTF-8 (a BOM is fine); otherwise it is Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _sql_list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(path).replace("'", "''") + "'" for path in paths) + "]"


def placeholders(raw_dir: Path, stub_dir: Path) -> dict[str, str]:
    """The values of the script's placeholders; writes a header-only stub per extract."""
    values = {"RAW_DIR": str(raw_dir), "SEEDS_DIR": str(SEEDS_DIR)}
    for name, (extract, columns) in EXTRACTS.items():
        files = sorted(raw_dir.glob(f"{extract}*.csv"))
        if not files:
            raise FileNotFoundError(f"Required extract '{extract}' has no file in {raw_dir}")
        # the stub keeps every list non-empty and every column the script reads present
        stub = stub_dir / f"{extract}.csv"
        stub.write_text(";".join(columns) + "\n", encoding="ascii")
        utf8 = [path for path in files if is_utf8(path)]
        latin1 = [path for path in files if path not in utf8]
        values[f"{name}_UTF8"] = _sql_list([*utf8, stub])
        values[f"{name}_LATIN1"] = _sql_list([*latin1, stub])
    return values


def fill(script: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        script = script.replace("${" + name + "}", value)
    if "${" in script:
        raise ValueError("bench/floor.sql has an unfilled placeholder")
    return script


def run_floor(
    raw_dir: Path, threads: int | None = None, memory_limit: str | None = None
) -> list[tuple[str, str, int]]:
    """The floor's figures for the raw folder: (figure, key, value) rows."""
    raw_dir = Path(raw_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="floor_") as stub_dir:
        script = fill(SCRIPT.read_text(encoding="utf-8"), placeholders(raw_dir, Path(stub_dir)))
        config: dict[str, str | bool | int | float | list[str]] = {}
        if threads is not None:
            config["threads"] = threads
        if memory_limit is not None:
            config["memory_limit"] = memory_limit
        con = duckdb.connect(":memory:", config=config)
        try:
            statements = list(con.extract_statements(script))
            for statement in statements[:-1]:
                con.execute(statement)
            rows = con.execute(statements[-1]).fetchall()
        finally:
            con.close()
    return [(str(figure), str(key), int(value)) for figure, key, value in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the benchmark floor (bench/floor.sql).")
    parser.add_argument("--raw-dir", type=Path, required=True, help="folder of the raw CSV files")
    parser.add_argument("--out", type=Path, required=True, help="CSV file for the figures")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--memory-limit", default=None, help="e.g. 2GB")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    figures = run_floor(args.raw_dir, threads=args.threads, memory_limit=args.memory_limit)
    elapsed = time.perf_counter() - started

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["figure", "key", "value"])
        writer.writerows(figures)
    print(f"floor: {len(figures)} figures in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
