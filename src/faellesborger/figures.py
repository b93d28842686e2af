"""Renders the report's Figur 1 and Figur 2 from a built warehouse (opened read-only).

Both figures are drawn from the disclosure-controlled publication (the
``rpt_publication_*`` tables, docs/publication.md), never from the exact marts: every
count they show or compute a share from is a published count (rounded, small counts
withheld), so a figure gives away nothing the published tables do not.

- Figur 1 (``figur1.png`` / ``.svg``): the share of the fællesborgere in each of the ten
  LAB target groups (``marts.rpt_publication_tabel3`` group rows, a share of the sum of
  the shown counts; a withheld group shows "-"), coloured by main group with kanten in
  red, and the main groups' shares (their groups' shown counts summed) in the legend.
  The main groups' names and order come from ``marts.dim_lab_target_group`` (the seeds;
  no counts).
- Figur 2 (``figur2.png`` / ``.svg``): the staircase of support need, four ascending
  steps with the fællesborgere per step and the share in kanten written on each
  (``marts.rpt_publication_support_steps``).
- Bilag 1a's Figur 1 (``bilag1a_figur1.png`` / ``.svg``, ``faellesborger bilag1a-figure``):
  the duration on public support of each LAB group's (and sub-group's) citizens on a
  snapshot day, stacked duration bands as shares
  (``marts.rpt_publication_benefit_duration``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from faellesborger.build_state import check_complete
from faellesborger.report import danish_number

KANTEN = "kanten"
MAIN_GROUP_COLOURS = {"kanten": "#c0392b", "sygemeldt": "#7f8c8d", "klar": "#2e86c1"}
FALLBACK_COLOURS = ("#16a085", "#8e44ad", "#d4ac0d")
STEP_COLOURS = ("#d6eaf8", "#aed6f1", "#5dade2", "#2874a6")
STEP_BASE_HEIGHT = 1.3
STEP_RISE = 0.9
FORMATS = ("png", "svg")


class FigureDataError(LookupError):
    """The warehouse has no data for the figure (wrong year, or not built)."""


@dataclass(frozen=True)
class GroupFaellesborgere:
    """One LAB group's published fællesborgere (a Tabel 3 group row; None: withheld)."""

    lab_group_code: str
    lab_group_name: str
    main_group_code: str
    faellesborgere: int | None


@dataclass(frozen=True)
class MainGroup:
    """A main group of Figur 1's legend, in its order."""

    main_group_code: str
    main_group_name: str


@dataclass(frozen=True)
class SupportStep:
    """One step of the staircase (Figur 2), with disclosure-controlled values only."""

    support_step: int
    step_label: str
    faellesborgere: int | None
    share_kanten_pct: int | None


def _int_or_none(value: object) -> int | None:
    return None if value is None else int(str(value))


def load_groups(con: duckdb.DuckDBPyConnection, year: int) -> list[GroupFaellesborgere]:
    rows = con.execute(
        """
        select lab_group_code, row_label, main_group_code, faellesborgere
        from marts.rpt_publication_tabel3
        where year = ? and row_kind = 'group'
        order by sort_order
        """,
        [year],
    ).fetchall()
    return [GroupFaellesborgere(str(code), str(name), str(main), _int_or_none(count))
            for code, name, main, count in rows]


def load_main_groups(con: duckdb.DuckDBPyConnection) -> list[MainGroup]:
    rows = con.execute(
        """
        select distinct main_group_code, main_group_name, main_group_sort_order
        from marts.dim_lab_target_group
        order by main_group_sort_order
        """
    ).fetchall()
    return [MainGroup(str(code), str(name)) for code, name, _ in rows]


def load_steps(con: duckdb.DuckDBPyConnection, year: int) -> list[SupportStep]:
    rows = con.execute(
        """
        select support_step, step_label, faellesborgere, share_kanten_pct
        from marts.rpt_publication_support_steps
        where year = ?
        order by support_step
        """,
        [year],
    ).fetchall()
    return [SupportStep(int(step), str(label), _int_or_none(count), _int_or_none(share))
            for step, label, count, share in rows]


def main_group_shares(groups: list[GroupFaellesborgere],
                      main_groups: list[MainGroup]) -> dict[str, float | None]:
    """Each main group's share (pct.) of the shown fællesborgere, its groups' shown counts
    summed; None when nothing is shown."""
    total = sum(group.faellesborgere or 0 for group in groups)
    return {main.main_group_code: (
                100.0 * sum(group.faellesborgere or 0 for group in groups
                            if group.main_group_code == main.main_group_code) / total
                if total else None)
            for main in main_groups}


def main_group_colour(code: str, order: list[str]) -> str:
    """Kanten red as in the report; other main groups from a fixed palette."""
    if code in MAIN_GROUP_COLOURS:
        return MAIN_GROUP_COLOURS[code]
    return FALLBACK_COLOURS[order.index(code) % len(FALLBACK_COLOURS)]


def percent_text(share: float | int | None) -> str:
    return "-" if share is None else f"{round(share):d} pct."


def count_text(count: int | None) -> str:
    """A published count as the figure prints it: "ca. 3.150", or "-" when withheld."""
    return "-" if count is None else f"ca. {danish_number(count)}"


def figure1(groups: list[GroupFaellesborgere], main_groups: list[MainGroup],
            year: int) -> Figure:
    """Bars of the ten LAB groups' shares of the shown fællesborgere, coloured by main
    group; a withheld group has no bar and reads "-"."""
    total = sum(group.faellesborgere or 0 for group in groups)
    shown: list[float | None] = [
        None if group.faellesborgere is None
        else 100.0 * group.faellesborgere / total if total else 0.0
        for group in groups]
    shares = [share or 0.0 for share in shown]
    main_shares = main_group_shares(groups, main_groups)
    order = [main.main_group_code for main in main_groups]
    colours = [main_group_colour(group.main_group_code, order) for group in groups]
    labels = [f"{group.lab_group_name} (§ {group.lab_group_code})" for group in groups]

    figure = Figure(figsize=(10, 6.2), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(groups)))
    bars = axes.barh(positions, shares, color=colours)
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.bar_label(bars, labels=[percent_text(share) for share in shown], padding=3)
    axes.set_xlim(0, max([*shares, 1.0]) * 1.18)
    axes.set_xlabel("Andel af fællesborgerne (pct., LAB-grupper summeret)")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    handles = [Patch(color=main_group_colour(main.main_group_code, order),
                     label=f"{main.main_group_name}: "
                           f"{percent_text(main_shares[main.main_group_code])}")
               for main in main_groups]
    figure.legend(handles=handles, loc="outside lower center", frameon=False)
    axes.set_title(f"Figur 1: Ydelsesmålgrupper i BIF der har fået en indsats i SOF i {year}",
                   loc="left", fontweight="bold")
    return figure


def figure2(steps: list[SupportStep], year: int) -> Figure:
    """The staircase: four ascending steps, each with its fællesborgere and kanten share."""
    figure = Figure(figsize=(10, 6.2), layout="constrained")
    axes = figure.add_subplot()
    top = STEP_BASE_HEIGHT + STEP_RISE * max(len(steps) - 1, 0)
    for index, step in enumerate(steps):
        height = STEP_BASE_HEIGHT + STEP_RISE * index
        colour = STEP_COLOURS[min(index, len(STEP_COLOURS) - 1)]
        axes.add_patch(Rectangle((index, 0), 1, height, facecolor=colour, edgecolor="white",
                                 linewidth=2))
        text_colour = "white" if index >= len(steps) / 2 else "black"
        axes.text(index + 0.5, height - 0.12,
                  f"Trin {step.support_step}\n{step.step_label}", ha="center", va="top",
                  fontsize=11, fontweight="bold", color=text_colour)
        axes.text(index + 0.5, height - 0.62,
                  f"{count_text(step.faellesborgere)} fællesborgere\n"
                  f"{percent_text(step.share_kanten_pct)} i kanten",
                  ha="center", va="top", fontsize=10.5, color=text_colour)
    axes.set_xlim(0, max(len(steps), 1))
    axes.set_ylim(0, top + 0.1)
    axes.set_axis_off()
    axes.set_title(f"Figur 2: Trappemodel for fællesborgernes støttebehov baseret på de "
                   f"indsatser, som de har modtaget i SOF i {year}", loc="left",
                   fontweight="bold", fontsize=11)
    figure.supxlabel("Børnesager står uden for trappen. Antal fællesborgere afrundet til "
                     "nærmeste 50; andel i kanten af arbejdsmarkedet el. uddannelse.",
                     x=0.01, ha="left", fontsize=9, color="#555555")
    return figure


def save(figure: Figure, out: Path, name: str) -> list[Path]:
    """Write ``name``.png and ``name``.svg into ``out``; the SVG is reproducible."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in FORMATS:
        path = out / f"{name}.{fmt}"
        if fmt == "svg":
            figure.savefig(path, format="svg", metadata={"Date": None})
        else:
            figure.savefig(path, format="png", dpi=150)
        written.append(path)
    return written


def render_figures(db: Path, year: int, out: Path) -> list[Path]:
    """Render Figur 1 and Figur 2 of ``year`` from warehouse ``db`` into ``out``; raises
    :class:`IncompleteBuildError` when the warehouse's last build did not complete."""
    with duckdb.connect(str(db), read_only=True) as con:
        check_complete(con, f"the warehouse {db}")
        groups = load_groups(con, year)
        main_groups = load_main_groups(con)
        steps = load_steps(con, year)
    if not groups or not main_groups or not steps:
        raise FigureDataError(f"the warehouse {db} has no Figur 1 / Figur 2 data for {year}")
    with mpl.rc_context({"svg.hashsalt": "faellesborger", "font.family": "DejaVu Sans"}):
        return [*save(figure1(groups, main_groups, year), out, "figur1"),
                *save(figure2(steps, year), out, "figur2")]


# ----------------------------------------------------------------- Bilag 1a, Figur 1
# Bilag 1a's Figur 1: duration on public support (rule 13, docs/rules.md#rule-13) of the
# citizens of each LAB group and sub-group with a spell on a snapshot day, as shares of
# them, per duration band. Read from the publication's disclosure-controlled twin of
# rpt_benefit_duration (columns as marts.rpt_benefit_duration: snapshot_date,
# lab_group_code, sub_group, duration_band, persons, share_pct; a withheld cell null;
# with duration_band_name and duration_band_sort_order the bands' names and order).

DURATION_BANDS = ("0-26 uger", "26-52 uger", "1-2 år", "2-3 år", "over 3 år")
DURATION_COLOURS = ("#d6eaf8", "#85c1e9", "#3498db", "#1f618d", "#c0392b")
SUB_GROUP_LABELS = {"akademikere": "akademikere", "ikke_akademikere": "ikke akademikere",
                    "ledige": "ledige", "ansatte": "ansatte i fleksjob"}
BENEFIT_DURATION_TABLE = "marts.rpt_publication_benefit_duration"


@dataclass(frozen=True)
class DurationRow:
    """One bar of Bilag 1a's Figur 1: a group (and sub-group) and its bands' shares."""

    lab_group_code: str
    label: str
    shares: tuple[float | None, ...]  # per band of the figure; None: withheld


def band_order(bands: set[str]) -> list[str]:
    """The bands present, rule 13's known labels in their order first, any other after."""
    known = [band for band in DURATION_BANDS if band in bands]
    return known + sorted(bands - set(known))


def load_durations(con: duckdb.DuckDBPyConnection,
                   snapshot: str) -> tuple[list[str], list[DurationRow]]:
    """The bands and the bars of the snapshot day, in the groups' order; a group split
    into sub-groups shows its sub-groups (its `alle` row is their union), others their
    `alle` row."""
    columns = {str(c[0]) for c in con.execute(f"describe {BENEFIT_DURATION_TABLE}").fetchall()}
    named = {"duration_band_name", "duration_band_sort_order"} <= columns
    band = "d.duration_band_name" if named else "d.duration_band"
    band_sort = "d.duration_band_sort_order" if named else "null"
    rows = con.execute(
        f"""
        with split as (
            select lab_group_code
            from {BENEFIT_DURATION_TABLE}
            where snapshot_date = cast(? as date) and sub_group != 'alle'
            group by lab_group_code
        )
        select d.lab_group_code, g.lab_group_name, d.sub_group, {band} as band,
               d.persons, d.share_pct, {band_sort} as band_sort_order
        from {BENEFIT_DURATION_TABLE} as d
        inner join marts.dim_lab_target_group as g on g.lab_group_code = d.lab_group_code
        where d.snapshot_date = cast(? as date)
          and (d.sub_group != 'alle') = (d.lab_group_code in (select lab_group_code from split))
        order by g.sort_order, d.sub_group desc
        """,
        [snapshot, snapshot],
    ).fetchall()
    bars: dict[tuple[str, str], tuple[str, dict[str, float | None], dict[str, int | None]]] = {}
    sorted_bands: dict[str, int] = {}
    for code, name, sub_group, band, persons, share, band_sort_order in rows:
        if band_sort_order is not None:
            sorted_bands[str(band)] = int(band_sort_order)
        label = str(name) if sub_group == "alle" else (
            f"{name}, {SUB_GROUP_LABELS.get(str(sub_group), str(sub_group))}")
        entry = bars.setdefault((str(code), str(sub_group)), (label, {}, {}))
        entry[1][str(band)] = None if share is None else float(share)
        entry[2][str(band)] = _int_or_none(persons)
    bands = (sorted(sorted_bands, key=sorted_bands.__getitem__) if sorted_bands
             else band_order({str(row[3]) for row in rows}))
    result = []
    for (code, _), (label, shares, persons) in bars.items():
        values = tuple(band_share(shares, persons, band) for band in bands)
        result.append(DurationRow(code, f"{label} (§ {code})", values))
    return bands, result


def band_share(shares: dict[str, float | None], persons: dict[str, int | None],
               band: str) -> float | None:
    """A band's published share; when only its count is published, its share of the
    shown counts; None when withheld (or absent)."""
    given, count = shares.get(band), persons.get(band)
    if given is not None:
        return given
    shown = sum(p or 0 for p in persons.values())
    return 100.0 * count / shown if count is not None and shown else None


def bilag1a_figure1(bands: list[str], rows: list[DurationRow], snapshot: str) -> Figure:
    """Stacked bars: each group's citizens on the snapshot day by duration band (pct.)."""
    figure = Figure(figsize=(10, 0.55 * len(rows) + 2.2), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(rows)))
    left = [0.0] * len(rows)
    for index, band in enumerate(bands):
        colour = DURATION_COLOURS[min(index, len(DURATION_COLOURS) - 1)]
        widths = [row.shares[index] or 0.0 for row in rows]
        bars = axes.barh(positions, widths, left=left, color=colour, label=band,
                         edgecolor="white")
        labels = ["-" if row.shares[index] is None else
                  (f"{round(row.shares[index] or 0):d}" if (row.shares[index] or 0) >= 4 else "")
                  for row in rows]
        axes.bar_label(bars, labels=labels, label_type="center", fontsize=8.5,
                       color="white" if index >= 2 else "black")
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.set_yticks(positions, [row.label for row in rows])
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("Andel af forløbene (pct.). 16-66-årige med en ydelse på dagen;\n"
                    "et forløb slutter først efter en hel kalendermåned uden ydelse,\n"
                    "og skift af ydelse er ikke et nyt forløb.", fontsize=9)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.legend(loc="outside lower center", ncols=3, frameon=False)
    figure.suptitle(f"Bilag 1a, Figur 1: Forløb på alle ydelser fordelt på varighed, {snapshot}",
                    x=0.01, ha="left", fontweight="bold", fontsize=11)
    return figure


def render_bilag1a_figure(db: Path, snapshot: str, out: Path) -> list[Path]:
    """Render Bilag 1a's Figur 1 for the snapshot day (ISO date) into ``out``."""
    with duckdb.connect(str(db), read_only=True) as con:
        check_complete(con, f"the warehouse {db}")
        bands, rows = load_durations(con, snapshot)
    if not rows:
        raise FigureDataError(f"the warehouse {db} has no durations for {snapshot}")
    with mpl.rc_context({"svg.hashsalt": "faellesborger", "font.family": "DejaVu Sans"}):
        return save(bilag1a_figure1(bands, rows, snapshot), out, "bilag1a_figur1")
