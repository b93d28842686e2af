"""Synthetic citizen-level deliveries of the four raw extracts.

The generator creates persons (birth date, sex, origin), BIF benefit spells, SOF grants
and custody relations as the source systems would hold them, then writes them in the
raw-extract format of ``docs/raw-extracts.md`` with everything that format
allows (see :mod:`faellesborger.writer`). It is deterministic for a given seed and
vectorised with NumPy: no Python loop runs per citizen.

Dates are ``datetime64[D]``; an open spell or grant has ``NaT`` as its end. "Rule N"
below is rule N of ``docs/rules.md`` (anchor ``#rule-n``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd

from faellesborger import calibration as cal

HERKOMST = (
    "Dansk oprindelse",
    "Indvandrer fra vestligt land",
    "Indvandrer fra ikke-vestligt land",
    "Efterkommer fra vestligt land",
    "Efterkommer fra ikke-vestligt land",
)

Dates = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Strs = npt.NDArray[np.str_]

NAT = np.datetime64("NaT", "D")
BENEFIT_DTYPE = object  # shared name strings, not a fixed width per spell
EARLY_EXTRACTION = np.datetime64("2021-01-15", "D")
LATE_EXTRACTION = np.datetime64("2022-01-14", "D")
_EPOCH_MONTH = np.datetime64("1970-01", "M")


# --------------------------------------------------------------------------- dates


def month_start(month_index: Ints) -> Dates:
    """First day of the month ``month_index`` (= year * 12 + month - 1)."""
    months = (np.asarray(month_index) - 1970 * 12).astype("timedelta64[M]") + _EPOCH_MONTH
    return months.astype("datetime64[D]")


def day_in_month(rng: np.random.Generator, month_index: Ints) -> Dates:
    """A random day in each given month."""
    first = month_start(month_index)
    length = (month_start(np.asarray(month_index) + 1) - first).astype(np.int64)
    return first + (rng.random(len(first)) * length).astype(np.int64)


def days_in_month_sorted(rng: np.random.Generator, month_index: Ints) -> tuple[Dates, Dates]:
    """Two random days of each given month, the earlier first."""
    a = day_in_month(rng, month_index)
    b = day_in_month(rng, month_index)
    return np.minimum(a, b), np.maximum(a, b)


def month_of(year: int, month0: Ints | int) -> Ints:
    """Month index of month ``month0`` (0 = January) of ``year``."""
    return year * 12 + np.asarray(month0, dtype=np.int64)


def open_or(rng: np.random.Generator, ends: Dates, share_open: float) -> Dates:
    """Replace a share of end dates by an open end (NaT)."""
    ends = ends.copy()
    ends[rng.random(len(ends)) < share_open] = NAT
    return ends


# ------------------------------------------------------------------------ periods


@dataclass
class Periods:
    """Periods (spells or grants) owned by the rows ``owner`` of some person array."""

    owner: Ints
    start: Dates
    end: Dates

    @staticmethod
    def concat(parts: list[Periods]) -> Periods:
        if not parts:
            return Periods(np.zeros(0, np.int64), np.zeros(0, "datetime64[D]"),
                           np.zeros(0, "datetime64[D]"))
        return Periods(
            np.concatenate([p.owner for p in parts]),
            np.concatenate([p.start for p in parts]),
            np.concatenate([p.end for p in parts]),
        )


def active_periods(rng: np.random.Generator, n: int, year: int, cross: bool) -> Periods:
    """Spells giving each of ``n`` owners spell days in at least two months of ``year``.

    With ``cross`` the spells may begin in the year before, run into the year after or
    stay open; without it they lie inside ``year``.
    """
    kinds = ["within", "two_short", "from_prev", "into_next", "spanning"]
    probs = [0.35, 0.15, 0.2, 0.2, 0.1] if cross else [0.8, 0.2, 0.0, 0.0, 0.0]
    kind = rng.choice(len(kinds), size=n, p=probs)
    parts: list[Periods] = []
    owners = np.arange(n, dtype=np.int64)

    idx = owners[kind == 0]
    s = rng.integers(0, 11, len(idx))
    e = s + 1 + (rng.random(len(idx)) * (11 - s)).astype(np.int64)
    parts.append(Periods(idx, day_in_month(rng, month_of(year, s)),
                         day_in_month(rng, month_of(year, e))))

    idx = owners[kind == 1]
    a = rng.integers(0, 11, len(idx))
    b = a + 1 + (rng.random(len(idx)) * (11 - a)).astype(np.int64)
    s1, e1 = days_in_month_sorted(rng, month_of(year, a))
    s2, e2 = days_in_month_sorted(rng, month_of(year, b))
    parts += [Periods(idx, s1, e1), Periods(idx, s2, e2)]

    idx = owners[kind == 2]
    parts.append(Periods(idx, day_in_month(rng, month_of(year - 1, rng.integers(0, 12, len(idx)))),
                         day_in_month(rng, month_of(year, rng.integers(1, 12, len(idx))))))

    idx = owners[kind == 3]
    start = day_in_month(rng, month_of(year, rng.integers(0, 11, len(idx))))
    end = open_or(rng, day_in_month(rng, month_of(year + 1, rng.integers(0, 12, len(idx)))), 0.5)
    parts.append(Periods(idx, start, end))

    idx = owners[kind == 4]
    start = day_in_month(rng, month_of(year - 1, rng.integers(0, 12, len(idx))))
    end = open_or(rng, day_in_month(rng, month_of(year + 1, rng.integers(0, 12, len(idx)))), 0.5)
    parts.append(Periods(idx, start, end))
    return Periods.concat(parts)


def single_month_periods(rng: np.random.Generator, n: int, year: int, cross: bool) -> Periods:
    """One spell per owner with days in exactly one month of ``year`` (not BIF-active)."""
    kind = rng.choice(3, size=n, p=[0.6, 0.2, 0.2] if cross else [1.0, 0.0, 0.0])
    start, end = days_in_month_sorted(rng, month_of(year, rng.integers(0, 12, n)))
    prev = kind == 1  # from December of the year before into January
    start[prev] = day_in_month(rng, month_of(year - 1, np.full(prev.sum(), 11)))
    end[prev] = day_in_month(rng, month_of(year, np.zeros(prev.sum(), np.int64)))
    nxt = kind == 2  # from December into the next year, possibly still open
    start[nxt] = day_in_month(rng, month_of(year, np.full(nxt.sum(), 11)))
    end[nxt] = open_or(rng, day_in_month(rng, month_of(year + 1, rng.integers(0, 12, nxt.sum()))),
                       0.5)
    return Periods(np.arange(n, dtype=np.int64), start, end)


def pair_periods(rng: np.random.Generator, n: int, year: int,
                 cross: bool) -> tuple[Periods, Periods]:
    """Two consecutive spells per owner: the first group's, then the second group's.

    The first ends in month b of ``year`` and the second starts in month b + 1, so each
    has days in ``year`` and together they cover at least two months.
    """
    owners = np.arange(n, dtype=np.int64)
    b = rng.integers(0, 11, n)
    a = (rng.random(n) * (b + 1)).astype(np.int64)
    start1 = day_in_month(rng, month_of(year, a))
    if cross:
        early = rng.random(n) < 0.3
        start1[early] = day_in_month(rng, month_of(year - 1, rng.integers(0, 12, early.sum())))
    end1 = np.maximum(day_in_month(rng, month_of(year, b)), start1)
    start2 = day_in_month(rng, month_of(year, b + 1))
    c = b + 1 + (rng.random(n) * (11 - b)).astype(np.int64)
    end2 = np.maximum(day_in_month(rng, month_of(year, c)), start2)
    if cross:
        later = rng.random(n) < 0.4
        end2[later] = open_or(rng, day_in_month(rng, month_of(year + 1,
                                                              rng.integers(0, 12, later.sum()))),
                              0.5)
    return Periods(owners, start1, end1), Periods(owners, start2, end2)


def grant_periods(rng: np.random.Generator, n: int, year: int, cross: bool) -> Periods:
    """One grant per owner with at least one day in ``year``."""
    kind = rng.choice(4, size=n, p=[0.4, 0.2, 0.25, 0.15] if cross else [1.0, 0.0, 0.0, 0.0])
    s = rng.integers(0, 12, n)
    e = s + (rng.random(n) * (12 - s)).astype(np.int64)
    start = day_in_month(rng, month_of(year, s))
    end = np.maximum(day_in_month(rng, month_of(year, e)), start)
    before = (kind == 1) | (kind == 3)
    start[before] = day_in_month(rng, month_of(year - 1 - rng.integers(0, 3, before.sum()),
                                               rng.integers(0, 12, before.sum())))
    after = (kind == 2) | (kind == 3)
    end[after] = open_or(rng, day_in_month(rng, month_of(year + 1,
                                                         rng.integers(0, 12, after.sum()))), 0.5)
    return Periods(np.arange(n, dtype=np.int64), start, end)


def grant_periods_outside(rng: np.random.Generator, n: int, year: int) -> Periods:
    """One grant per owner lying wholly in the year before or the year after ``year``."""
    other = np.where(rng.random(n) < 0.5, year - 1, year + 1)
    s = rng.integers(0, 12, n)
    e = s + (rng.random(n) * (12 - s)).astype(np.int64)
    start = day_in_month(rng, other * 12 + s)
    end = np.maximum(day_in_month(rng, other * 12 + e), start)
    return Periods(np.arange(n, dtype=np.int64), start, end)


# ------------------------------------------------------------------------ population


@dataclass
class Population:
    """Everything generated, before it is written in the delivery format."""

    birth: list[Dates] = field(default_factory=list)
    male: list[npt.NDArray[np.bool_]] = field(default_factory=list)
    n_persons: int = 0
    # spells: person, LAB group, start, end, benefit ("" until fill_benefits draws one)
    spells: list[tuple[Ints, Strs, Dates, Dates, Strs]] = field(default_factory=list)
    grants: list[tuple[Ints, Strs, Dates, Dates]] = field(default_factory=list)
    custody: list[tuple[Ints, Ints, Dates, Dates]] = field(default_factory=list)
    # person register `herkomst` and a-kasse chosen by design (the writer draws the rest)
    herkomst: list[tuple[Ints, Strs]] = field(default_factory=list)
    akasse: list[tuple[Ints, Strs]] = field(default_factory=list)
    # single-group BIF-active citizens of the calibration year, per group (design_quarter
    # continues some of them into the third quarter of 2021)
    pool: dict[str, list[Ints]] = field(default_factory=dict)
    # citizens with spell days in the third quarter of 2021 by design (design_quarter)
    quarter_persons: list[Ints] = field(default_factory=list)

    def new_persons(self, rng: np.random.Generator, n: int, age_lo: Ints | int,
                    age_hi: Ints | int, reference: np.datetime64) -> Ints:
        """Create ``n`` persons aged ``age_lo``..``age_hi`` at ``reference``; their ids."""
        age_days = (rng.uniform(np.asarray(age_lo), np.asarray(age_hi) + 1, n) * 365.25)
        self.birth.append(reference - age_days.astype(np.int64))
        self.male.append(rng.random(n) < 0.5)
        ids = np.arange(self.n_persons, self.n_persons + n, dtype=np.int64)
        self.n_persons += n
        return ids

    def add_spells(self, persons: Ints, group: str | Strs, periods: Periods,
                   benefit: str | Strs = "") -> None:
        groups = np.broadcast_to(np.asarray(group), persons.shape)[periods.owner]
        benefits = np.broadcast_to(np.asarray(benefit), persons.shape)[periods.owner]
        self.spells.append((persons[periods.owner], groups.astype(str),
                            periods.start, periods.end, benefits.astype(BENEFIT_DTYPE)))

    def drop_spells(self, persons: Ints) -> None:
        """Remove every spell of ``persons`` (design_quarter writes theirs anew)."""
        kept = []
        for part in self.spells:
            keep = ~np.isin(part[0], persons)
            kept.append((part[0][keep], part[1][keep], part[2][keep], part[3][keep],
                         part[4][keep]))
        self.spells = kept

    def add_grants(self, persons: Ints, codes: Strs, periods: Periods) -> None:
        """Grants of ``codes[i]`` to ``persons[i]`` for each period owned by i."""
        self.grants.append((persons[periods.owner], codes[periods.owner].astype(str),
                            periods.start, periods.end))

    def births(self) -> Dates:
        return np.concatenate(self.birth)

    def males(self) -> npt.NDArray[np.bool_]:
        return np.concatenate(self.male)


def scaled(count: float, scale: float) -> int:
    return round(count * scale)


def draw_codes(rng: np.random.Generator, weights: dict[str, int], n: int) -> Strs:
    codes = np.array(list(weights))
    p = np.array(list(weights.values()), dtype=float)
    return codes[rng.choice(len(codes), size=n, p=p / p.sum())]


def coordination_weights() -> dict[str, int]:
    """Weights of every adult coordination-relevant code, for citizens outside the design."""
    weights: dict[str, int] = {}
    kanten_totals = np.sum([cal.COLUMN_TARGETS[g] for g in cal.KANTEN_GROUPS], axis=0)
    for column, total in zip(cal.TABEL4_COLUMNS, kanten_totals, strict=True):
        codes = cal.COLUMN_CODES[column]
        for code, weight in codes.items():
            weights[code] = int(total) * weight // sum(codes.values()) + 1
    for step, codes in cal.RAISING_CODES.items():
        for code, weight in codes.items():
            weights[code] = weights.get(code, 0) + weight * (4 if step == 1 else 2)
    return weights


def random_coordination(rng: np.random.Generator, pop: Population, persons: Ints,
                        year: int, cross: bool) -> None:
    """One or two coordination-relevant adult interventions each, drawn at random."""
    weights = coordination_weights()
    pop.add_grants(persons, draw_codes(rng, weights, len(persons)),
                   grant_periods(rng, len(persons), year, cross))
    second = persons[rng.random(len(persons)) < 0.3]
    pop.add_grants(second, draw_codes(rng, weights, len(second)),
                   grant_periods(rng, len(second), year, cross))


def non_coordination(rng: np.random.Generator, pop: Population, persons: Ints,
                     year: int, cross: bool) -> None:
    codes = draw_codes(rng, cal.NON_COORDINATION_WEIGHTS, len(persons))
    pop.add_grants(persons, codes, grant_periods(rng, len(persons), year, cross))


def child_measures(rng: np.random.Generator, pop: Population, parents: Ints, year: int,
                   cross: bool, placed: bool | None = None, overlapping: bool = True) -> None:
    """A child with a measure in ``year`` for each parent, and its custody relations.

    ``placed`` chooses placements (anbringelse) or preventive measures; None mixes them.
    With ``overlapping`` false, the parent's custody ends before the measure starts, so
    the parent does not get the measure as a børnesag (rule 4).
    """
    n = len(parents)
    reference = np.datetime64(f"{year}-07-01", "D")
    children = pop.new_persons(rng, n, 1, 17, reference)
    birth = pop.birth[-1]
    is_placed = rng.random(n) < 0.3 if placed is None else np.full(n, placed)
    codes = np.where(is_placed, "ANBRINGELSE",
                     draw_codes(rng, dict.fromkeys(cal.PREVENTIVE_CODES, 1), n))
    measure = grant_periods(rng, n, year, cross)
    measure.start = np.maximum(measure.start, birth)  # no measure before birth
    pop.add_grants(children, codes, measure)
    custody_end = np.full(n, NAT)
    if not overlapping:
        gap = rng.integers(30, 200, n)
        custody_end = np.maximum(measure.start - gap, birth + 1)
    pop.custody.append((children, parents, birth, custody_end))
    second = rng.random(n) < cal.SECOND_HOLDER_SHARE
    holders = pop.new_persons(rng, second.sum(), 25, 55, reference)
    pop.custody.append((children[second], holders, birth[second], np.full(second.sum(), NAT)))


def add_codes(rng: np.random.Generator, pop: Population, persons: Ints,
              weights: dict[str, int], year: int, cross: bool) -> None:
    pop.add_grants(persons, draw_codes(rng, weights, len(persons)),
                   grant_periods(rng, len(persons), year, cross))


def group_interventions(rng: np.random.Generator, pop: Population, group: str,
                        persons: Ints, year: int, scale: float,
                        cross: bool) -> tuple[Ints, Ints]:
    """The SOF side of a group's single-group fællesborgere (see calibration.py).

    Gives the designed number of them each børnesag kind and each Tabel 4 column; returns
    the citizens eligible for a step (not børnesag-only) and the step their Tabel 4
    interventions put them on (0 when they have none yet).
    """
    persons = rng.permutation(persons)
    preventive, placed, either = (scaled(x, scale) for x in cal.CHILD_MEASURES[group])
    either = min(either, len(persons), preventive + placed)
    preventive, placed = min(preventive, either), min(placed, either)
    child_measures(rng, pop, persons[:preventive], year, cross, placed=False)
    child_measures(rng, pop, persons[either - placed:either], year, cross, placed=True)
    adults = persons[min(scaled(cal.CHILD_ONLY[group], scale), either):]
    steps = np.zeros(len(adults), np.int64)
    for column, target, step in zip(cal.TABEL4_COLUMNS, cal.COLUMN_TARGETS[group],
                                    cal.COLUMN_STEPS, strict=True):
        chosen = rng.choice(len(adults), min(scaled(target, scale), len(adults)),
                            replace=False)
        add_codes(rng, pop, adults[chosen], cal.COLUMN_CODES[column], year, cross)
        steps[chosen] = np.maximum(steps[chosen], step)
    return adults, steps


def raise_steps(rng: np.random.Generator, pop: Population, persons: Ints, steps: Ints,
                targets: tuple[int, int], year: int, cross: bool) -> None:
    """Raise citizens to steps 2 and 3 until each step has its target (rule 7).

    A citizen is raised by a coordination-relevant intervention of that step outside the
    Tabel 4 columns, so Tabel 4 stays as designed; citizens still without a step get a
    step-1 intervention. Steps are only ever raised (the highest step decides).
    """
    target2, target3 = targets
    final = steps.copy()
    pools = [rng.permutation(np.flatnonzero(steps == s)) for s in (0, 1, 2)]
    take3 = np.concatenate(pools)[:max(0, target3 - int((steps == 3).sum()))]
    final[take3] = 3
    rest = [pool[~np.isin(pool, take3)] for pool in pools[:2]]
    take2 = np.concatenate(rest)[:max(0, target2 - int((final == 2).sum()))]
    final[take2] = 2
    final[final == 0] = 1
    for step, chosen in ((3, take3), (2, take2), (1, np.flatnonzero((steps == 0) & (final == 1)))):
        chosen = chosen[steps[chosen] < step]
        add_codes(rng, pop, persons[chosen], cal.RAISING_CODES[step], year, cross)
    companions = persons[rng.random(len(persons)) < cal.COMPANION_SHARE]
    add_codes(rng, pop, companions, cal.RAISING_CODES[1], year, cross)


def bif_cohort(rng: np.random.Generator, pop: Population, year: int, scale: float,
               cross: bool) -> None:
    """BIF citizens of one year: group members, fællesborgere, and their SOF links."""
    reference = np.datetime64(f"{year}-07-01", "D")
    members: list[tuple[Ints, bool, bool]] = []  # persons, fællesborger, kanten
    singles: dict[str, Ints] = {}

    for pairs, fb in ((cal.PAIRS_FAELLESBORGERE, True), (cal.PAIRS_OTHERS, False)):
        for (first, second), count in pairs.items():
            n = scaled(count, scale)
            lo = max(cal.AGE_RANGE[first][0], cal.AGE_RANGE[second][0])
            hi = max(lo, min(cal.AGE_RANGE[first][1], cal.AGE_RANGE[second][1]))
            if (first, second) == ("6.5", "6.3"):
                lo, hi = 29, 29  # turning 30 during the year
            persons = pop.new_persons(rng, n, lo, hi, reference)
            p1, p2 = pair_periods(rng, n, year, cross)
            pop.add_spells(persons, first, p1)
            pop.add_spells(persons, second, p2)
            kanten = first in cal.KANTEN_GROUPS or second in cal.KANTEN_GROUPS
            members.append((persons, fb, kanten))

    for group, population in cal.POPULATION.items():
        in_pairs = {fb: sum(scaled(c, scale) for pair, c in pairs.items() if group in pair)
                    for pairs, fb in ((cal.PAIRS_FAELLESBORGERE, True),
                                      (cal.PAIRS_OTHERS, False))}
        fb_single = scaled(cal.FAELLESBORGERE[group], scale) - in_pairs[True]
        other_single = (scaled(population, scale) - scaled(cal.FAELLESBORGERE[group], scale)
                        - in_pairs[False])
        lo, hi = cal.AGE_RANGE[group]
        for n, fb in ((fb_single, True), (other_single, False)):
            persons = pop.new_persons(rng, n, lo, hi, reference)
            pop.add_spells(persons, group, active_periods(rng, n, year, cross))
            if year == cal.CALIBRATION_YEAR:
                pop.pool.setdefault(group, []).append(persons)
            if fb:
                singles[group] = persons
            else:
                members.append((persons, fb, group in cal.KANTEN_GROUPS))

    # Fællesborgere: the designed SOF side, then steps raised to their targets.
    for kanten, targets in ((True, cal.STEPS_2_3_KANTEN), (False, cal.STEPS_2_3_OTHER)):
        pooled: list[Ints] = []
        steps: list[Ints] = []
        for group, persons in singles.items():
            if (group in cal.KANTEN_GROUPS) == kanten:
                adults, adult_steps = group_interventions(rng, pop, group, persons, year,
                                                          scale, cross)
                pooled.append(adults)
                steps.append(adult_steps)
        for persons, fb, is_kanten in members:
            if fb and is_kanten == kanten:
                pooled.append(persons)
                steps.append(np.zeros(len(persons), np.int64))
        raise_steps(rng, pop, np.concatenate(pooled), np.concatenate(steps),
                    (scaled(targets[0], scale), scaled(targets[1], scale)), year, cross)
    fb_persons = np.concatenate([*singles.values(), *(p for p, fb, _ in members if fb)])
    extra_non_coord = fb_persons[rng.random(len(fb_persons)) < 0.15]
    non_coordination(rng, pop, extra_non_coord, year, cross)

    # Others: some with only non-coordination grants, some with coordination grants
    # in other years only, some whose child's measure lies outside their custody.
    others = np.concatenate([p for p, fb, _ in members if not fb])
    rng.shuffle(others)
    n_only = scaled(cal.ONLY_NON_COORDINATION, scale)
    n_outside = scaled(cal.COORDINATION_OUTSIDE_YEAR, scale)
    n_custody = scaled(cal.CUSTODY_NOT_OVERLAPPING, scale)
    non_coordination(rng, pop, others[:n_only], year, cross)
    outside = others[n_only:n_only + n_outside]
    pop.add_grants(outside, draw_codes(rng, coordination_weights(), len(outside)),
                   grant_periods_outside(rng, len(outside), year))
    child_measures(rng, pop, others[n_only + n_outside:n_only + n_outside + n_custody], year,
                   cross, overlapping=False)

    # Citizens with spell days in one month only: not BIF-active, some with SOF grants.
    n_single = scaled(sum(cal.POPULATION.values()) * cal.SINGLE_MONTH_SHARE, scale)
    groups = np.array(list(cal.POPULATION))
    weights = np.array(list(cal.POPULATION.values()), dtype=float)
    chosen = groups[rng.choice(len(groups), size=n_single, p=weights / weights.sum())]
    short = pop.new_persons(rng, n_single, 20, 60, reference)
    pop.add_spells(short, chosen, single_month_periods(rng, n_single, year, cross))
    random_coordination(rng, pop, short[rng.random(n_single) < 0.1], year, cross)


def sof_only(rng: np.random.Generator, pop: Population, year: int, scale: float,
             cross: bool = True) -> None:
    """SOF recipients who have no BIF spell at all."""
    reference = np.datetime64(f"{year}-07-01", "D")
    n = scaled(cal.SOF_ONLY_COORDINATION, scale)
    random_coordination(rng, pop, pop.new_persons(rng, n, 18, 95, reference), year, cross)
    n = scaled(cal.SOF_ONLY_NON_COORDINATION, scale)
    non_coordination(rng, pop, pop.new_persons(rng, n, 18, 95, reference), year, cross)
    n = scaled(cal.SOF_ONLY_CHILD_MEASURE_PARENTS, scale)
    child_measures(rng, pop, pop.new_persons(rng, n, 22, 55, reference), year, cross)


# ------------------------------------------------------------------------ HOI month


def hoi_month() -> tuple[np.datetime64, np.datetime64]:
    first = month_start(np.array([month_of(cal.HOI_YEAR, cal.HOI_MONTH - 1)]))[0]
    last = month_start(np.array([month_of(cal.HOI_YEAR, cal.HOI_MONTH)]))[0] - 1
    return first, last


def hoi_citizens(rng: np.random.Generator, pop: Population, scale: float,
                 needs: dict[str, tuple[int, int, int]]) -> None:
    """The citizens HOI Tabel 1 still needs (``needs``, from trim_hoi_month): in 6.3/6.5
    (by age band) or 6.8, with grants, in the HOI month, most since January and for
    months after; plus a few who narrowly miss it (age, month)."""
    first, last = hoi_month()
    year_start = np.datetime64(f"{cal.HOI_YEAR}-01-01", "D")
    born_25 = np.datetime64(f"{cal.HOI_YEAR - 25}-{cal.HOI_MONTH:02d}-01", "D")
    born_30 = np.datetime64(f"{cal.HOI_YEAR - 30}-{cal.HOI_MONTH:02d}-01", "D")
    bands = (  # birth range (oldest, youngest), groups
        (born_30 + 1, born_25, ("6.5", "6.3")),
        (np.datetime64("1958-01-01", "D"), born_30, ("6.3",)),
        (np.datetime64("1958-01-01", "D"), born_25, ("6.8",)),
    )
    for column, (oldest, youngest, groups) in enumerate(bands):
        n85, n107, n101 = (needs[g][column] for g in cal.HOI_CELLS)
        both = min(scaled(cal.HOI_BOTH_85_101[column], scale), n85, n101)
        n = n85 + n107 + n101 - both
        span = (youngest - oldest).astype(np.int64) + 1
        birth = oldest + (rng.random(n) * span).astype(np.int64)
        if n >= 2:
            birth[0] = youngest  # turns 25 (or 30) on the first day of the month: counts
            birth[1] = oldest if column == 0 else birth[1]
        pop.birth.append(birth)
        pop.male.append(rng.random(n) < 0.5)
        persons = np.arange(pop.n_persons, pop.n_persons + n, dtype=np.int64)
        pop.n_persons += n
        lab = np.array(groups)[rng.integers(0, len(groups), n)]
        start = year_start + rng.integers(0, (first - year_start).astype(np.int64) + 1, n)
        # (numpy's stubs type datetime64 + int64 as int64; the values are dates)
        end = cast(Dates, np.maximum(start, first) + rng.integers(30, 300, n))
        pop.add_spells(persons, lab, Periods(np.arange(n), start, open_or(rng, end, 0.3)))
        # cells: [0, n85) § 85 (the first `both` also § 101), then § 107-108, then § 101
        sel = {"§ 85": np.arange(n85), "§ 107-108": np.arange(n85, n85 + n107),
               "§ 101": np.concatenate([np.arange(both), np.arange(n85 + n107, n)])}
        for group, index in sel.items():
            k = len(index)
            g_start = year_start + rng.integers(0, (first - year_start).astype(np.int64) + 1, k)
            g_end = open_or(
                rng, cast(Dates, np.maximum(g_start, first) + rng.integers(30, 300, k)), 0.3)
            pop.add_grants(persons[index], draw_codes(rng, cal.HOI_CODES[group], k),
                           Periods(np.arange(k), g_start, g_end))

    # Narrow misses: a day too young; a grant only after the month; a spell only before.
    n = max(1, scaled(5, scale))
    reference = np.datetime64(f"{cal.HOI_YEAR}-07-01", "D")
    too_young = pop.new_persons(rng, n, 30, 30, reference)
    pop.birth[-1][:] = born_25 + 1
    late_grant = pop.new_persons(rng, n, 40, 40, reference)
    spell_before = pop.new_persons(rng, n, 35, 35, reference)
    owners = np.arange(n)
    during = Periods(owners, np.full(n, first), np.full(n, last))
    pop.add_spells(too_young, "6.5", during)
    pop.add_grants(too_young, np.full(n, "SPS"), during)
    pop.add_spells(late_grant, "6.3", during)
    pop.add_grants(late_grant, np.full(n, "STOFMISBRUG"),
                   Periods(owners, np.full(n, last + 1), np.full(n, last + 60)))
    pop.add_spells(spell_before, "6.8", Periods(owners, np.full(n, year_start),
                                                 np.full(n, first - 1)))
    pop.add_grants(spell_before, np.full(n, "SPS"), during)


# ------------------------------------------------------------- Bilag 1a, Q3 2021

Q_FIRST = np.datetime64(cal.QUARTER_FIRST_DAY, "D")
Q_LAST = np.datetime64(cal.QUARTER_LAST_DAY, "D")
Q_DAYS = int((Q_LAST - Q_FIRST).astype(np.int64)) + 1
HISTORY_FIRST = np.datetime64(cal.HISTORY_FIRST_DAY, "D")
NEW_YEAR = np.datetime64(f"{cal.QUARTER_FIRST_DAY[:4]}-01-01", "D")  # no day before it
# Duration bands of rule 13 in days on the snapshot day (the last: up to HISTORY_FIRST).
DURATION_DAYS = ((1, 182), (183, 364), (365, 730), (731, 1095),
                 (1096, int((Q_LAST - HISTORY_FIRST).astype(np.int64)) + 1))
# Bands 0 and 1 are citizens who begin in the quarter's year (new citizens, no day in the
# calibration year); bands 2-4 began by October of the calibration year and are taken
# from its single-group citizens (their Tabel 3 group stays the same).
POOL_BANDS = (2, 3, 4)
POOL_MIN_AGE = 20  # adults on 1 January of the calibration year (section 5.3)
MIN_AGE_AT_START = 16


def largest_remainder(weights: tuple[float, ...] | npt.NDArray[np.float64], n: int) -> Ints:
    """``n`` split in proportion to ``weights``, whole numbers summing to ``n``."""
    w = np.asarray(weights, dtype=float)
    exact = n * w / w.sum()
    counts: Ints = np.floor(exact).astype(np.int64)
    short = n - int(counts.sum())
    counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return counts


def systematic(order: Ints, weight: npt.NDArray[np.float64],
               shares: tuple[float, ...] | npt.NDArray[np.float64]) -> Ints:
    """Category of each person, so that the categories' weight shares match ``shares``.

    The persons are taken in ``order`` and each gets the category in which the middle of
    its weight falls on the cumulative scale: the categories' shares of the total weight
    then match ``shares`` to within the largest single weight.
    """
    w = weight[order]
    middle = (np.cumsum(w) - w / 2) / w.sum()
    edges = np.cumsum(np.asarray(shares, dtype=float))
    category = np.empty(len(order), np.int64)
    category[order] = np.minimum(np.searchsorted(edges / edges[-1], middle, side="right"),
                                 len(edges) - 1)
    return category


def fit_days(rng: np.random.Generator, total: int, upper: Ints) -> Ints:
    """Whole numbers of days, 1..``upper[i]`` each, drawn at random and summing to ``total``."""
    days = 1 + (rng.random(len(upper)) * upper).astype(np.int64)
    while (diff := total - int(days.sum())) != 0:
        room = upper - days if diff > 0 else days - 1
        if room.sum() == 0:
            raise ValueError("the quarter's design cannot reach its fuldtidspersoner")
        step = np.minimum(room, np.ceil(room * abs(diff) / room.sum()).astype(np.int64))
        step[np.cumsum(step) > abs(diff)] = 0
        if step.sum() == 0:
            step[np.flatnonzero(room)[:abs(diff)]] = 1
        days += np.sign(diff) * step
    return days


def uniform_days(rng: np.random.Generator, first: np.datetime64 | Dates,
                 last: np.datetime64 | Dates, n: int) -> Dates:
    """A random day between ``first`` and ``last`` (inclusive) for each of ``n``."""
    span = (np.asarray(last) - np.asarray(first)).astype(np.int64) + 1
    return np.asarray(first) + (rng.random(n) * span).astype(np.int64)


def birth_for_age(rng: np.random.Generator, age: Ints) -> Dates:
    """A birth date giving each citizen the age ``age`` on the quarter's first day."""
    years = np.asarray(age) + 1
    latest = (Q_FIRST.astype("datetime64[Y]") - np.asarray(age).astype("timedelta64[Y]")
              ).astype("datetime64[D]") + (Q_FIRST - Q_FIRST.astype("datetime64[Y]"))
    earliest = (Q_FIRST.astype("datetime64[Y]") - years.astype("timedelta64[Y]")
                ).astype("datetime64[D]") + (Q_FIRST - Q_FIRST.astype("datetime64[Y]")) + 1
    return uniform_days(rng, earliest, latest, len(age))


def sixteenth_birthday(birth: Dates) -> Dates:
    years = birth.astype("datetime64[Y]") + np.timedelta64(MIN_AGE_AT_START, "Y")
    day: Dates = years.astype("datetime64[D]") + (birth - birth.astype("datetime64[Y]")
                                                  .astype("datetime64[D]"))
    return day


@dataclass
class QuarterCitizens:
    """The designed citizens of one group in the quarter (see design_group)."""

    persons: Ints
    start: Dates  # start of the episode that holds the quarter's days
    end: Dates  # its last day (NaT: open)
    band: Ints  # duration band on the snapshot day; -1 for those who leave before it
    days: Ints  # days in the quarter


def design_group(rng: np.random.Generator, pop: Population, design: cal.QuarterGroup,
                 scale: float, pool: Ints) -> tuple[QuarterCitizens, Ints]:
    """Episode starts and ends of one group's citizens in the quarter; the unused pool."""
    target_days = round(design.fuldtidspersoner * scale * Q_DAYS)
    share_new0 = cal.QUARTER_ENTRANT_SHARE * design.durations[0] / 100
    n30 = max(1, round(target_days / Q_DAYS * (1 - cal.QUARTER_LEAVER_SHARE)
                       / (1 - share_new0 / 2)))
    counts = largest_remainder(design.durations, n30)
    n_pool = int(counts[list(POOL_BANDS)].sum())
    if n_pool > len(pool):  # a small pool (tiny scales): the rest start in the year
        counts[1] += n_pool - len(pool)
        counts[list(POOL_BANDS)] = largest_remainder(
            counts[list(POOL_BANDS)].astype(np.float64) + 1e-9, len(pool))
    entrants = round(cal.QUARTER_ENTRANT_SHARE * counts[0])
    counts[0] -= entrants  # from here: the citizens with all the quarter's days
    while target_days - Q_DAYS * int(counts.sum()) < entrants and counts.sum() > 0:
        counts[int(np.argmax(counts))] -= 1
    full = int(counts.sum())
    rest = target_days - Q_DAYS * full
    leavers = max(0, round((rest - 46.5 * entrants) / 46))
    while entrants * Q_DAYS + leavers * (Q_DAYS - 1) < rest:
        leavers += 1
    while entrants + leavers > rest and leavers > 0:
        leavers -= 1
    if entrants + leavers > rest or rest < 0:
        raise ValueError(f"no design of {design.group} {design.sub_group} meets its target")
    partial = fit_days(rng, rest, np.array([Q_DAYS] * entrants + [Q_DAYS - 1] * leavers,
                                           np.int64))
    # (a shrunken design may need fewer pool citizens than it was given)

    band = np.concatenate([np.full(int(c), b, np.int64) for b, c in enumerate(counts)])
    band = np.concatenate([band, np.full(entrants, 0, np.int64), np.full(leavers, -1)])
    # durations on the snapshot day: drawn within the band (entrants: from their days)
    lo = np.array([DURATION_DAYS[max(b, 0)][0] for b in band])
    hi = np.array([DURATION_DAYS[max(b, 0)][1] for b in band])
    lo[(band == 0)] = Q_DAYS + 1  # full-quarter citizens of band 0 began before it
    hi[(band == 1)] = int((Q_LAST - NEW_YEAR).astype(np.int64)) + 1  # began in the year
    duration = lo + (rng.random(len(band)) * (hi - lo + 1)).astype(np.int64)
    n_full = full
    duration[n_full:n_full + entrants] = partial[:entrants]
    start = Q_LAST - duration + 1
    end = open_or(rng, uniform_days(rng, Q_LAST + 1, LATE_EXTRACTION - 4, len(band)), 0.5)
    days = np.full(len(band), Q_DAYS, np.int64)
    days[n_full:n_full + entrants] = partial[:entrants]
    # leavers: began in the quarter's year, last day inside the quarter
    leaving = band == -1
    days[leaving] = partial[entrants:]
    end[leaving] = Q_FIRST + days[leaving] - 1
    start[leaving] = uniform_days(rng, NEW_YEAR, Q_FIRST - 1, int(leaving.sum()))

    from_pool = np.isin(band, POOL_BANDS)
    persons = np.empty(len(band), np.int64)
    chosen = rng.choice(len(pool), int(from_pool.sum()), replace=False)
    persons[from_pool] = pool[chosen]
    unused = np.delete(pool, chosen)
    reference = np.datetime64(cal.QUARTER_FIRST_DAY, "D")
    persons[~from_pool] = pop.new_persons(rng, int((~from_pool).sum()), 30, 30, reference)
    return QuarterCitizens(persons, start, end, band, days), unused


def quarter_characteristics(rng: np.random.Generator, design: cal.QuarterGroup,
                            q: QuarterCitizens, birth: Dates,
                            male: npt.NDArray[np.bool_]) -> Strs:
    """Sex, age and origin of one group's quarter citizens (rule 12), weighted by their
    days in the quarter; returns their `herkomst`. Births and sexes are set in place.

    Age bands go to the citizens in the order of their duration band (with noise), so
    the youngest have the shortest episodes; nobody begins an episode before 16, and
    the citizens of the calibration year are adults in it.
    """
    weight = q.days.astype(float)
    key = np.where(q.band < 0, 0.5, q.band) * 3 + rng.normal(0, 1.0, len(q.band))
    age_band = systematic(np.argsort(key, kind="stable"), weight, design.age_bands)
    bands = np.array(cal.AGE_BANDS_5)
    age = bands[age_band, 0] + (rng.random(len(age_band))
                                * (bands[age_band, 1] - bands[age_band, 0] + 1)).astype(np.int64)
    age[np.isin(q.band, POOL_BANDS)] = np.maximum(age[np.isin(q.band, POOL_BANDS)],
                                                  POOL_MIN_AGE)
    birth[q.persons] = birth_for_age(rng, age)
    q.start[:] = np.maximum(q.start, sixteenth_birthday(birth[q.persons]))
    male[q.persons] = systematic(rng.permutation(len(weight)), weight,
                                 (design.men, 1 - design.men)) == 0
    dansk, vestlig, ikke_vestlig = design.origin
    west, non_west = cal.IMMIGRANT_SHARE
    shares = (dansk, vestlig * west, ikke_vestlig * non_west, vestlig * (1 - west),
              ikke_vestlig * (1 - non_west))  # in the order of HERKOMST
    origin = systematic(rng.permutation(len(weight)), weight, shares)
    return np.array(HERKOMST)[origin]


def quarter_spells(rng: np.random.Generator, pop: Population, design: cal.QuarterGroup,
                   q: QuarterCitizens) -> None:
    """The spells behind each designed episode.

    An episode before the quarter's year is split at random into two or three spells
    with gaps of up to 20 days (never a whole calendar month, so one episode, rule 13),
    the benefit drawn anew for each (a benefit change inside the episode; for 6.9 ledige
    an earlier spell as ansat). A share get a second, overlapping registration of the
    same group (rule 11 counts the days once), and a share of the citizens new in the
    year an earlier episode that ended at least a whole calendar month before.
    """
    n = len(q.persons)
    benefit = design.benefit or ""
    cut_before = np.minimum(Q_FIRST - 30, np.maximum(q.start, NEW_YEAR - 1))
    split = (q.start < NEW_YEAR - 60) & (rng.random(n) < 0.6)
    cut = uniform_days(rng, q.start + 20, cut_before, n)
    split &= cut > q.start + 20
    gap = rng.integers(1, 21, n)
    first_end = cut
    second_start = cut + gap
    owners = np.arange(n)
    # the spell that holds the quarter
    last_start = np.where(split, second_start, q.start)
    pop.add_spells(q.persons, design.group, Periods(owners, last_start, q.end), benefit)
    earlier_benefit = ("Fleksløntilskud" if design.sub_group == "ledige" else benefit)
    idx = np.flatnonzero(split)
    pop.add_spells(q.persons, design.group, Periods(idx, q.start[idx], first_end[idx]),
                   earlier_benefit)
    # overlapping second registrations across the quarter's first day
    dup = np.flatnonzero((q.start < Q_FIRST - 40) & (q.days == Q_DAYS) & (rng.random(n) < 0.1))
    dup_start = uniform_days(rng, np.maximum(last_start[dup], Q_FIRST - 40), Q_FIRST - 1,
                             len(dup))
    dup_end = uniform_days(rng, Q_FIRST, Q_LAST - 1, len(dup))
    pop.add_spells(q.persons, design.group, Periods(dup, dup_start, dup_end), benefit)
    # an earlier episode, ended by a whole calendar month without a spell day
    new = (q.start >= NEW_YEAR) & (rng.random(n) < 0.3)
    month_before = (q.start.astype("datetime64[M]") - 1).astype("datetime64[D]")
    prior_end = np.minimum(month_before, Q_FIRST) - 1 - rng.integers(0, 20, n)
    recent = new & (prior_end >= NEW_YEAR + 20)
    idx = np.flatnonzero(recent)
    pop.add_spells(q.persons, design.group,
                   Periods(idx, uniform_days(rng, NEW_YEAR, prior_end[idx] - 10, len(idx)),
                           prior_end[idx]))
    old = np.flatnonzero(new & ~recent)
    old_start = uniform_days(rng, HISTORY_FIRST, np.datetime64("2018-12-31"), len(old))
    old_start = np.maximum(old_start, sixteenth_birthday(pop_births(pop)[q.persons[old]]))
    keep = old_start < np.datetime64("2019-03-01")
    old, old_start = old[keep], old_start[keep]
    pop.add_spells(q.persons, design.group,
                   Periods(old, old_start,
                           np.minimum(old_start + rng.integers(30, 500, len(old)),
                                      np.datetime64("2019-06-30"))))


def pop_births(pop: Population) -> Dates:
    """The births as one array (and the population's own from now on)."""
    if len(pop.birth) != 1:
        pop.birth = [pop.births()]
        pop.male = [pop.males()]
    return pop.birth[0]


def design_quarter(rng: np.random.Generator, pop: Population, scale: float) -> None:
    """Bilag 1a's third quarter of 2021 (rules 11-13), by design.

    For every group and sub-group of ``cal.QUARTER_GROUPS``: citizens on a spell on the
    snapshot day in the designed duration bands (bands from one year up are single-group
    citizens of the calibration year, continued since their episode began, as far back
    as 2015; shorter ones begin in 2021), citizens who begin during the quarter, and
    citizens who leave during it, whose days make the group's fuldtidspersoner exact
    when rounded; then sex, age and origin by the design, weighted by the days. Nobody
    else has a spell day in the quarter (keep_out_of_quarter).
    """
    pools = {group: rng.permutation(np.concatenate(parts)) for group, parts in pop.pool.items()}
    designed: list[tuple[cal.QuarterGroup, QuarterCitizens]] = []
    for design in cal.QUARTER_GROUPS:
        q, pools[design.group] = design_group(rng, pop, design, scale, pools[design.group])
        designed.append((design, q))
    pop.drop_spells(np.concatenate([q.persons for _, q in designed]))
    birth = pop_births(pop)
    male = pop.male[0]
    for design, q in designed:
        herkomst = quarter_characteristics(rng, design, q, birth, male)
        pop.herkomst.append((q.persons, herkomst))
        quarter_spells(rng, pop, design, q)
        pop.quarter_persons.append(q.persons)
        if design.group == "6.1":
            akad = design.sub_group == "akademikere"
            spellings = cal.AC_FUND_SPELLINGS if akad else cal.OTHER_FUND_SPELLINGS
            fund = np.array(spellings)[rng.integers(0, len(spellings), len(q.persons))]
            if not akad:
                fund[rng.random(len(q.persons)) < cal.EMPTY_FUND_SHARE] = ""
            pop.akasse.append((q.persons, fund))
    out_of_scope(rng, pop, scale)


def out_of_scope(rng: np.random.Generator, pop: Population, scale: float) -> None:
    """Citizens aged 15 or 67 on the quarter's first day, on sygedagpenge or
    uddannelseshjælp in it: outside the age scope of rule 11."""
    n = max(2, scaled(cal.QUARTER_OUT_OF_SCOPE, scale))
    persons = pop.new_persons(rng, n, 30, 30, Q_FIRST)
    age = np.where(np.arange(n) % 2 == 0, 67, 15)
    pop.birth[-1][:] = birth_for_age(rng, age)
    start = uniform_days(rng, NEW_YEAR + 60, Q_FIRST + 30, n)
    start = np.maximum(start, pop.birth[-1] + 1)
    end = open_or(rng, uniform_days(rng, Q_FIRST + 40, LATE_EXTRACTION - 4, n), 0.3)
    pop.add_spells(persons, np.where(age == 67, "6.6", "6.4"),
                   Periods(np.arange(n), start, end))
    pop.quarter_persons.append(persons)


def keep_out_of_quarter(rng: np.random.Generator, pop: Population) -> None:
    """Every spell of a citizen outside the quarter's design keeps clear of the quarter.

    A spell begun before it ends between 1 March and 30 June 2021 instead (so nothing
    before March changes: the calibration year and the HOI month stay as they are); one
    begun in it begins in the fourth quarter instead, as long as before.
    """
    designed = np.concatenate(pop.quarter_persons)
    march = np.datetime64(f"{cal.QUARTER_FIRST_DAY[:4]}-03-01", "D")
    for person, _, start, end, _ in pop.spells:
        hit = (~np.isin(person, designed) & (start <= Q_LAST)
               & (np.isnat(end) | (end >= Q_FIRST)))
        before = hit & (start < Q_FIRST)
        end[before] = uniform_days(rng, np.maximum(start[before], march), Q_FIRST - 1,
                                   int(before.sum()))
        inside = np.flatnonzero(hit & (start >= Q_FIRST))
        length = np.where(np.isnat(end[inside]), 0, (end[inside] - start[inside])
                          .astype(np.int64))
        start[inside] = uniform_days(rng, Q_LAST + 1, LATE_EXTRACTION - 30, len(inside))
        closed = ~np.isnat(end[inside])
        end[inside[closed]] = np.minimum(start[inside[closed]] + length[closed],
                                         LATE_EXTRACTION - 1)


def fill_benefits(rng: np.random.Generator, pop: Population) -> None:
    """The benefit of every spell not given one by design, drawn from its group's."""
    for _, group, _, _, benefit in pop.spells:
        for code, names in cal.BENEFITS.items():
            mask = (group == code) & (benefit == "")
            benefit[mask] = np.array(names)[rng.integers(0, len(names), int(mask.sum()))]


def generate_population(seed: int, scale: float) -> Population:
    """All persons, spells, grants and custody relations of a delivery."""
    rng = np.random.default_rng(seed)
    pop = Population()
    bif_cohort(rng, pop, cal.CALIBRATION_YEAR, scale, cross=True)
    calibration_active = bif_active(pop, cal.CALIBRATION_YEAR)
    anchor = int(calibration_active.sum())
    # Lives around the calibration year and the other years' own citizens draw from
    # their own stream.
    life_rng = np.random.default_rng([seed, 14])
    cases_begun_before(life_rng, pop)
    lives_around(life_rng, pop, calibration_active)
    sof_only(rng, pop, cal.CALIBRATION_YEAR, scale)
    other_year_cohort(life_rng, pop, 2019, scale, anchor)
    # Bilag 1a's quarter draws from its own stream: the years before stay as they were.
    quarter_rng = np.random.default_rng([seed, 13])
    design_quarter(quarter_rng, pop, scale)
    quarter_entrant_cases(life_rng, pop, calibration_active)
    other_year_cohort(life_rng, pop, 2021, scale, anchor)
    cells = trim_hoi_month(life_rng, pop, scale)
    hoi_citizens(rng, pop, scale, cells)
    keep_out_of_quarter(quarter_rng, pop)
    fill_benefits(quarter_rng, pop)
    sof_without_history(pop)
    return pop


# ------------------------------------------------------------ lives around the anchors


def spell_arrays(pop: Population) -> tuple[Ints, Strs, Dates, Dates]:
    """Every spell so far as four arrays: person, group, start, end."""
    return (np.concatenate([s[0] for s in pop.spells]),
            np.concatenate([s[1] for s in pop.spells]),
            np.concatenate([s[2] for s in pop.spells]),
            np.concatenate([s[3] for s in pop.spells]))


def grant_arrays(pop: Population) -> tuple[Ints, Strs, Dates, Dates]:
    """Every grant so far as four arrays: person, code, start, end."""
    return (np.concatenate([g[0] for g in pop.grants]),
            np.concatenate([g[1] for g in pop.grants]),
            np.concatenate([g[2] for g in pop.grants]),
            np.concatenate([g[3] for g in pop.grants]))


def year_days(year: int) -> tuple[np.datetime64, np.datetime64]:
    return np.datetime64(f"{year}-01-01", "D"), np.datetime64(f"{year}-12-31", "D")


def bif_active(pop: Population, year: int) -> npt.NDArray[np.bool_]:
    """Per person: spell days in at least two calendar months of ``year`` (rule 1, as the
    generator sees it: every spell valid, an open one running to the later extraction)."""
    person, _, start, end = spell_arrays(pop)
    first, last = year_days(year)
    end = np.where(np.isnat(end), LATE_EXTRACTION, end)
    hit = (start <= last) & (end >= first) & (start <= end)
    base = (year - 1970) * 12
    s = np.maximum(start[hit], first).astype("datetime64[M]").astype(np.int64) - base
    e = np.minimum(end[hit], last).astype("datetime64[M]").astype(np.int64) - base
    bits = ((np.int64(1) << (e + 1)) - 1) & ~((np.int64(1) << s) - 1)
    owner = person[hit]
    order = np.argsort(owner, kind="stable")
    owner, bits = owner[order], bits[order]
    mask = np.zeros(pop.n_persons, np.int64)
    if len(owner):
        heads = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        mask[owner[heads]] = np.bitwise_or.reduceat(bits, heads)
    months = sum((mask >> k) & 1 for k in range(12))
    return np.asarray(months >= 2)


def main_group_of(group: Strs) -> Strs:
    return np.where(np.isin(group, cal.KANTEN_GROUPS), "kanten",
                    np.where(np.isin(group, cal.SYGEMELDT_GROUPS), "sygemeldt", "klar"))


def moved(rng: np.random.Generator, group: Strs, moves: dict[str, tuple[str, float]]) -> Strs:
    """The group of a life spell: the anchor's group, or by ``moves`` another one."""
    out = group.copy()
    u = rng.random(len(group))
    for source, (target, share) in moves.items():
        out[(group == source) & (u < share)] = target
    return out


def case_codes(rng: np.random.Generator, pop: Population, year: int) -> Strs:
    """Per person: one of their adult coordination-relevant codes with a day in ``year``
    ("" for none)."""
    first, last = year_days(year)
    owner, code, g_start, g_end = grant_arrays(pop)
    g_end = np.where(np.isnat(g_end), LATE_EXTRACTION, g_end)
    coordination = (np.isin(code, list(coordination_weights())) & (g_start <= last)
                    & (g_end >= first))
    shuffled = rng.permutation(np.flatnonzero(coordination))
    persons, pick = np.unique(owner[shuffled], return_index=True)
    codes = np.full(pop.n_persons, "", dtype=object)
    codes[persons] = code[shuffled][pick]
    return codes


def lives_around(rng: np.random.Generator, pop: Population,
                 active: npt.NDArray[np.bool_]) -> None:
    """A life before and after the calibration year for a share of its BIF-active citizens.

    Before: a spell that ends before 1 January of the calibration year (a gap of weeks
    to months before the citizen's first spell); after: one that begins after
    31 December (after the last spell ends), in the same group or, by
    ``cal.MOVE_FROM``/``cal.MOVE_TO``, a neighbouring one. Fællesborgere (a
    coordination-relevant grant in the year) with such a life keep one of their
    interventions in it by ``cal.GRANT_WITH_LIFE_SHARE``. No day of the calibration year
    changes, so none of its figures does.
    """
    year = cal.CALIBRATION_YEAR
    first, last = year_days(year)
    person, group, start, end = spell_arrays(pop)
    end = np.where(np.isnat(end), LATE_EXTRACTION, end)
    keep = active[person]
    person, group, start, end = person[keep], group[keep], start[keep], end[keep]
    by_start = np.lexsort((start, person))
    heads = np.flatnonzero(np.r_[True, np.diff(person[by_start]) != 0])
    citizen = person[by_start][heads]
    first_start = start[by_start][heads]
    first_group = group[by_start][heads]
    by_end = np.lexsort((end, person))
    tails = np.r_[heads[1:] - 1, len(person) - 1]
    last_end = end[by_end][tails]
    last_group = group[by_end][tails]
    birth = pop_births(pop)

    fb_code = case_codes(rng, pop, year)

    lo_gap, hi_gap = cal.LIFE_GAP_DAYS
    lo_len, hi_len = cal.LIFE_LENGTH_DAYS
    for side in ("before", "after"):
        n = len(citizen)
        gap = rng.integers(lo_gap, hi_gap + 1, n)
        length = rng.integers(lo_len, hi_len + 1, n)
        if side == "before":
            shares, anchor_group = cal.LIFE_BEFORE_SHARE, first_group
            eligible = first_start >= first
            life_end = np.minimum(first_start - gap, first - 1)
            other_first, _ = year_days(year - 1)
            adult = birth[citizen] + int(18 * 365.25)
            life_start = np.maximum(np.maximum(life_end - length, other_first), adult)
            eligible &= life_start <= life_end - 45
            groups = moved(rng, anchor_group, cal.MOVE_FROM)
        else:
            shares, anchor_group = cal.LIFE_AFTER_SHARE, last_group
            eligible = last_end <= last
            life_start = np.maximum(last_end + gap, last + 1)
            life_end = open_or(rng, cast(Dates, life_start + length), 0.25)
            eligible &= life_start < LATE_EXTRACTION - 60
            groups = moved(rng, anchor_group, cal.MOVE_TO)
            # the young turn 30: uddannelses-/aktivitetsparat voksen instead of ung
            age = ((life_start - birth[citizen]).astype(np.int64) / 365.25)
            groups = np.where((age >= 30) & (groups == "6.4"), "6.2", groups)
            groups = np.where((age >= 30) & (groups == "6.5"), "6.3", groups)
        main = main_group_of(anchor_group)
        share = np.select([main == k for k in shares], list(shares.values()))
        chosen = np.flatnonzero(eligible & (rng.random(n) < share))
        persons = citizen[chosen]
        pop.add_spells(persons, groups[chosen].astype(str),
                       Periods(np.arange(len(chosen)), life_start[chosen], life_end[chosen]))
        # the fællesborgere's social case in that life
        grant_share = np.select([main[chosen] == k for k in cal.GRANT_WITH_LIFE_SHARE],
                                list(cal.GRANT_WITH_LIFE_SHARE.values()))
        with_case = (fb_code[persons] != "") & (rng.random(len(chosen)) < grant_share)
        idx = np.flatnonzero(with_case)
        k = len(idx)
        s_start = life_start[chosen][idx]
        s_end = np.where(np.isnat(life_end[chosen][idx]), LATE_EXTRACTION,
                         life_end[chosen][idx])
        c_start = uniform_days(rng, s_start - 60, s_end, k)
        c_end = c_start + rng.integers(30, 400, k)
        if side == "before":
            c_start = np.maximum(c_start, year_days(year - 1)[0])
            c_end = np.minimum(c_end, first - 1)
        else:
            c_start = np.maximum(c_start, last + 1)
            c_end = open_or(rng, np.maximum(c_end, c_start), 0.3)
        pop.add_grants(persons[idx], fb_code[persons[idx]].astype(str),
                       Periods(np.arange(k), c_start, c_end))


def cases_begun_before(rng: np.random.Generator, pop: Population) -> None:
    """A share of the adult coordination-relevant grants that begin in the calibration
    year began months before it instead (``cal.CASE_BEGUN_BEFORE``): a social case runs
    across New Year. Each keeps a day in the year, so no figure of the year changes."""
    first, last = year_days(cal.CALIBRATION_YEAR)
    codes = list(coordination_weights())
    lo, hi = cal.CASE_BEGUN_BEFORE_DAYS
    for _, code, start, _ in pop.grants:
        hit = np.flatnonzero((start >= first) & (start <= last) & np.isin(code, codes)
                             & (rng.random(len(start)) < cal.CASE_BEGUN_BEFORE))
        start[hit] = start[hit] - rng.integers(lo, hi + 1, len(hit))


def quarter_entrant_cases(rng: np.random.Generator, pop: Population,
                          calibration_active: npt.NDArray[np.bool_]) -> None:
    """The citizens design_quarter brings in who were not BIF-active in the calibration
    year get a social case as often as the calibration year's citizens of their group:
    a coordination-relevant grant in the quarter's year (Tabel 3's share of fællesborgere)
    or only a non-coordination-relevant one (rule 6's share)."""
    person, group, start, _ = spell_arrays(pop)
    new = np.concatenate(pop.quarter_persons)
    new = np.setdiff1d(new, np.flatnonzero(calibration_active))
    year = int(cal.QUARTER_FIRST_DAY[:4])
    in_year = np.isin(person, new) & (start >= year_days(year)[0] - 366)
    order = np.lexsort((-start[in_year].astype(np.int64), person[in_year]))
    owner = person[in_year][order]
    heads = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    citizens, groups = owner[heads], group[in_year][order][heads]
    share = np.array([cal.FAELLESBORGERE[g] / cal.POPULATION[g] for g in groups])
    u = rng.random(len(citizens))
    coordination = citizens[u < share]
    random_coordination(rng, pop, coordination, year, cross=False)
    only_other = cal.ONLY_NON_COORDINATION / sum(cal.POPULATION.values())
    others = citizens[(u >= share) & (u < share + only_other)]
    non_coordination(rng, pop, others, year, cross=False)
    # the calibration year's citizens in the quarter (long episodes) keep their case
    stayed = np.setdiff1d(np.concatenate(pop.quarter_persons), new)
    before = case_codes(rng, pop, cal.CALIBRATION_YEAR)
    now = case_codes(rng, pop, year)
    stayed = stayed[(before[stayed] != "") & (now[stayed] == "")]
    last_group = dict(zip(*latest_groups(pop, stayed), strict=True))
    main = main_group_of(np.array([last_group.get(p, "6.1") for p in stayed], dtype=str))
    keep_share = np.select([main == k for k in cal.GRANT_WITH_LIFE_SHARE],
                           list(cal.GRANT_WITH_LIFE_SHARE.values()))
    stayed = stayed[rng.random(len(stayed)) < keep_share]
    k = len(stayed)
    c_start = uniform_days(rng, year_days(year)[0], np.datetime64(f"{year}-06-30"), k)
    c_end = open_or(rng, c_start + rng.integers(90, 540, k), 0.3)
    pop.add_grants(stayed, before[stayed].astype(str), Periods(np.arange(k), c_start, c_end))


def latest_groups(pop: Population, persons: Ints) -> tuple[Ints, Strs]:
    """The group of each of ``persons``' latest-starting spell."""
    person, group, start, _ = spell_arrays(pop)
    hit = np.isin(person, persons)
    order = np.lexsort((-start[hit].astype(np.int64), person[hit]))
    owner = person[hit][order]
    heads = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    return owner[heads], group[hit][order][heads]


def other_year_cohort(rng: np.random.Generator, pop: Population, year: int, scale: float,
                      anchor: int) -> None:
    """Citizens of ``year`` only (entrants and leavers): as many as make the year's
    BIF-active citizens ``cal.YEAR_SIZE_RELATIVE`` of the calibration year's; and SOF
    recipients without BIF of that year (``cal.SOF_ONLY_OTHER_YEAR_SHARE``).

    A cohort of share s has about s times the calibration year's BIF-active citizens.
    """
    sof_only(rng, pop, year, scale * cal.SOF_ONLY_OTHER_YEAR_SHARE, cross=False)
    current = int(bif_active(pop, year).sum())
    share = max(0.0, (cal.YEAR_SIZE_RELATIVE[year] * anchor - current) / max(anchor, 1))
    if share <= 0:
        return
    first_person = pop.n_persons
    first_spell, first_grant = len(pop.spells), len(pop.grants)
    bif_cohort(rng, pop, year, scale * share, cross=False)
    # at the window's edge their lives run on: from the year before, into the next
    first, last = year_days(year)
    lo, hi = cal.OTHER_YEAR_REACH_DAYS
    child_codes = ["ANBRINGELSE", *cal.PREVENTIVE_CODES]
    periods = [(p[0], p[2], p[3], np.ones(len(p[0]), bool)) for p in pop.spells[first_spell:]]
    periods += [(g[0], g[2], g[3], ~np.isin(g[1], child_codes))
                for g in pop.grants[first_grant:]]
    for owner, start, end, adult in periods:
        reach = adult & (owner >= first_person) & (rng.random(len(owner)) < cal.OTHER_YEAR_REACH)
        shift = rng.integers(lo, hi + 1, len(owner))
        if year < cal.CALIBRATION_YEAR:
            hit = reach & (start >= first)
            start[hit] = start[hit] - shift[hit]
        else:
            hit = reach & ~np.isnat(end) & (end <= last)
            end[hit] = np.minimum(end[hit] + shift[hit], LATE_EXTRACTION - 1)
            end[hit & (rng.random(len(owner)) < 0.5)] = NAT


# ------------------------------------------------------------------------ HOI month


def hoi_month_cells(pop: Population) -> pd.DataFrame:
    """The citizens in each HOI Tabel 1 cell of the HOI month (rule 10), as generated:
    columns person, column (0-2: aktivitetsparate 25-29, 30+, ressourceforløb), sel."""
    first, last = hoi_month()
    person, group, start, end = spell_arrays(pop)
    hit = (np.isin(group, cal.HOI_GROUPS) & (start <= last)
           & (np.isnat(end) | (end >= first)))
    born_25 = np.datetime64(f"{cal.HOI_YEAR - 25}-{cal.HOI_MONTH:02d}-01", "D")
    born_30 = np.datetime64(f"{cal.HOI_YEAR - 30}-{cal.HOI_MONTH:02d}-01", "D")
    birth = pop_births(pop)[person[hit]]
    column = np.where(group[hit] == "6.8", np.where(birth <= born_25, 2, -1),
                      np.where(birth <= born_30, 1, np.where(birth <= born_25, 0, -1)))
    spells = pd.DataFrame({"person": person[hit], "column": column})
    spells = spells[spells["column"] >= 0].drop_duplicates()
    owner, code, g_start, g_end = grant_arrays(pop)
    sel_of = {c: sel for sel, weights in cal.HOI_CODES.items() for c in weights}
    g_hit = (np.isin(code, list(sel_of)) & (g_start <= last)
             & (np.isnat(g_end) | (g_end >= first)))
    grants = pd.DataFrame({"person": owner[g_hit],
                           "sel": [sel_of[c] for c in code[g_hit]]}).drop_duplicates()
    return spells.merge(grants, on="person")


def trim_hoi_month(rng: np.random.Generator, pop: Population,
                   scale: float) -> dict[str, tuple[int, int, int]]:
    """Keep the citizens who are in HOI Tabel 1 of the HOI month anyway, as many as each
    cell has room for; the others pause that SEL group's grants for the month (a grant
    ends the day before it and resumes the day after). Returns what each cell still
    needs: hoi_citizens designs those.
    """
    first, last = hoi_month()
    cells = hoi_month_cells(pop)
    for sel, targets in cal.HOI_CELLS.items():
        paused: list[Ints] = []
        for column, target in enumerate(targets):
            members = cells.loc[(cells["sel"] == sel) & (cells["column"] == column),
                                "person"].to_numpy(np.int64)
            excess = len(members) - scaled(target, scale)
            if excess > 0:
                paused.append(rng.choice(members, excess, replace=False))
        if paused:
            pause_grants(pop, np.concatenate(paused), list(cal.HOI_CODES[sel]), first, last)
    cells = hoi_month_cells(pop)
    needs: dict[str, tuple[int, int, int]] = {}
    for sel, targets in cal.HOI_CELLS.items():
        have = [int(((cells["sel"] == sel) & (cells["column"] == c)).sum()) for c in range(3)]
        needs[sel] = (max(0, scaled(targets[0], scale) - have[0]),
                      max(0, scaled(targets[1], scale) - have[1]),
                      max(0, scaled(targets[2], scale) - have[2]))
    return needs


def pause_grants(pop: Population, persons: Ints, codes: list[str], first: np.datetime64,
                 last: np.datetime64) -> None:
    """The grants of ``codes`` of ``persons`` have no day from ``first`` to ``last``."""
    resumed = []
    for i, (owner, code, g_start, g_end) in enumerate(pop.grants):
        hit = (np.isin(owner, persons) & np.isin(code, codes) & (g_start <= last)
               & (np.isnat(g_end) | (g_end >= first)))
        again = hit & (np.isnat(g_end) | (g_end > last))
        resumed.append((owner[again], code[again], np.maximum(g_start[again], last + 1),
                        g_end[again]))
        g_end[hit & (g_start < first)] = first - 1
        keep = ~(hit & (g_start >= first))
        pop.grants[i] = (owner[keep], code[keep], g_start[keep], g_end[keep])
    pop.grants.extend(resumed)


def sof_without_history(pop: Population) -> None:
    """No SOF grant begins before 1 January of the first data year.

    Only the BIF extract carries history (raw-extracts.md); a grant drawn to begin
    earlier begins on that day instead, and one that ended before it is not delivered, so
    nothing of the data years changes. (Without
    it, citizens continued back to 2015 by design_quarter would make the history years
    look like report years of fællesborgere.)
    """
    first = np.datetime64(f"{min(cal.DATA_YEARS)}-01-01", "D")
    kept = []
    for owner, code, start, end in pop.grants:
        keep = np.isnat(end) | (end >= first)  # a grant wholly before: not delivered
        start = np.maximum(start[keep], first)
        kept.append((owner[keep], code[keep], start, end[keep]))
    pop.grants = kept


# ------------------------------------------------------------------ a monthly delivery

# The extracts of a monthly delivery: the key of a delivered row (None: the custody
# relation, keyed by child, holder and start) and the columns it is written with.
MONTHLY_COLUMNS: dict[str, list[str]] = {
    "bif_ydelsesforloeb": ["forloeb_id", "cpr", "maalgruppe", "ydelse", "akasse", "startdato",
                           "slutdato", "udtraeksdato"],
    "sof_bevillinger": ["bevilling_id", "cpr", "indsats_kode", "indsats_tekst", "paragraf",
                        "startdato", "slutdato", "udtraeksdato"],
    "sof_foraeldremyndighed": ["barn_cpr", "foraelder_cpr", "startdato", "slutdato",
                               "udtraeksdato"],
    "cpr_personer": ["cpr", "herkomst", "udtraeksdato"],
}
# Of the citizens who start a spell in the new month, this share is new to the extract
# (the rest return after an earlier spell); of those who get a grant, this share is a
# citizen with a running spell.
MONTHLY_NEW_CITIZEN_SHARE = 0.2
MONTHLY_GRANT_TO_BIF_SHARE = 0.5


def _is_utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _load_extract(con: duckdb.DuckDBPyConnection, raw_dir: Path, extract: str) -> None:
    """Table ``<extract>`` of every delivered row (the columns of MONTHLY_COLUMNS, null
    where a file lacks one), with its file and line, parsed dates and normalised CPR."""
    columns = MONTHLY_COLUMNS[extract]
    files = sorted(p for p in raw_dir.glob(f"{extract}*.csv") if p.is_file())
    if not files:
        raise FileNotFoundError(f"Extract '{extract}' has no file in {raw_dir}")
    parts = []
    for rank, path in enumerate(files):
        encoding = "utf-8" if _is_utf8(path) else "latin-1"
        header = con.execute(
            "select * from read_csv(?, delim = ';', quote = '\"', header = true, "
            "all_varchar = true, normalize_names = true, encoding = ?) limit 0",
            [str(path), encoding]).description or []
        present = {str(column[0]) for column in header}
        listing = ", ".join(f'"{c}"' if c in present else f'cast(null as varchar) as "{c}"'
                            for c in columns)
        parts.append(
            f"select {listing}, {rank} as file_rank, ordinality as line "
            f"from read_csv({_sql_text(str(path))}, delim = ';', quote = '\"', header = true, "
            f"all_varchar = true, normalize_names = true, "
            f"encoding = {_sql_text(encoding)}) with ordinality")
    con.execute(f"create or replace view {extract} as " + " union all ".join(parts))


_PARSE_DATE = """case
    when trim({0}) like '__-__-____' then try_strptime(trim({0}), '%d-%m-%Y')::date
    when trim({0}) like '____-__-__' then try_cast(trim({0}) as date)
end"""
_NORMALISED_CPR = "lpad(replace(replace(trim({0}), '-', ''), ' ', ''), 10, '0')"


def _latest(con: duckdb.DuckDBPyConnection, extract: str, key: str) -> str:
    """SQL of the latest delivered row of each ``key`` whose dates parse, with the parsed
    start, end (null: open) and extraction date and the normalised CPR number."""
    parse = _PARSE_DATE.format
    cpr_column = "barn_cpr" if extract == "sof_foraeldremyndighed" else "cpr"
    return f"""
        select * exclude (rank_in_key) from (
            select *,
                row_number() over (partition by {key}
                    order by extraction desc, file_rank desc, line desc) as rank_in_key
            from (
                select *, {parse('startdato')} as start_date, {parse('slutdato')} as end_date,
                    {parse('udtraeksdato')} as extraction,
                    {_NORMALISED_CPR.format(cpr_column)} as person
                from {extract}
            )
            where start_date is not null and extraction is not null
                and (end_date is not null or nullif(trim(slutdato), '') is null)
                and regexp_full_match({_NORMALISED_CPR.format(cpr_column)}, '[0-9]{{10}}')
        )
        where rank_in_key = 1
    """


def _monthly_rates(con: duckdb.DuckDBPyConnection, latest: str, last: np.datetime64,
                   month_before: np.datetime64) -> tuple[float, int]:
    """The delivery's own monthly rates: the share of the periods running a month before
    the latest extraction date that ended by it, and the number that began in that month."""
    row = con.execute(f"""
        select
            count(*) filter (where end_date > date '{month_before}'
                and end_date <= date '{last}')
            / greatest(count(*) filter (where start_date <= date '{month_before}'
                and coalesce(end_date, extraction) > date '{month_before}'), 1),
            count(*) filter (where start_date > date '{month_before}'
                and start_date <= date '{last}')
        from {latest}
    """).fetchone()
    assert row is not None
    return float(row[0]), int(row[1])


def _days_between(rng: np.random.Generator, first: Dates, last: Dates) -> Dates:
    """A day drawn uniformly from ``first`` to ``last`` (inclusive), per element."""
    span = (last - first).astype(np.int64) + 1
    return first + (rng.random(len(first)) * span).astype(np.int64)


def _pick(con: duckdb.DuckDBPyConnection, rng: np.random.Generator, table: str, order: str,
          count: int, replace: bool) -> pd.DataFrame:
    """``count`` rows of ``table`` drawn by their position in ``order`` (with or without
    replacement), in the order drawn. Only the drawn rows leave DuckDB."""
    row = con.execute(f"select count(*) from {table}").fetchone()
    available = 0 if row is None else int(row[0])
    count = count if replace else min(count, available)
    if available == 0 or count == 0:
        return con.execute(f"select * from {table} limit 0").df()
    positions = (rng.integers(0, available, count) if replace
                 else np.sort(rng.choice(available, size=count, replace=False)))
    con.register("drawn", pd.DataFrame({"position": positions + 1, "draw": np.arange(count)}))
    frame = con.execute(f"""
        select numbered.* exclude (position)
        from (select *, row_number() over (order by {order}) as position from {table})
            as numbered
        inner join drawn on numbered.position = drawn.position
        order by drawn.draw
    """).df()
    con.unregister("drawn")
    return frame


def _ended(con: duckdb.DuckDBPyConnection, rng: np.random.Generator, table: str, order: str,
           share: float, after: np.datetime64, extraction: np.datetime64) -> pd.DataFrame:
    """The open periods of ``table`` that end in the new month (about ``share`` of them,
    at least one), re-delivered by the same key with their end and the new extraction."""
    open_rows = f"(select * from {table} where end_date is null)"
    row = con.execute(f"select count(*) from {open_rows}").fetchone()
    n_open = 0 if row is None else int(row[0])
    chosen = _pick(con, rng, open_rows, order, max(1, round(share * n_open)), replace=False)
    if chosen.empty:
        return chosen
    count = len(chosen)
    first = np.maximum(chosen["start_date"].to_numpy(dtype="datetime64[D]"), after + 1)
    chosen["slutdato"] = _dmy(_days_between(rng, first, np.full(count, extraction)))
    chosen["udtraeksdato"] = _dmy(np.full(count, extraction))
    return chosen


def _dmy(days: Dates) -> npt.NDArray[np.str_]:
    return np.asarray(pd.DatetimeIndex(days).strftime("%d-%m-%Y"), dtype=str)


def _new_cpr_numbers(con: duckdb.DuckDBPyConnection, rng: np.random.Generator, n: int,
                     extraction: np.datetime64, taken: str) -> list[str]:
    """``n`` CPR numbers of adults (18-60 at ``extraction``) that are not in the query
    ``taken`` (a column ``person``), in the order drawn."""
    numbers: list[str] = []
    while len(numbers) < n:
        size = 2 * n + 10
        age_days = rng.integers(18 * 365, 60 * 365, size=size)
        birth = pd.DatetimeIndex(extraction - age_days.astype("timedelta64[D]"))
        # 7th digit 0-3: born 1900-1999; 4: born 2000-2036 (docs/raw-extracts.md)
        seventh = np.where(birth.year >= 2000, 4, rng.integers(0, 4, size=size))
        serial = seventh * 1000 + rng.integers(0, 1000, size=size)
        candidates = pd.DataFrame({
            "cpr": np.char.add(np.asarray(birth.strftime("%d%m%y"), dtype=str),
                               np.char.zfill(serial.astype(str), 4)),
            "draw": np.arange(size)})
        con.register("candidates", candidates)
        fresh = con.execute(f"""
            select cpr from candidates
            where cpr not in (select person from ({taken}) where person is not null)
            qualify row_number() over (partition by cpr order by draw) = 1
            order by draw
        """).fetchall()
        con.unregister("candidates")
        drawn = set(numbers)
        numbers += [str(cpr) for (cpr,) in fresh if str(cpr) not in drawn][: n - len(numbers)]
    return numbers


def add_month(raw_dir: Path, seed: int) -> dict[str, int]:
    """Write one more monthly file per extract next to the delivery in ``raw_dir``.

    As the source systems would deliver it a calendar month after the delivery's latest
    extraction date: spells and grants that began in that month (of citizens returning
    after an earlier spell, of new citizens, whose person register rows come with it,
    and grants of citizens with a running spell), and re-deliveries by the same id of
    spells, grants and custody relations that ended in it, each with the new extraction
    date. How many is the delivery's own rate: as many begin as began in the month
    before, and the share of the running ones that ended then ends now. Microdata drawn
    by these rules, deterministic by seed and delivery; clean rows in UTF-8 with
    DD-MM-YYYY dates. The files are named ``<extract>_<YYYYMMDD>.csv``; an existing file
    is never overwritten. A folder the generator marked as synthetic stays marked.
    Returns the number of rows per file written.
    """
    from faellesborger.synthetic_marker import MARKER_NAME, is_synthetic_delivery, write_marker

    raw_dir = Path(raw_dir)
    synthetic = is_synthetic_delivery(raw_dir)
    con = duckdb.connect()
    for extract in MONTHLY_COLUMNS:
        _load_extract(con, raw_dir, extract)
    con.execute("create table spells as " + _latest(con, "bif_ydelsesforloeb",
                                                     "trim(forloeb_id)"))
    con.execute("create table grants as " + _latest(con, "sof_bevillinger",
                                                     "trim(bevilling_id)"))
    con.execute("create table custody as " + _latest(
        con, "sof_foraeldremyndighed", f"{_NORMALISED_CPR.format('barn_cpr')}, "
        f"{_NORMALISED_CPR.format('foraelder_cpr')}, startdato"))
    row = con.execute("select max(extraction) from spells").fetchone()
    if row is None or row[0] is None:
        raise ValueError(f"No usable BIF row in {raw_dir}: nothing to add a month to")
    last = np.datetime64(row[0], "D")
    day_in_month = last - last.astype("datetime64[M]").astype("datetime64[D]")
    extraction = (last.astype("datetime64[M]") + 1).astype("datetime64[D]") + day_in_month
    month_before = (last.astype("datetime64[M]") - 1).astype("datetime64[D]") + day_in_month
    stamp = pd.Timestamp(extraction).strftime("%Y%m%d")
    names = {extract: f"{extract}_{stamp}.csv" for extract in MONTHLY_COLUMNS}
    for name in names.values():
        if (raw_dir / name).exists():
            raise FileExistsError(f"{raw_dir / name} exists: the month is delivered already")
    rng = np.random.default_rng([seed, int(extraction.astype(np.int64))])
    frames: dict[str, pd.DataFrame] = {}
    new_dates = _dmy(np.full(1, extraction))[0]

    def recent(table: str) -> str:
        """The periods that began in the month before the latest extraction (or all)."""
        began = (f"(select * from {table} where start_date > date '{month_before}' "
                 f"and start_date <= date '{last}')")
        row = con.execute(f"select count(*) from {began}").fetchone()
        return began if row is not None and row[0] else table

    def next_id(column: str, extract: str) -> int:
        row = con.execute(f"select max(try_cast(trim({column}) as bigint)) from {extract}"
                          ).fetchone()
        return 1 if row is None or row[0] is None else int(row[0]) + 1

    # BIF: spells that end, and spells that begin (returning and new citizens)
    end_share, begun = _monthly_rates(con, "spells", last, month_before)
    ended = _ended(con, rng, "spells", "forloeb_id", end_share, last, extraction)
    n_new = max(1, begun)
    templates = _pick(con, rng, recent("spells"), "forloeb_id", n_new, replace=True)
    returning = ("(select distinct person from spells where person not in "
                 "(select person from spells where end_date is null))")
    taken = ("select person from spells union all select "
             f"{_NORMALISED_CPR.format('cpr')} from cpr_personer")
    n_fresh = max(1, round(MONTHLY_NEW_CITIZEN_SHARE * n_new))
    fresh = _new_cpr_numbers(con, rng, n_fresh, extraction, taken)
    back = _pick(con, rng, returning, "person", n_new - n_fresh, replace=True)
    persons = fresh + list(back["person"]) if not back.empty else fresh * (n_new // n_fresh + 1)
    start = _days_between(rng, np.full(n_new, last + 1), np.full(n_new, extraction))
    ends_too = rng.random(n_new) < end_share
    end = _days_between(rng, start, np.full(n_new, extraction))
    first_id = next_id("forloeb_id", "bif_ydelsesforloeb")
    frames["bif_ydelsesforloeb"] = pd.concat([ended, templates.assign(
        forloeb_id=[str(first_id + i) for i in range(n_new)], cpr=persons[:n_new],
        startdato=_dmy(start), slutdato=np.where(ends_too, _dmy(end), ""),
        udtraeksdato=new_dates)], ignore_index=True)

    # SOF: grants that end, and grants that begin (half of them to citizens on a spell)
    end_share, begun = _monthly_rates(con, "grants", last, month_before)
    ended = _ended(con, rng, "grants", "bevilling_id", end_share, last, extraction)
    n_new = max(1, begun)
    templates = _pick(con, rng, recent("grants"), "bevilling_id", n_new, replace=True)
    on_spell = _pick(con, rng, "(select distinct person from spells where end_date is null)",
                     "person", n_new, replace=True)
    to_bif = (rng.random(n_new) < MONTHLY_GRANT_TO_BIF_SHARE) & (len(on_spell) == n_new)
    grantees = np.where(to_bif, on_spell["person"].to_numpy() if len(on_spell) == n_new
                        else templates["person"].to_numpy(), templates["person"].to_numpy())
    start = _days_between(rng, np.full(n_new, last + 1), np.full(n_new, extraction))
    first_id = next_id("bevilling_id", "sof_bevillinger")
    frames["sof_bevillinger"] = pd.concat([ended, templates.assign(
        bevilling_id=[str(first_id + i) for i in range(n_new)], cpr=grantees,
        startdato=_dmy(start), slutdato="", udtraeksdato=new_dates)], ignore_index=True)

    # custody relations that end
    end_share, _ = _monthly_rates(con, "custody", last, month_before)
    frames["sof_foraeldremyndighed"] = _ended(
        con, rng, "custody", "barn_cpr, foraelder_cpr, startdato", end_share, last, extraction)

    # the person register: the new citizens, their origin drawn from the register's rows
    origins = _pick(con, rng, "(select herkomst, file_rank, line from cpr_personer "
                    "where herkomst is not null)", "file_rank, line", len(fresh), replace=True)
    frames["cpr_personer"] = pd.DataFrame({
        "cpr": fresh, "herkomst": origins["herkomst"].to_numpy(),
        "udtraeksdato": new_dates})
    con.close()

    counts: dict[str, int] = {}
    old_umask = os.umask(0o077)  # the files hold CPR numbers
    try:
        for extract, frame in frames.items():
            path = raw_dir / names[extract]
            frame[MONTHLY_COLUMNS[extract]].fillna("").to_csv(
                path, sep=";", index=False, encoding="utf-8", lineterminator="\n")
            os.chmod(path, 0o600)
            counts[names[extract]] = len(frame)
    finally:
        os.umask(old_umask)
    if synthetic:
        marker = raw_dir / MARKER_NAME
        listed = [line.partition("  ")[2] for line in
                  marker.read_text(encoding="utf-8").splitlines()]
        write_marker(raw_dir, [*listed, *counts])
    return counts
