"""Design parameters of the synthetic population (microdata design, not aggregates).

The generator builds citizens, spells, grants and custody relations one person at a
time in spirit (vectorised in practice). The numbers here say *how many citizens of
each kind* it creates at scale 1: e.g. how many citizens have a spell in LAB group 6.3
in 2020 and at least two active months, and how many of them receive a
coordination-relevant SOF intervention. The warehouse never reads this module: it
recomputes every figure from the rows the generator writes, by its own rules, and the
dbt test tagged ``published_figures`` compares the result with the report.

Counts are for the calibration year 2020 at scale 1 (Copenhagen). The citizens of 2020
have lives before and after it, and 2019 and 2021 get citizens of their own until they
are of similar size ("lives around the anchors" below; uncalibrated, plausible). Bilag 1a's
third quarter of 2021 has a design of its own (``QUARTER_GROUPS`` below): citizens of
2020 continued into it (with spells back to 2015) and citizens new in 2021.

"Rule N" below is rule N of ``docs/rules.md`` (anchor ``#rule-n``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

CALIBRATION_YEAR: Final = 2020
DATA_YEARS: Final = (2019, 2020, 2021)

# BIF-active citizens (rule 1) with a spell day in the group in 2020 (rule 2), counting a
# citizen in two groups in both. Source report, Tabel 3.
POPULATION: Final[dict[str, int]] = {
    "6.1": 49_579,
    "6.2": 4_351,
    "6.4": 2_739,
    "6.6": 57_755,
    "6.7": 1_691,
    "6.10": 370,
    "6.5": 2_993,
    "6.3": 11_074,
    "6.8": 4_025,
    "6.9": 5_318,
}

# Of those, citizens with a coordination-relevant intervention in 2020 (rule 5).
FAELLESBORGERE: Final[dict[str, int]] = {
    "6.1": 530,
    "6.2": 247,
    "6.4": 240,
    "6.6": 686,
    "6.7": 182,
    "6.10": 52,
    "6.5": 1_129,
    "6.3": 2_572,
    "6.8": 1_223,
    "6.9": 438,
}

KANTEN_GROUPS: Final = ("6.5", "6.3", "6.8", "6.9")

# Citizens who move between two groups during 2020 (first group, then second).
# Fællesborgere: the report's kanten total (5 348 unique vs 5 362 summed) means exactly
# 14 kanten fællesborgere stood in two kanten groups: 10 young aktivitetsparate turning
# 30 (6.5 -> 6.3) and 4 aktivitetsparate voksne moving to ressourceforløb (6.3 -> 6.8).
PAIRS_FAELLESBORGERE: Final[dict[tuple[str, str], int]] = {
    ("6.5", "6.3"): 10,
    ("6.3", "6.8"): 4,
    ("6.6", "6.7"): 15,
    ("6.2", "6.3"): 12,
    ("6.4", "6.5"): 10,
}
PAIRS_OTHERS: Final[dict[tuple[str, str], int]] = {
    ("6.6", "6.7"): 500,
    ("6.5", "6.3"): 150,
    ("6.3", "6.8"): 200,
    ("6.2", "6.3"): 300,
    ("6.4", "6.5"): 150,
    ("6.1", "6.6"): 400,
    ("6.8", "6.9"): 100,
}

# Age range (years, at mid-year) of the citizens of each group.
AGE_RANGE: Final[dict[str, tuple[int, int]]] = {
    "6.1": (22, 66),
    "6.2": (30, 64),
    "6.4": (18, 29),
    "6.5": (18, 29),
    "6.3": (25, 64),
    "6.6": (20, 66),
    "6.7": (25, 64),
    "6.10": (25, 60),
    "6.8": (22, 64),
    "6.9": (25, 64),
}

# Benefit names written in the `ydelse` column, per group.
BENEFITS: Final[dict[str, tuple[str, ...]]] = {
    "6.1": ("Dagpenge",),
    "6.2": ("Kontanthjælp", "Overgangsydelse"),
    "6.4": ("Uddannelseshjælp", "Overgangsydelse"),
    "6.6": ("Sygedagpenge",),
    "6.7": ("Ressourceforløbsydelse",),
    "6.10": ("Revalideringsydelse",),
    "6.5": ("Uddannelseshjælp", "Overgangsydelse"),
    "6.3": ("Kontanthjælp", "Overgangsydelse"),
    "6.8": ("Ressourceforløbsydelse",),
    "6.9": ("Fleksløntilskud", "Ledighedsydelse"),
}

# Citizens with spell days in 2020 in a single month only: not BIF-active (rule 1).
SINGLE_MONTH_SHARE: Final = 0.03

# ---------------------------------------------------------------- lives around the anchors
# The citizens of the calibration year do not appear from nowhere on 1 January 2020 and
# vanish on 31 December: a share of them had a life on benefits in 2019 and one in 2021
# (a spell that ends before the year / begins after it, so no day of 2020 changes), and
# the fællesborgere among them a coordination-relevant grant then too. Shares are of the
# citizens without a spell day in the year before (after) yet, by main group (rule 8).
SYGEMELDT_GROUPS: Final = ("6.6", "6.7", "6.10")
# kanten citizens are on benefits for years; sick-listed ones mostly for months.
LIFE_BEFORE_SHARE: Final[dict[str, float]] = {"klar": 0.30, "sygemeldt": 0.12, "kanten": 0.60}
# the same persistence after the year (the 2021 side also keeps clear of Bilag 1a's quarter).
LIFE_AFTER_SHARE: Final[dict[str, float]] = {"klar": 0.30, "sygemeldt": 0.12, "kanten": 0.60}
# fællesborgere keep their social case: most of the kanten ones, half of the others.
GRANT_WITH_LIFE_SHARE: Final[dict[str, float]] = {"klar": 0.5, "sygemeldt": 0.4,
                                                  "kanten": 0.75}
# Group moves (group in the year before -> group in 2020; group in 2020 -> group in the
# year after): share of the life spells in the other group. Jobparate become
# aktivitetsparate and back, aktivitetsparate go to ressourceforløb and on to fleksjob,
# sygedagpenge to jobafklaring or back to dagpenge (plausible, not published).
MOVE_FROM: Final[dict[str, tuple[str, float]]] = {
    "6.3": ("6.2", 0.10), "6.2": ("6.3", 0.06), "6.8": ("6.3", 0.15),
    "6.9": ("6.8", 0.10), "6.7": ("6.6", 0.40), "6.5": ("6.4", 0.10),
}
MOVE_TO: Final[dict[str, tuple[str, float]]] = {
    "6.2": ("6.3", 0.08), "6.3": ("6.2", 0.06), "6.8": ("6.9", 0.10),
    "6.6": ("6.7", 0.10), "6.1": ("6.2", 0.10), "6.4": ("6.5", 0.08), "6.5": ("6.3", 0.05),
}
# A social case runs across New Year: of the adult coordination-relevant grants that begin
# in 2020, this share began 1-24 months earlier (still with days in 2020, so 2020 is
# unchanged; SOF history is cut at 1 January 2019 as before).
CASE_BEGUN_BEFORE: Final = 0.5
CASE_BEGUN_BEFORE_DAYS: Final = (30, 730)
# A life spell: a gap of 2 weeks to 4 months to the anchor year's spells, 2-18 months long.
LIFE_GAP_DAYS: Final = (14, 120)
LIFE_LENGTH_DAYS: Final = (60, 540)
# Citizens of 2019 and 2021 who are not in the calibration year (new entrants, leavers):
# as many as make each year's BIF-active citizens this share of 2020's (a gentle trend:
# 2020 is the corona year with more dagpenge and sygedagpenge). 2021 is measured before
# Bilag 1a's quarter is cleared of everyone else's spells, which takes about 4 points off:
# 1.01 gives about 0.97.
YEAR_SIZE_RELATIVE: Final[dict[int, float]] = {2019: 0.95, 2021: 1.01}
# Their lives do not begin on 1 January 2019 or end on 31 December 2021 either (the edge
# of the data, not of their lives): this share of their spells and adult grants began
# 1-18 months before 2019 (SOF's history still stops at 1 January 2019) or run on
# after 2021 (half of those still open at the extraction).
OTHER_YEAR_REACH: Final = 0.5
# SOF recipients without BIF of 2019 and 2021 only, relative to 2020's: about 40 % of
# 2020's grants reach into the year before or after, so this keeps SOF of similar size.
SOF_ONLY_OTHER_YEAR_SHARE: Final = 0.55
OTHER_YEAR_REACH_DAYS: Final = (30, 540)

# Children with a second custody holder.
SECOND_HOLDER_SHARE: Final = 0.5

# Non-fællesborgere among the BIF-active of 2020 ...
ONLY_NON_COORDINATION: Final = 5_400  # ... with only non-coordination-relevant grants
COORDINATION_OUTSIDE_YEAR: Final = 400  # ... with coordination grants in other years only
CUSTODY_NOT_OVERLAPPING: Final = 60  # ... whose child's measure falls outside the custody

# SOF recipients outside BIF (per data year).
SOF_ONLY_COORDINATION: Final = 15_000
SOF_ONLY_NON_COORDINATION: Final = 13_200
SOF_ONLY_CHILD_MEASURE_PARENTS: Final = 500

# ---------------------------------------------------------------- fællesborgere's SOF side
# Fællesborgere in a single LAB group get their interventions by this design; those in
# two groups get interventions outside the Tabel 4 columns (so that the kanten total of
# Tabel 4 counts each citizen once), placed on a step like everyone else.
#
# Citizens per (group, Tabel 4 column) among the group's single-group fællesborgere.
# Kanten groups: Tabel 4 of the report ("-" stands for 2). Other groups: section 5.5
# (herberg 32 in 6.1 and 46 in 6.2; in 6.4 herberg, støttekontaktperson,
# boligrådgivning/ungementor and misbrugsbehandling are the four most frequent) and
# plausible values where the report is silent.
TABEL4_COLUMNS: Final = (
    "boligraadgivning_ungementor",
    "hjemmepleje_sygepleje",
    "alkoholbehandling",
    "misbrugsbehandling",
    "socialpaedagogisk_stoette",
    "herberg",
    "midlertidigt_botilbud",
    "stoettekontaktperson",
    "laengerevarende_botilbud",
)
COLUMN_TARGETS: Final[dict[str, tuple[int, ...]]] = {
    #       bolig hjemme alkohol misbrug  sps herberg midl  skp laeng
    "6.5": (100, 50, 30, 200, 250, 150, 250, 100, 20),
    "6.3": (250, 450, 300, 650, 150, 500, 100, 500, 70),
    "6.8": (100, 400, 50, 250, 250, 50, 50, 150, 40),
    "6.9": (2, 200, 30, 20, 100, 2, 2, 20, 2),
    "6.1": (30, 80, 40, 60, 40, 32, 5, 20, 2),
    "6.2": (25, 20, 20, 40, 25, 46, 5, 25, 1),
    "6.4": (35, 5, 5, 28, 15, 60, 10, 45, 0),
    "6.6": (10, 200, 50, 40, 60, 5, 5, 20, 4),
    "6.7": (5, 40, 10, 15, 20, 3, 3, 10, 2),
    "6.10": (1, 10, 2, 3, 5, 1, 1, 2, 1),
}
# Intervention codes behind each column, with weights.
COLUMN_CODES: Final[dict[str, dict[str, int]]] = {
    "boligraadgivning_ungementor": {"BOLIGRAAD": 55, "UNGEMENTOR": 45},
    "hjemmepleje_sygepleje": {"HJEMMEPLEJE": 55, "REHAB": 15, "SYGEPLEJE": 30},
    "alkoholbehandling": {"ALKOHOL": 1},
    "misbrugsbehandling": {"STOFMISBRUG": 1},
    "socialpaedagogisk_stoette": {"SPS": 1},
    "herberg": {"HERBERG": 1},
    "midlertidigt_botilbud": {"MIDL_BOTILBUD": 1},
    "stoettekontaktperson": {"SKP": 1},
    "laengerevarende_botilbud": {"LAENG_BOTILBUD": 80, "ALMENBOLIG105": 20},
}
COLUMN_STEPS: Final = (1, 1, 1, 1, 2, 3, 3, 3, 4)

# Børnesager: (preventive, placed, citizens with either) per group; and how many of those
# citizens have no adult intervention (børnesag only, no step). 960 fællesborgere with a
# børnesag, 67 % kanten, 26 % klar, 8 % sygemeldt (section 5.5); kanten cells of Tabel 4.
CHILD_MEASURES: Final[dict[str, tuple[int, int, int]]] = {
    "6.5": (20, 20, 35),
    "6.3": (300, 150, 370),
    "6.8": (150, 50, 175),
    "6.9": (50, 20, 60),
    "6.1": (95, 48, 128),
    "6.2": (75, 35, 100),
    "6.4": (15, 8, 20),
    "6.6": (38, 17, 50),
    "6.7": (11, 5, 15),
    "6.10": (5, 3, 7),
}
CHILD_ONLY: Final[dict[str, int]] = {
    "6.5": 26, "6.3": 272, "6.8": 128, "6.9": 44,
    "6.1": 96, "6.2": 75, "6.4": 14,
    "6.6": 36, "6.7": 10, "6.10": 5,
}
# Fællesborgere per step 2 and 3 (rule 7), kanten or not; step 4 is everyone with a
# Tabel 4 "længerevarende botilbud" and step 1 the rest. Figur 2: about 3 150 / 900 /
# 2 350 / 150, the kanten share rising from 68 % on step 1 to 93 % on step 4.
STEPS_2_3_KANTEN: Final = (700, 1904)
STEPS_2_3_OTHER: Final = (200, 446)
# Codes that raise a citizen to a step without touching a Tabel 4 column.
RAISING_CODES: Final[dict[int, dict[str, int]]] = {
    1: {"SEL82B": 60, "SEL82A": 40},
    2: {"AKTSAMVAER": 35, "BESKBESK": 25, "AFLASTNING": 10, "BEHANDLING102": 20,
        "EFTERVAERN_KP": 10},
    3: {"FLEKS_BOSTOETTE": 35, "HF_ACT": 10, "HF_ICM": 10, "HF_CTI": 5, "KRISECENTER": 10,
        "EFTERVAERN_ANB": 8, "EFTERVAERN_HANDICAP": 5, "LEDSAGELSE": 7, "BPA": 3,
        "VEDL_TRAENING": 7},
}
# A lower-step companion without a Tabel 4 column, for a share of fællesborgere.
COMPANION_SHARE: Final = 0.15

# ---------------------------------------------------------------- HOI, February 2021
# Citizens per cell of HOI Tabel 1 (seed document 004). Columns: aktivitetsparate 25-29,
# aktivitetsparate 30+, ressourceforløb. Everyone else's § 85, § 107-108 and § 101
# grants keep clear of the month when they are in 6.3, 6.5 or 6.8 then.
HOI_YEAR: Final = 2021
HOI_MONTH: Final = 2
HOI_CELLS: Final[dict[str, tuple[int, int, int]]] = {
    "§ 85": (35, 257, 221),
    "§ 107-108": (53, 54, 26),
    "§ 101": (55, 316, 129),
}
# Of those, citizens in both the § 85 and the § 101 cell of a column.
HOI_BOTH_85_101: Final = (10, 60, 30)
HOI_CODES: Final[dict[str, dict[str, int]]] = {
    "§ 85": {"SPS": 60, "FLEKS_BOSTOETTE": 20, "HF_ACT": 8, "HF_ICM": 8, "HF_CTI": 4},
    "§ 107-108": {"MIDL_BOTILBUD": 70, "LAENG_BOTILBUD": 30},
    "§ 101": {"STOFMISBRUG": 1},
}
HOI_GROUPS: Final = ("6.3", "6.5", "6.8")

NON_COORDINATION_WEIGHTS: Final[dict[str, int]] = {
    "HJAELPEMIDLER": 40,
    "MERUDGIFTER": 15,
    "TABT_ARB": 10,
    "ENKELTYDELSE": 35,
}
PREVENTIVE_CODES: Final = (
    "FAMILIEBEHANDLING",
    "DAGBEHANDLING",
    "AFLASTNING_BARN",
    "KONTAKTPERSON_BARN",
    "SIKKERHEDSPLAN",
)

# Share of rows of each extract that are unusable (quarantined by the warehouse).
BAD_ROW_SHARE: Final = 0.002

# ---------------------------------------------------------------- Bilag 1a, 3rd quarter 2021
# Citizens with benefit days in the third quarter of 2021, designed so that the warehouse's
# rules 11-13 (docs/rules.md) give Bilag 1a's Tabel 2-4 and Figur 1. Every citizen with a
# spell day in the quarter is one of these (everyone else's spells keep clear of it); each
# stands in one group and sub-group there. Per group and sub-group: fuldtidspersoner (the
# quarter's benefit days / 92, Tabel 2-4: exact when rounded), the share of men, the
# origin (dansk, vestlig, ikke-vestlig) and the 5-year age bands as shares of the
# fuldtidspersoner, and the duration bands on 30 September 2021 (rule 13) as shares of the
# citizens with a spell that day. Where Bilag 1a gives a shape only (the largest band,
# "61 pct. over 3 years"), the rest is a plausible choice that meets it. 6.9 ansatte and
# 6.10 are not in Bilag 1a: their values are plausible, not published.
QUARTER_FIRST_DAY: Final = "2021-07-01"
QUARTER_LAST_DAY: Final = "2021-09-30"  # also the snapshot day of Figur 1
# History: the long episodes begin as early as this (raw-extracts: six years back).
HISTORY_FIRST_DAY: Final = "2015-01-01"
AGE_BANDS_5: Final = ((16, 19), (20, 24), (25, 29), (30, 34), (35, 39), (40, 44), (45, 49),
                      (50, 54), (55, 59), (60, 64), (65, 66))
DURATION_BANDS: Final = ("0-26 uger", "26-52 uger", "1-2 år", "2-3 år", "over 3 år")
# Share of a group's fuldtidspersoner that leave during the quarter (their last spell day
# before 30 September), and of the "0-26 uger" citizens who start during the quarter.
QUARTER_LEAVER_SHARE: Final = 0.06
QUARTER_ENTRANT_SHARE: Final = 0.5
# Citizens aged 15 or 67 on 1 July 2021 with spell days in the quarter (outside the scope).
QUARTER_OUT_OF_SCOPE: Final = 20
# The four AC funds (akademikere, rule 11) as the jobcenter system writes them, and other
# funds. A citizen's spells all carry the same fund; a share of them no fund at all.
AC_FUND_SPELLINGS: Final = (
    "Akademikernes A-kasse", "AKA", "Akademikernes a-kasse",
    "A-kassen for Journalistik, Kommunikation & Sprog", "AJKS",
    "CA A-kasse", "CA a-kasse",
    "Magistrenes A-kasse", "MA",
)
OTHER_FUND_SPELLINGS: Final = (
    "3F A-kasse", "HK A-kasse", "FOA A-kasse", "Metal A-kasse", "Krifa A-kasse",
    "Ase", "Det Faglige Hus", "Dansk El-Forbunds A-kasse", "Lærernes a-kasse", "FTF-A",
)
EMPTY_FUND_SHARE: Final = 0.05


@dataclass(frozen=True)
class QuarterGroup:
    """The design of one group (and sub-group) in the quarter."""

    group: str
    sub_group: str
    benefit: str  # "" draws from BENEFITS
    fuldtidspersoner: int
    men: float
    origin: tuple[float, float, float]  # pct. dansk, vestlig, ikke-vestlig
    age_bands: tuple[float, ...]  # weights of AGE_BANDS_5
    durations: tuple[float, ...]  # pct. of DURATION_BANDS


#  5-year bands: 16-19 20-24 25-29 30-34 35-39 40-44 45-49 50-54 55-59 60-64 65-66
QUARTER_GROUPS: Final = (
    QuarterGroup("6.1", "ikke_akademikere", "Dagpenge", 9_063, 0.51, (61, 13, 26),
                 (1, 8, 12, 13, 12, 10, 10, 10, 9, 12, 3), (41, 24, 20, 8, 7)),
    QuarterGroup("6.1", "akademikere", "Dagpenge", 6_848, 0.44, (74, 17, 9),
                 (0, 7, 22, 20, 14, 9, 7, 6, 6, 7, 2), (56, 22, 15, 4, 3)),
    QuarterGroup("6.2", "alle", "", 1_636, 0.64, (51, 9, 40),
                 (0, 0, 2, 11, 12, 13, 13, 14, 13, 11, 1), (26, 17, 20, 12, 25)),
    QuarterGroup("6.4", "alle", "", 459, 0.55, (69, 3, 28),
                 (18, 37, 45, 0, 0, 0, 0, 0, 0, 0, 0), (38, 25, 22, 9, 6)),
    QuarterGroup("6.6", "alle", "Sygedagpenge", 8_832, 0.39, (76, 8, 16),
                 (0.5, 2.5, 5, 13, 13, 13, 13, 13, 13, 13, 1), (55, 22, 13, 6, 4)),
    QuarterGroup("6.7", "alle", "Ressourceforløbsydelse", 881, 0.31, (68, 7, 25),
                 (0, 3, 10, 13, 13, 13, 13, 13, 13, 7, 2), (23, 20, 19, 19, 19)),
    QuarterGroup("6.10", "alle", "Revalideringsydelse", 150, 0.50, (70, 7, 23),
                 (0, 2, 10, 15, 15, 15, 15, 12, 10, 6, 0), (30, 30, 25, 10, 5)),
    QuarterGroup("6.3", "alle", "", 7_494, 0.56, (55, 5, 40),
                 (0, 0, 4, 10, 11, 12, 13, 15, 15, 16, 4), (10, 9, 12, 8, 61)),
    QuarterGroup("6.8", "alle", "Ressourceforløbsydelse", 3_187, 0.42, (55, 4, 41),
                 (0, 1, 4, 7, 8, 13, 15, 15, 15, 20, 2), (2, 2, 3, 3, 90)),
    QuarterGroup("6.9", "ledige", "Ledighedsydelse", 921, 0.40, (75, 4, 21),
                 (0, 0, 2, 5, 8, 13, 14, 16, 17, 20, 5), (2, 2, 2, 2, 92)),
    QuarterGroup("6.9", "ansatte", "Fleksløntilskud", 2_600, 0.45, (78, 5, 17),
                 (0, 0, 2, 5, 8, 13, 14, 16, 17, 20, 5), (3, 3, 5, 4, 85)),
    QuarterGroup("6.5", "alle", "", 1_997, 0.53, (80, 2, 18),
                 (15, 35, 50, 0, 0, 0, 0, 0, 0, 0, 0), (30, 25, 25, 12, 8)),
)
# Of the "vestlig" and "ikke-vestlig" citizens, the share of indvandrere (the rest are
# efterkommere): the person register's five `herkomst` values.
IMMIGRANT_SHARE: Final = (0.85, 0.7)
