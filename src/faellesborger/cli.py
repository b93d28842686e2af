"""Command line: ``faellesborger build``, ``generate``, ``tabel3``, ``figures``,
``bilag1a-figure``, ``quality`` and ``bi-bundle``."""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from faellesborger.generator import generate_population
from faellesborger.writer import write_delivery

DEFAULT_SEED = 2020


def generate(out: Path, seed: int = DEFAULT_SEED, scale: float = 1.0) -> dict[str, int]:
    """Generate a synthetic delivery into ``out``; the number of rows per file."""
    population = generate_population(seed, scale)
    return write_delivery(population, out, seed)


def _cmd_generate(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.add_month:
        from faellesborger.generator import add_month

        for name, rows in add_month(out, args.seed).items():
            print(f"  {name:42s} {rows:>12,d} rows")
        return 0
    if args.if_empty and out.is_dir() and any(out.glob("*.csv")):
        print(f"{out} already holds a delivery; not generating.")
        return 0
    began = time.perf_counter()
    counts = generate(out, args.seed, args.scale)
    seconds = time.perf_counter() - began
    size = sum((out / name).stat().st_size for name in counts)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for name, rows in counts.items():
        print(f"  {name:42s} {rows:>12,d} rows")
    print(f"Wrote {sum(counts.values()):,d} rows, {size / 1e6:.1f} MB to {out} "
          f"(scale {args.scale}, seed {args.seed}) in {seconds:.1f} s, "
          f"peak memory {peak_mb:.0f} MB.")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from faellesborger.dbt_run import run_build

    return run_build(list(args.dbt_args))


def _cmd_tabel3(args: argparse.Namespace) -> int:
    from faellesborger.report import print_tabel3

    return print_tabel3(Path(args.db), args.year)


def _render(db_arg: str, what: str, render: Callable[[Path], list[Path]]) -> int:
    """Render ``what`` from the warehouse at ``db_arg``: the paths written, or one line why not."""
    import duckdb

    from faellesborger.build_state import IncompleteBuildError
    from faellesborger.figures import FigureDataError

    db = Path(db_arg)
    if not db.exists():
        print(f"No warehouse at {db}: run `make build` first.")
        return 1
    try:
        written = render(db)
    except FigureDataError as error:
        print(f"Cannot render {what}: {error}.")
        return 1
    except (IncompleteBuildError, duckdb.CatalogException) as error:
        print(error)
        return 1
    for path in written:
        print(f"  wrote {path}")
    return 0


def _cmd_figures(args: argparse.Namespace) -> int:
    from faellesborger.figures import render_figures

    return _render(args.db, "the figures",
                   lambda db: render_figures(db, args.year, Path(args.out)))


def _cmd_bilag1a_figure(args: argparse.Namespace) -> int:
    from faellesborger.figures import render_bilag1a_figure

    return _render(args.db, "the figure",
                   lambda db: render_bilag1a_figure(db, args.snapshot, Path(args.out)))


def _cmd_quality(args: argparse.Namespace) -> int:
    from faellesborger.quality import QualityError, Thresholds, format_report, run_quality

    db = Path(args.db)
    if db.exists():
        # The suites read the marts: refuse a half-built warehouse (build_state.py).
        import duckdb

        from faellesborger.build_state import IncompleteBuildError, check_complete

        with duckdb.connect(str(db), read_only=True) as con:
            try:
                check_complete(con, f"the warehouse {db}")
            except IncompleteBuildError as error:
                print(f"Cannot validate the warehouse: {error}")
                return 1
    thresholds = (Thresholds() if args.max_quarantine_share is None
                  else Thresholds(max_quarantine_share=args.max_quarantine_share))
    try:
        report = run_quality(db, Path(args.docs), thresholds)
    except QualityError as error:
        print(f"Cannot validate the warehouse: {error}")
        return 1
    print(format_report(report, db))
    return 0 if report.success else 1


def _cmd_bi_bundle(args: argparse.Namespace) -> int:
    from faellesborger.bi import BundleError, write_bundle

    try:
        out = write_bundle(Path(args.source), Path(args.publish_dir), Path(args.out))
    except BundleError as error:
        print(f"Cannot provision the dashboard: {error}")
        return 1
    print(f"Wrote the dashboard bundle {out} (the publication in {args.publish_dir}).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="faellesborger", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    bld = sub.add_parser(
        "build", allow_abbrev=False,
        help="dbt build with progress and a summary (dbt's full log in its log file); "
             "other arguments go to dbt build (e.g. --select staging+)")
    bld.set_defaults(func=_cmd_build)
    gen = sub.add_parser("generate", help="write a synthetic delivery of the raw extracts")
    gen.add_argument("--out", default="data/raw", help="raw folder to write (default data/raw)")
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED)
    gen.add_argument("--scale", type=float, default=1.0,
                     help="size relative to Copenhagen 2019-2021 (10 is about all of Denmark)")
    gen.add_argument("--if-empty", action="store_true",
                     help="do nothing if the folder already holds CSV files")
    gen.add_argument("--add-month", action="store_true",
                     help="add one monthly file per extract to the delivery in --out, a "
                          "month after its latest extraction date (--scale is not used)")
    gen.set_defaults(func=_cmd_generate)
    tab = sub.add_parser("tabel3", help="print Tabel 3 of a built warehouse")
    tab.add_argument("--db", required=True, help="warehouse DuckDB file")
    tab.add_argument("--year", type=int, default=2020)
    tab.set_defaults(func=_cmd_tabel3)
    fig = sub.add_parser("figures", help="render Figur 1 and Figur 2 of a built warehouse "
                                          "as PNG and SVG")
    fig.add_argument("--db", required=True, help="warehouse DuckDB file")
    fig.add_argument("--year", type=int, default=2020)
    fig.add_argument("--out", default="docs/figures",
                     help="folder to write figur1/figur2 .png and .svg (default docs/figures)")
    fig.set_defaults(func=_cmd_figures)
    b1a = sub.add_parser("bilag1a-figure", help="render Bilag 1a's Figur 1 (duration on "
                                                 "public support per group) as PNG and SVG")
    b1a.add_argument("--db", required=True, help="warehouse DuckDB file")
    b1a.add_argument("--snapshot", default="2021-09-30",
                     help="snapshot day, a month's last day (default 2021-09-30)")
    b1a.add_argument("--out", default="docs/figures",
                     help="folder to write bilag1a_figur1 .png and .svg (default docs/figures)")
    b1a.set_defaults(func=_cmd_bilag1a_figure)
    qua = sub.add_parser("quality", help="validate a built warehouse (opened read-only) with "
                                         "the Great Expectations suites; exit 1 on a failure")
    qua.add_argument("--db", required=True, help="warehouse DuckDB file")
    qua.add_argument("--docs", default="target/gx/data_docs",
                     help="folder for the Data Docs (HTML; default target/gx/data_docs)")
    qua.add_argument("--max-quarantine-share", type=float, default=None,
                     help="largest share of a raw file's rows that may be quarantined "
                          "(default 0.05)")
    qua.set_defaults(func=_cmd_quality)
    bib = sub.add_parser("bi-bundle", help="zip the Superset dashboard of bi/dashboard/ for "
                                           "import, its database the current publication")
    bib.add_argument("--publish-dir", required=True,
                     help="the publish dir (its `current` release is registered)")
    bib.add_argument("--source", default="bi/dashboard",
                     help="Superset export folder (default bi/dashboard)")
    bib.add_argument("--out", required=True, help="ZIP file to write")
    bib.set_defaults(func=_cmd_bi_bundle)
    args, extra = parser.parse_known_args(argv)
    if args.command == "build":
        args.dbt_args = [argument for argument in extra if argument != "--"]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.func(args))
    except Exception as error:
        # Another program holding the warehouse file: one sentence, no traceback.
        from faellesborger.warehouse_lock import locked_message

        sentence = locked_message(error, getattr(args, "db", None))
        if sentence is None:
            raise
        print(sentence, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
