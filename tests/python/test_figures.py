"""Figur 1 and Figur 2 render from the disclosure-controlled publication tables of a
(tiny, hand-made) warehouse: it has no exact mart (rpt_tabel3, rpt_support_steps,
rpt_main_group_shares), so a figure reading one would fail."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from faellesborger.cli import main
from faellesborger.figures import (
    FigureDataError,
    GroupFaellesborgere,
    MainGroup,
    main_group_shares,
    render_figures,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def tiny_warehouse(path: Path) -> Path:
    """A DuckDB file with the mart tables and columns the figures read, for 2020."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        # A completed build, as the on-run hooks record it (macros/build_state.sql).
        con.execute("""
            create table main.build_state as
            select * from (values
                ('tiny', timestamp '2026-01-01 10:00', 'running', 35, 35, 0),
                ('tiny', timestamp '2026-01-01 10:05', 'complete', 35, 35, 0)
            ) as t(invocation_id, event_at, status, models_selected, models_total,
                   models_failed)
        """)
        # published counts: rounded, and a withheld group (null) as in the publication
        con.execute("""
            create table marts.rpt_publication_tabel3 as
            select * from (values
                (2020, 1, 'Dagpengemodtagere (forsikrede ledige)', 'group', '6.1', 'klar', 550),
                (2020, 4, 'Sygedagpengemodtagere', 'group', '6.6', 'sygemeldt', 700),
                (2020, 6, 'Borgere i revalidering', 'group', '6.8', 'kanten', null),
                (2020, 7, 'Aktivitetsparate unge', 'group', '6.5', 'kanten', 1150),
                (2020, 8, 'Aktivitetsparate voksne', 'group', '6.3', 'kanten', 2550),
                (2020, 11, 'Hovedtotal', 'total', null, null, 4950)
            ) as t(year, sort_order, row_label, row_kind, lab_group_code, main_group_code,
                   faellesborgere)
        """)
        con.execute("""
            create table marts.dim_lab_target_group as
            select * from (values
                ('6.1', 'klar', 'Borgere der er klar til at starte i job eller uddannelse', 1),
                ('6.6', 'sygemeldt', 'Sygemeldte borgere m.v.', 2),
                ('6.5', 'kanten', 'Borgere i kanten af arbejdsmarkedet el. uddannelse', 3),
                ('6.3', 'kanten', 'Borgere i kanten af arbejdsmarkedet el. uddannelse', 3)
            ) as t(lab_group_code, main_group_code, main_group_name, main_group_sort_order)
        """)
        con.execute("""
            create table marts.rpt_publication_support_steps as
            select * from (values
                (2020, 1, 'Let støttebehov', 3150, 68),
                (2020, 2, 'Moderat støttebehov', 900, 82),
                (2020, 3, 'Omfattende støttebehov', 2350, 78),
                (2020, 4, 'Massivt støttebehov', null, null)
            ) as t(year, support_step, step_label, faellesborgere, share_kanten_pct)
        """)
    return path


def test_both_figures_render_as_png_and_svg(tmp_path: Path) -> None:
    db = tiny_warehouse(tmp_path / "tiny.duckdb")
    out = tmp_path / "figures"
    written = render_figures(db, 2020, out)
    assert sorted(p.name for p in written) == [
        "figur1.png", "figur1.svg", "figur2.png", "figur2.svg"]
    for name in ("figur1", "figur2"):
        png = (out / f"{name}.png").read_bytes()
        svg = (out / f"{name}.svg").read_text(encoding="utf-8")
        assert len(png) > 1000 and png.startswith(PNG_SIGNATURE)
        assert len(svg) > 1000 and "<svg" in svg
    # no date in the SVG: the same marts give byte-identical files (reviewable diffs)
    again = render_figures(db, 2020, tmp_path / "again")
    assert [p.read_bytes() for p in again if p.suffix == ".svg"] == [
        (out / f"{name}.svg").read_bytes() for name in ("figur1", "figur2")]


def test_the_command_line_writes_the_figures(tmp_path: Path) -> None:
    db = tiny_warehouse(tmp_path / "tiny.duckdb")
    out = tmp_path / "docs" / "figures"
    assert main(["figures", "--db", str(db), "--year", "2020", "--out", str(out)]) == 0
    for name in ("figur1.png", "figur1.svg", "figur2.png", "figur2.svg"):
        assert (out / name).stat().st_size > 0


def test_a_year_without_data_is_an_error(tmp_path: Path) -> None:
    db = tiny_warehouse(tmp_path / "tiny.duckdb")
    with pytest.raises(FigureDataError):
        render_figures(db, 1999, tmp_path / "none")
    assert main(["figures", "--db", str(db), "--year", "1999", "--out", str(tmp_path)]) == 1


def test_main_group_shares_come_from_the_shown_counts() -> None:
    groups = [GroupFaellesborgere("6.1", "a", "klar", 250),
              GroupFaellesborgere("6.3", "b", "kanten", 700),
              GroupFaellesborgere("6.8", "c", "kanten", None),  # withheld: not counted
              GroupFaellesborgere("6.5", "d", "kanten", 50)]
    main_groups = [MainGroup("klar", "Klar"), MainGroup("kanten", "Kanten"),
                   MainGroup("sygemeldt", "Sygemeldt")]
    assert main_group_shares(groups, main_groups) == {
        "klar": 25.0, "kanten": 75.0, "sygemeldt": 0.0}
    assert main_group_shares([], main_groups) == {
        "klar": None, "kanten": None, "sygemeldt": None}


def test_bilag1a_figure1_renders_from_the_published_durations(tmp_path: Path) -> None:
    """Bilag 1a's Figur 1 reads the publication's twin of rpt_benefit_duration:
    a group split into sub-groups shows them, a withheld cell reads "-"."""
    from faellesborger.figures import load_durations, render_bilag1a_figure

    db = tiny_warehouse(tmp_path / "tiny.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("""
            create or replace table marts.dim_lab_target_group as
            select * from (values
                ('6.1', 'Dagpengemodtagere (forsikrede ledige)', 'klar', 1),
                ('6.3', 'Aktivitetsparate voksne', 'kanten', 8)
            ) as t(lab_group_code, lab_group_name, main_group_code, sort_order)
        """)
        con.execute("""
            create table marts.rpt_publication_benefit_duration as
            select cast(d as date) as snapshot_date, * exclude (d) from (values
                ('2021-09-30', '6.1', 'alle', '0-26 uger', 900, 50.0),
                ('2021-09-30', '6.1', 'alle', 'over 3 år', 900, 50.0),
                ('2021-09-30', '6.1', 'akademikere', '0-26 uger', 560, 56.0),
                ('2021-09-30', '6.1', 'akademikere', 'over 3 år', 440, 44.0),
                ('2021-09-30', '6.1', 'ikke_akademikere', '0-26 uger', 340, 41.0),
                ('2021-09-30', '6.1', 'ikke_akademikere', 'over 3 år', 460, 59.0),
                ('2021-09-30', '6.3', 'alle', '0-26 uger', null, null),
                ('2021-09-30', '6.3', 'alle', 'over 3 år', 610, 100.0),
                ('2021-08-31', '6.3', 'alle', 'over 3 år', 600, 100.0)
            ) as t(d, lab_group_code, sub_group, duration_band, persons, share_pct)
        """)
    with duckdb.connect(str(db), read_only=True) as con:
        bands, rows = load_durations(con, "2021-09-30")
    assert bands == ["0-26 uger", "over 3 år"]
    assert [r.label for r in rows] == [
        "Dagpengemodtagere (forsikrede ledige), ikke akademikere (§ 6.1)",
        "Dagpengemodtagere (forsikrede ledige), akademikere (§ 6.1)",
        "Aktivitetsparate voksne (§ 6.3)"]
    assert rows[0].shares == (41.0, 59.0)
    assert rows[-1].shares[0] is None and rows[-1].shares[-1] == 100.0
    written = render_bilag1a_figure(db, "2021-09-30", tmp_path / "out")
    assert sorted(p.name for p in written) == ["bilag1a_figur1.png", "bilag1a_figur1.svg"]
    with pytest.raises(FigureDataError):
        render_bilag1a_figure(db, "1999-12-31", tmp_path / "none")
