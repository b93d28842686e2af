"""Synthetic citizen-level deliveries of the four raw extracts.

The generator creates persons (birth date, sex, origin), BIF benefit spells, SOF grants
and custody relations as the source systems would hold them, then writes them in the
raw-extract format of ``shared/spec/raw-extracts.md`` with everything that format
allows (see :mod:`faellesborger.writer`). It is deterministic for a given seed and
vectorised with NumPy: no Python loop runs per citizen.

Dates are ``datetime64[D]``; an open spell or grant has ``NaT`` as its end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from faellesborger import calibration as cal

Dates = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Strs = npt.NDArray[np.str_]

NAT = np.datetime64("NaT", "D")
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


def month_of(year: int, month0: Ints) -> Ints:
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
    spells: list[tuple[Ints, Strs, Dates, Dates]] = field(default_factory=list)
    grants: list[tuple[Ints, Strs, Dates, Dates]] = field(default_factory=list)
    custody: list[tuple[Ints, Ints, Dates, Dates]] = field(default_factory=list)

    def new_persons(self, rng: np.random.Generator, n: int, age_lo: Ints | int,
                    age_hi: Ints | int, reference: np.datetime64) -> Ints:
        """Create ``n`` persons aged ``age_lo``..``age_hi`` at ``reference``; their ids."""
        age_days = (rng.uniform(np.asarray(age_lo), np.asarray(age_hi) + 1, n) * 365.25)
        self.birth.append(reference - age_days.astype(np.int64))
        self.male.append(rng.random(n) < 0.5)
        ids = np.arange(self.n_persons, self.n_persons + n, dtype=np.int64)
        self.n_persons += n
        return ids

    def add_spells(self, persons: Ints, group: str | Strs, periods: Periods) -> None:
        groups = np.broadcast_to(np.asarray(group), persons.shape)[periods.owner]
        self.spells.append((persons[periods.owner], groups.astype(str),
                            periods.start, periods.end))

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


def adult_interventions(rng: np.random.Generator, pop: Population, persons: Ints,
                        kanten: npt.NDArray[np.bool_], year: int, cross: bool) -> None:
    """Coordination-relevant adult interventions: a top step and lower companions."""
    n = len(persons)
    steps = np.empty(n, np.int64)
    for mask, weights in ((kanten, cal.STEP_WEIGHTS_KANTEN), (~kanten, cal.STEP_WEIGHTS_OTHER)):
        w = np.array(weights, dtype=float)
        steps[mask] = rng.choice(4, size=mask.sum(), p=w / w.sum()) + 1
    deciding = np.empty(n, dtype=object)
    for step, weights in cal.INTERVENTION_WEIGHTS.items():
        mask = steps == step
        deciding[mask] = draw_codes(rng, weights, mask.sum())
    pop.add_grants(persons, deciding.astype(str), grant_periods(rng, n, year, cross))
    for share in cal.EXTRA_INTERVENTION_SHARE:
        extra = rng.random(n) < share
        lower = np.empty(extra.sum(), dtype=object)
        extra_steps = (rng.random(extra.sum()) * steps[extra]).astype(np.int64) + 1
        for step, weights in cal.INTERVENTION_WEIGHTS.items():
            mask = extra_steps == step
            lower[mask] = draw_codes(rng, weights, mask.sum())
        pop.add_grants(persons[extra], lower.astype(str),
                       grant_periods(rng, extra.sum(), year, cross))


def non_coordination(rng: np.random.Generator, pop: Population, persons: Ints,
                     year: int, cross: bool) -> None:
    codes = draw_codes(rng, cal.NON_COORDINATION_WEIGHTS, len(persons))
    pop.add_grants(persons, codes, grant_periods(rng, len(persons), year, cross))


def child_measures(rng: np.random.Generator, pop: Population, parents: Ints, year: int,
                   cross: bool, overlapping: bool = True) -> None:
    """A child with a measure in ``year`` for each parent, and its custody relations.

    With ``overlapping`` false, the parent's custody ends before the measure starts, so
    the parent does not get the measure as a børnesag (rule 4).
    """
    n = len(parents)
    reference = np.datetime64(f"{year}-07-01", "D")
    children = pop.new_persons(rng, n, 1, 17, reference)
    placed = rng.random(n) < cal.PLACEMENT_SHARE
    codes = np.where(placed, "ANBRINGELSE",
                     draw_codes(rng, dict.fromkeys(cal.PREVENTIVE_CODES, 1), n))
    birth = pop.birth[-1]
    measure = grant_periods(rng, n, year, cross)
    measure.start = np.maximum(measure.start, birth)  # no measure before birth
    pop.add_grants(children, codes, measure)
    custody_start = birth
    custody_end = np.full(n, NAT)
    if not overlapping:
        gap = rng.integers(30, 200, n)
        custody_end = np.maximum(measure.start - gap, birth + 1)
    pop.custody.append((children, parents, custody_start, custody_end))
    second = rng.random(n) < cal.SECOND_HOLDER_SHARE
    holders = pop.new_persons(rng, second.sum(), 25, 55, reference)
    pop.custody.append((children[second], holders, birth[second], np.full(second.sum(), NAT)))


def bif_cohort(rng: np.random.Generator, pop: Population, year: int, scale: float,
               cross: bool) -> None:
    """BIF citizens of one year: group members, fællesborgere, and their SOF links."""
    reference = np.datetime64(f"{year}-07-01", "D")
    members: list[tuple[Ints, bool, bool]] = []  # persons, fællesborger, kanten

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
            members.append((persons, fb, group in cal.KANTEN_GROUPS))

    fb_persons = np.concatenate([p for p, fb, _ in members if fb])
    fb_kanten = np.concatenate([np.full(len(p), k) for p, fb, k in members if fb])
    others = np.concatenate([p for p, fb, _ in members if not fb])
    rng.shuffle(others)

    # Fællesborgere: adult interventions, child measures, or both.
    link = rng.random(len(fb_persons))
    child_only = link < cal.CHILD_ONLY_SHARE
    child_too = (link >= cal.CHILD_ONLY_SHARE) & (link < cal.CHILD_ONLY_SHARE
                                                  + cal.CHILD_TOO_SHARE)
    adults = ~child_only
    adult_interventions(rng, pop, fb_persons[adults], fb_kanten[adults], year, cross)
    child_measures(rng, pop, fb_persons[child_only | child_too], year, cross)
    extra_non_coord = rng.random(len(fb_persons)) < 0.15
    non_coordination(rng, pop, fb_persons[extra_non_coord], year, cross)

    # Others: some with only non-coordination grants, some with coordination grants
    # in other years only, some whose child's measure lies outside their custody.
    n_only = scaled(cal.ONLY_NON_COORDINATION, scale)
    n_outside = scaled(cal.COORDINATION_OUTSIDE_YEAR, scale)
    n_custody = scaled(cal.CUSTODY_NOT_OVERLAPPING, scale)
    non_coordination(rng, pop, others[:n_only], year, cross)
    outside = others[n_only:n_only + n_outside]
    codes = draw_codes(rng, cal.INTERVENTION_WEIGHTS[1] | cal.INTERVENTION_WEIGHTS[3],
                       len(outside))
    pop.add_grants(outside, codes, grant_periods_outside(rng, len(outside), year))
    child_measures(rng, pop, others[n_only + n_outside:n_only + n_outside + n_custody], year,
                   cross, overlapping=False)

    # Citizens with spell days in one month only: not BIF-active, some with SOF grants.
    n_single = scaled(sum(cal.POPULATION.values()) * cal.SINGLE_MONTH_SHARE, scale)
    groups = np.array(list(cal.POPULATION))
    weights = np.array(list(cal.POPULATION.values()), dtype=float)
    chosen = groups[rng.choice(len(groups), size=n_single, p=weights / weights.sum())]
    singles = pop.new_persons(rng, n_single, 20, 60, reference)
    pop.add_spells(singles, chosen, single_month_periods(rng, n_single, year, cross))
    with_sof = singles[rng.random(n_single) < 0.1]
    adult_interventions(rng, pop, with_sof, np.zeros(len(with_sof), bool), year, cross)


def sof_only(rng: np.random.Generator, pop: Population, year: int, scale: float) -> None:
    """SOF recipients who have no BIF spell at all."""
    reference = np.datetime64(f"{year}-07-01", "D")
    n = scaled(cal.SOF_ONLY_COORDINATION, scale)
    persons = pop.new_persons(rng, n, 18, 95, reference)
    adult_interventions(rng, pop, persons, np.zeros(n, bool), year, cross=True)
    n = scaled(cal.SOF_ONLY_NON_COORDINATION, scale)
    non_coordination(rng, pop, pop.new_persons(rng, n, 18, 95, reference), year, cross=True)
    n = scaled(cal.SOF_ONLY_CHILD_MEASURE_PARENTS, scale)
    child_measures(rng, pop, pop.new_persons(rng, n, 22, 55, reference), year, cross=True)


def generate_population(seed: int, scale: float) -> Population:
    """All persons, spells, grants and custody relations of a delivery."""
    rng = np.random.default_rng(seed)
    pop = Population()
    bif_cohort(rng, pop, cal.CALIBRATION_YEAR, scale, cross=True)
    for year in cal.DATA_YEARS:
        if year != cal.CALIBRATION_YEAR:
            bif_cohort(rng, pop, year, scale * cal.OTHER_YEAR_COHORT_SHARE, cross=False)
    sof_only(rng, pop, cal.CALIBRATION_YEAR, scale)
    return pop
