"""Writes a generated population in the raw-extract format, with its real-world dirt.

Everything ``shared/spec/raw-extracts.md`` allows appears somewhere: several files per
extract (an early delivery and a later one that re-delivers changed ids), both date
formats, a byte-order mark, a Windows-1252 file, header names in odd case with spaces,
another column order and an extra column, CPR numbers with and without a dash, padded,
or with 9 digits where a spreadsheet dropped the leading zero, every spelling of the
target groups, intervention codes in lower case or padded, paragraphs as typed, and a
small share of unusable rows of every kind the warehouse must quarantine.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from faellesborger import calibration as cal
from faellesborger.generator import (
    EARLY_EXTRACTION,
    LATE_EXTRACTION,
    Dates,
    Population,
    Strs,
)

HERKOMST = (
    "Dansk oprindelse",
    "Indvandrer fra vestligt land",
    "Indvandrer fra ikke-vestligt land",
    "Efterkommer fra vestligt land",
    "Efterkommer fra ikke-vestligt land",
)
HERKOMST_WEIGHTS = (0.70, 0.07, 0.15, 0.01, 0.07)
SEED_DIR = Path(__file__).resolve().parents[2] / "seeds"


@dataclass(frozen=True)
class FileSpec:
    """How one delivered file looks."""

    name: str
    encoding: str  # "utf-8", "utf-8-sig" (with BOM) or "cp1252"
    iso_share: float  # share of dates written YYYY-MM-DD rather than DD-MM-YYYY
    odd_header: bool  # odd case and spaces, other column order, an extra column


# ------------------------------------------------------------------------ values


def cpr_numbers(birth: Dates, male: npt.NDArray[np.bool_]) -> Strs:
    """Unique, valid 10-digit CPR numbers for the given birth dates and sexes.

    The 7th digit encodes the century as the CPR office does; the last digit is odd for
    men. Serials are unique per birth date (no modulus-11 check, as since 2007).
    """
    frame = pd.DataFrame({"birth": birth, "male": male})
    rank = frame.groupby(["birth", "male"]).cumcount().to_numpy()
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    # allowed 7th digits by period of birth
    tables = [
        np.array([5, 6, 7, 8]),  # 1858-1899
        np.array([0, 1, 2, 3]),  # 1900-1936
        np.array([0, 1, 2, 3, 4, 9]),  # 1937-1999
        np.array([4, 9, 5, 6, 7, 8]),  # 2000-2036
    ]
    period = np.select([year < 1900, year < 1937, year < 2000], [0, 1, 2], 3)
    sizes = np.array([len(t) for t in tables])
    k = sizes[period]
    padded = np.stack([np.resize(t, 6) for t in tables])
    digit7 = padded[period, rank % k]
    ordinal = birth.astype(np.int64)
    serial = ((rank // k) * 37 + ordinal) % 500 * 2 + male.astype(np.int64)
    if (rank // k).max(initial=0) >= 500:
        raise ValueError("too many persons per birth date for unique CPR numbers")
    ddmmyy = pd.Series(birth).dt.strftime("%d%m%y").to_numpy(dtype=str)
    return np.char.add(np.char.add(ddmmyy, digit7.astype(str)),
                       np.char.zfill(serial.astype(str), 3))


def cpr_shapes(rng: np.random.Generator, cpr: Strs) -> Strs:
    """Each CPR number as a delivery writes it: with or without dash, padded, 9 digits."""
    s = pd.Series(cpr)
    dashed = s.str[:6] + "-" + s.str[6:]
    u = rng.random(len(s))
    out = np.where(u < 0.55, dashed, s)
    out = np.where((u >= 0.90) & (u < 0.95), " " + dashed + " ", out)
    nine = (u >= 0.95) & (s.str[0] == "0").to_numpy()
    out = np.where(nine & (u < 0.975), s.str[1:], out)
    out = np.where(nine & (u >= 0.975), dashed.str[1:], out)
    return np.asarray(out, dtype=str)


def date_strings(rng: np.random.Generator, dates: Dates, iso_share: float) -> Strs:
    """Dates as DD-MM-YYYY or YYYY-MM-DD; missing (NaT) as empty."""
    iso = pd.Series(np.datetime_as_string(dates, unit="D"))
    danish = iso.str[8:10] + "-" + iso.str[5:7] + "-" + iso.str[0:4]
    out = np.where(rng.random(len(iso)) < iso_share, iso, danish)
    return np.where(np.isnat(dates), "", out).astype(str)


def group_spellings(rng: np.random.Generator, groups: Strs) -> Strs:
    """LAB target groups in the spellings the jobcenter system uses."""
    s = pd.Series(groups)
    number = s.str.split(".").str[1]
    variants = np.stack([
        s.to_numpy(dtype=str),
        ("6," + number).to_numpy(dtype=str),
        ("§ 6, nr. " + number).to_numpy(dtype=str),
        ("LAB § 6 nr. " + number).to_numpy(dtype=str),
        ("lab" + s).to_numpy(dtype=str),
    ])
    pick = rng.choice(5, size=len(s), p=[0.5, 0.15, 0.15, 0.1, 0.1])
    return variants[pick, np.arange(len(s))]


def code_spellings(rng: np.random.Generator, codes: Strs) -> Strs:
    """Intervention codes as typed: mostly as catalogued, some lower case or padded."""
    u = rng.random(len(codes))
    out = np.where(u < 0.1, np.char.lower(codes), codes)
    return np.where(u > 0.95, np.char.add(np.char.add(" ", out), " "), out).astype(str)


def paragraph_spellings(rng: np.random.Generator, basis: Strs) -> Strs:
    """Legal basis as typed: 'SEL § 85', '§85', '85', '§ 85'."""
    s = pd.Series(basis)
    number = s.str.split("§ ").str[1]
    variants = np.stack([
        s.to_numpy(dtype=str),
        ("§" + number.str.replace(" ", "")).to_numpy(dtype=str),
        number.to_numpy(dtype=str),
        ("§ " + number).to_numpy(dtype=str),
    ])
    pick = rng.choice(4, size=len(s), p=[0.5, 0.2, 0.15, 0.15])
    return variants[pick, np.arange(len(s))]


def catalogue() -> pd.DataFrame:
    """The social system's intervention catalogue (the seed the warehouse also reads)."""
    return pd.read_csv(SEED_DIR / "sof_interventions.csv", dtype=str).set_index(
        "intervention_code")


# ------------------------------------------------------------------------ files


def split_deliveries(start: Dates, end: Dates) -> tuple[npt.NDArray[np.bool_],
                                                        npt.NDArray[np.bool_], Dates]:
    """Which periods the early and the late delivery hold, and the early view of the end.

    The early delivery holds every period begun by its extraction date, still open if it
    ended later. The late delivery holds what began or changed after it: such ids are
    re-delivered, and the warehouse keeps the row with the latest extraction date.
    """
    in_early = start <= EARLY_EXTRACTION
    early_end = np.where(np.isnat(end) | (end > EARLY_EXTRACTION), np.datetime64("NaT"), end)
    in_late = (start > EARLY_EXTRACTION) | np.isnat(end) | (end > EARLY_EXTRACTION)
    return in_early, in_late, early_end.astype("datetime64[D]")


def corrupt(rng: np.random.Generator, frame: pd.DataFrame, n: int, id_column: str | None,
            next_id: int, cpr_columns: list[str], required: list[str],
            unknown: tuple[str, list[str]] | None) -> pd.DataFrame:
    """``n`` unusable copies of random rows, each broken in one way (with a fresh id)."""
    bad = frame.iloc[rng.integers(0, len(frame), n)].copy().reset_index(drop=True)
    kind = np.arange(n) % (4 + (unknown is not None))
    if id_column:
        bad[id_column] = [str(next_id + i) for i in range(n)]
    impossible = np.array(["320190-1234", "011390-1234", "0101901", "ABCDEF-1234",
                           "3102851234", "29028x-4321"])
    rows = kind == 0
    bad.loc[rows, cpr_columns[0]] = impossible[np.arange(rows.sum()) % len(impossible)]
    rows = kind == 1  # end before start
    if "slutdato" in bad:
        bad.loc[rows, "startdato"] = "15-06-2020"
        bad.loc[rows, "slutdato"] = "14-06-2020"
    rows = kind == 2  # a date that does not parse
    if "startdato" in bad:
        bad.loc[rows, "startdato"] = np.resize(
            np.array(["31-02-2020", "2020/05/01", "primo maj", "00-00-0000"]), rows.sum())
    rows = kind == 3  # a required field missing
    columns = np.array(required)
    for j, i in enumerate(np.flatnonzero(rows)):
        bad.loc[i, columns[j % len(columns)]] = ""
    if unknown is not None:
        column, values = unknown
        rows = kind == 4
        bad.loc[rows, column] = np.resize(np.array(values), rows.sum())
    return bad


def write_csv(frame: pd.DataFrame, path: Path, spec: FileSpec,
              rng: np.random.Generator) -> None:
    """Write one delivered file, owner-readable only (it holds CPR numbers)."""
    if spec.odd_header:
        frame = frame.assign(enhed="Kbh. Kommune")
        order = list(frame.columns)
        rng.shuffle(order)
        frame = frame[order]
        frame.columns = [f" {c.upper()} " if i % 2 else c.title() for i, c in
                         enumerate(frame.columns)]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding=spec.encoding, newline="") as handle:
        frame.to_csv(handle, sep=";", index=False, quoting=csv.QUOTE_MINIMAL,
                     lineterminator="\r\n" if spec.encoding == "cp1252" else "\n")
    os.chmod(path, 0o600)


def write_delivery(pop: Population, out_dir: Path, seed: int) -> dict[str, int]:
    """Write the four extracts into ``out_dir``; return the number of rows per file."""
    rng = np.random.default_rng(seed + 1)
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(out_dir, 0o700)
    birth, male = pop.births(), pop.males()
    cpr = cpr_numbers(birth, male)
    counts: dict[str, int] = {}

    def emit(frame: pd.DataFrame, spec: FileSpec) -> None:
        frame = frame.iloc[rng.permutation(len(frame))]
        write_csv(frame, out_dir / spec.name, spec, rng)
        counts[spec.name] = len(frame)

    # --- bif_ydelsesforloeb
    person = np.concatenate([s[0] for s in pop.spells])
    group = np.concatenate([s[1] for s in pop.spells])
    start = np.concatenate([s[2] for s in pop.spells])
    end = np.concatenate([s[3] for s in pop.spells])
    ids = np.arange(len(person)) + 1_000_001
    benefit = np.empty(len(group), dtype=object)
    for code, names in cal.BENEFITS.items():
        mask = group == code
        benefit[mask] = np.array(names)[rng.integers(0, len(names), mask.sum())]
    in_early, in_late, early_end = split_deliveries(start, end)
    specs = (FileSpec("bif_ydelsesforloeb_20210115.csv", "cp1252", 0.0, False),
             FileSpec("bif_ydelsesforloeb_20220114.csv", "utf-8", 0.3, True))
    frames = []
    for spec, mask, ends, extraction in ((specs[0], in_early, early_end, EARLY_EXTRACTION),
                                         (specs[1], in_late, end, LATE_EXTRACTION)):
        frames.append(pd.DataFrame({
            "forloeb_id": ids[mask].astype(str),
            "cpr": cpr_shapes(rng, cpr[person[mask]]),
            "maalgruppe": group_spellings(rng, group[mask]),
            "ydelse": benefit[mask].astype(str),
            "startdato": date_strings(rng, start[mask], spec.iso_share),
            "slutdato": date_strings(rng, ends[mask], spec.iso_share),
            "udtraeksdato": date_strings(rng, np.full(mask.sum(), extraction), spec.iso_share),
        }))
    n_bad = max(20, int(cal.BAD_ROW_SHARE * len(person)))
    bad = corrupt(rng, frames[1], n_bad, "forloeb_id", 9_000_001, ["cpr"],
                  ["forloeb_id", "cpr", "maalgruppe", "startdato", "udtraeksdato"],
                  ("maalgruppe", ["6.11", "LAB § 7", "6.0", "ukendt"]))
    emit(frames[0], specs[0])
    emit(pd.concat([frames[1], bad]), specs[1])

    # --- sof_bevillinger
    person = np.concatenate([g[0] for g in pop.grants])
    code = np.concatenate([g[1] for g in pop.grants])
    start = np.concatenate([g[2] for g in pop.grants])
    end = np.concatenate([g[3] for g in pop.grants])
    ids = np.arange(len(person)) + 5_000_001
    cat = catalogue()
    names = cat.loc[code, "intervention_name"].to_numpy(dtype=str)
    names = np.where((code == "HERBERG") & (rng.random(len(code)) < 0.2), "Herberg; nat", names)
    basis = cat.loc[code, "legal_basis"].to_numpy(dtype=str)
    contradicting = rng.random(len(code)) < 0.002
    basis = np.where(contradicting, "SEL § 110", basis)
    in_early, in_late, early_end = split_deliveries(start, end)
    specs = (FileSpec("sof_bevillinger_20210115.csv", "utf-8-sig", 0.0, False),
             FileSpec("sof_bevillinger_20220114.csv", "utf-8", 1.0, True))
    frames = []
    for spec, mask, ends, extraction in ((specs[0], in_early, early_end, EARLY_EXTRACTION),
                                         (specs[1], in_late, end, LATE_EXTRACTION)):
        frames.append(pd.DataFrame({
            "bevilling_id": ids[mask].astype(str),
            "cpr": cpr_shapes(rng, cpr[person[mask]]),
            "indsats_kode": code_spellings(rng, code[mask]),
            "indsats_tekst": names[mask],
            "paragraf": paragraph_spellings(rng, basis[mask]),
            "startdato": date_strings(rng, start[mask], spec.iso_share),
            "slutdato": date_strings(rng, ends[mask], spec.iso_share),
            "udtraeksdato": date_strings(rng, np.full(mask.sum(), extraction), spec.iso_share),
        }))
    n_bad = max(20, int(cal.BAD_ROW_SHARE * len(person)))
    bad = corrupt(rng, frames[0], n_bad, "bevilling_id", 8_000_001, ["cpr"],
                  ["bevilling_id", "cpr", "indsats_kode", "startdato", "udtraeksdato"],
                  ("indsats_kode", ["SEL999", "XYZ", "BOSTØTTE_UKENDT"]))
    emit(pd.concat([frames[0], bad]), specs[0])
    emit(frames[1], specs[1])

    # --- sof_foraeldremyndighed
    child = np.concatenate([c[0] for c in pop.custody])
    parent = np.concatenate([c[1] for c in pop.custody])
    start = np.concatenate([c[2] for c in pop.custody])
    end = np.concatenate([c[3] for c in pop.custody])
    spec = FileSpec("sof_foraeldremyndighed_20220114.csv", "utf-8-sig", 0.5, False)
    frame = pd.DataFrame({
        "barn_cpr": cpr_shapes(rng, cpr[child]),
        "foraelder_cpr": cpr_shapes(rng, cpr[parent]),
        "startdato": date_strings(rng, start, spec.iso_share),
        "slutdato": date_strings(rng, end, spec.iso_share),
        "udtraeksdato": date_strings(rng, np.full(len(child), LATE_EXTRACTION), spec.iso_share),
    })
    bad = corrupt(rng, frame, max(12, int(cal.BAD_ROW_SHARE * len(frame))), None, 0,
                  ["barn_cpr", "foraelder_cpr"],
                  ["barn_cpr", "foraelder_cpr", "startdato", "udtraeksdato"], None)
    emit(pd.concat([frame, bad]), spec)

    # --- cpr_personer (optional extract)
    spec = FileSpec("cpr_personer_20220114.csv", "utf-8", 0.0, False)
    herkomst = np.array(HERKOMST)[rng.choice(len(HERKOMST), size=len(cpr),
                                              p=HERKOMST_WEIGHTS)]
    frame = pd.DataFrame({
        "cpr": cpr_shapes(rng, cpr),
        "herkomst": herkomst,
        "udtraeksdato": date_strings(rng, np.full(len(cpr), LATE_EXTRACTION), 0.0),
    })
    impossible = frame.iloc[:6].assign(
        cpr=["320190-1234", "011390-1234", "0101901", "ABCDEF-1234", "", "29028x-4321"])
    emit(pd.concat([frame, impossible]), spec)
    return counts
