"""Design parameters of the synthetic population (microdata design, not aggregates).

The generator builds citizens, spells, grants and custody relations one person at a
time in spirit (vectorised in practice). The numbers here say *how many citizens of
each kind* it creates at scale 1: e.g. how many citizens have a spell in LAB group 6.3
in 2020 and at least two active months, and how many of them receive a
coordination-relevant SOF intervention. The warehouse never reads this module: it
recomputes every figure from the rows the generator writes, by its own rules, and the
dbt test tagged ``published_figures`` compares the result with the report.

Counts are for the calibration year 2020 at scale 1 (Copenhagen). Other years get a
smaller, uncalibrated cohort so that every report model has a time series.
"""

from __future__ import annotations

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
# Size of the cohorts whose spells lie in 2019 or 2021 only, relative to 2020.
OTHER_YEAR_COHORT_SHARE: Final = 0.45

# Fællesborgere whose only coordination-relevant link to SOF is a child measure.
CHILD_ONLY_SHARE: Final = 0.11
# Fællesborgere with adult interventions who also have a child measure.
CHILD_TOO_SHARE: Final = 0.04
# Children with a second custody holder.
SECOND_HOLDER_SHARE: Final = 0.5
# Measures that are placements (anbringelse) rather than preventive.
PLACEMENT_SHARE: Final = 0.3

# Non-fællesborgere among the BIF-active of 2020 ...
ONLY_NON_COORDINATION: Final = 5_400  # ... with only non-coordination-relevant grants
COORDINATION_OUTSIDE_YEAR: Final = 400  # ... with coordination grants in other years only
CUSTODY_NOT_OVERLAPPING: Final = 60  # ... whose child's measure falls outside the custody

# SOF recipients outside BIF (per data year).
SOF_ONLY_COORDINATION: Final = 16_500
SOF_ONLY_NON_COORDINATION: Final = 12_500
SOF_ONLY_CHILD_MEASURE_PARENTS: Final = 500

# Top step of an adult fællesborger, by kanten or not (rule 7): weights.
STEP_WEIGHTS_KANTEN: Final = (2142, 720, 1811, 140)
STEP_WEIGHTS_OTHER: Final = (1008, 180, 545, 10)

# Which intervention decides a step, and which lower ones come along: weights.
INTERVENTION_WEIGHTS: Final[dict[int, dict[str, int]]] = {
    1: {
        "BOLIGRAAD": 250,
        "UNGEMENTOR": 200,
        "ALKOHOL": 410,
        "STOFMISBRUG": 1100,
        "HJEMMEPLEJE": 600,
        "REHAB": 150,
        "SYGEPLEJE": 350,
        "SEL82B": 300,
        "SEL82A": 150,
    },
    2: {
        "SPS": 750,
        "AKTSAMVAER": 60,
        "BESKBESK": 40,
        "AFLASTNING": 20,
        "BEHANDLING102": 50,
        "EFTERVAERN_KP": 30,
    },
    3: {
        "HERBERG": 700,
        "MIDL_BOTILBUD": 400,
        "SKP": 750,
        "FLEKS_BOSTOETTE": 100,
        "HF_ACT": 60,
        "HF_ICM": 60,
        "HF_CTI": 40,
        "KRISECENTER": 50,
        "EFTERVAERN_ANB": 30,
        "EFTERVAERN_HANDICAP": 20,
        "LEDSAGELSE": 30,
        "BPA": 10,
        "VEDL_TRAENING": 30,
    },
    4: {"LAENG_BOTILBUD": 120, "ALMENBOLIG105": 30},
}
EXTRA_INTERVENTION_SHARE: Final = (0.35, 0.10)  # a second, and a third, intervention

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
