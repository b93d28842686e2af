"""Prints report tables from a built warehouse (opened read-only)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from faellesborger.build_state import IncompleteBuildError, check_complete


def danish_number(value: int | None) -> str:
    """A count as the report prints it: 139.895."""
    return "" if value is None else f"{value:,d}".replace(",", ".")


def print_tabel3(db: Path, year: int) -> int:
    """Print Tabel 3 of ``year``; returns a process exit code (1 when there is no
    warehouse, its last build did not complete, or it has no Tabel 3 for ``year``)."""
    if not db.exists():
        print(f"No warehouse at {db}: run `make build` first.")
        return 1
    with duckdb.connect(str(db), read_only=True) as con:
        try:
            check_complete(con, f"the warehouse {db}")
        except IncompleteBuildError as error:
            print(error)
            return 1
        rows = con.execute(
            """
            select row_label, lab_group_code, population, faellesborgere, share_pct,
                   row_kind, population_basis, faellesborgere_basis
            from marts.rpt_tabel3
            where year = ?
            order by sort_order
            """,
            [year],
        ).fetchall()
        years = [r[0] for r in con.execute(
            "select distinct year from marts.rpt_tabel3 order by year").fetchall()]
    if not rows:
        print(f"No Tabel 3 for {year}; the warehouse covers {', '.join(map(str, years))}.")
        return 1
    print("\nTabel 3: Antal og andel af fællesborgere ift. borgere med aktiv indsats i BIF, "
          f"{year}")
    print(f"{'LAB-målgruppe':58s} {'Antal i LAB-gruppe':>18s} {'Fællesborgere':>14s} "
          f"{'Andel':>8s}")
    print("-" * 101)
    notes = []
    for label, code, population, faellesborgere, share, kind, pop_basis, fb_basis in rows:
        name = f"{label} (LAB § {code})" if code else label
        mark = ""
        if kind == "total":
            mark = " *" if "unique_citizens" in (pop_basis, fb_basis) else ""
            notes.append(f"{label}: population = {pop_basis}, fællesborgere = {fb_basis}")
        share_text = "" if share is None else f"{share} pct."
        print(f"{name[:58]:58s} {danish_number(population):>18s} "
              f"{danish_number(faellesborgere):>14s} {share_text:>8s}{mark}")
    print("-" * 101)
    print("Totals as the report shows them (marts.rpt_tabel3 holds both kinds):")
    for note in notes:
        print(f"  {note}")
    print(f"Years in the warehouse: {', '.join(map(str, years))}.\n")
    return 0
