"""Bilag 1a from a delivery's CSV files, in pandas, independently of the warehouse.

A check of the generator's design: it reads the raw BIF extract and the person
register as delivered (every file, both encodings, every spelling, the latest row of an
id), leaves out what staging would quarantine, and computes rules 11-13
(docs/rules.md) for the third quarter of 2021: fuldtidspersoner and persons per LAB group
and sub-group, sex, origin and age as shares of the fuldtidspersoner, and the duration
bands of the citizens with a spell on 30 September 2021. It shares no code with the
generator or the dbt models, so that an agreement means something.

    python -m faellesborger_bench.bilag1a data/raw      # prints the figures and the verdict
"""

from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

Q_FIRST = pd.Timestamp("2021-07-01")
Q_LAST = pd.Timestamp("2021-09-30")
Q_DAYS = 92
MIN_AGE, MAX_AGE = 16, 66
AC_FUNDS = {  # the four AC funds, in the spellings the check knows (lower case)
    "akademikernes a-kasse", "aka",
    "a-kassen for journalistik, kommunikation & sprog", "ajks",
    "ca a-kasse", "magistrenes a-kasse", "ma",
}
LAB_GROUPS = {"6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10"}
GROUP_PATTERN = re.compile(r"^(?:lab)?\s*(?:§\s*)?6\s*(?:\.|,\s*nr\.|,|\s+nr\.)\s*(\d+)$",
                           re.IGNORECASE)
DURATION_BANDS = ("0-26 uger", "26-52 uger", "1-2 år", "2-3 år", "over 3 år")
DURATION_EDGES = (182, 364, 730, 1095)
AGE_EDGES_10 = ((16, 19), (20, 29), (30, 39), (40, 49), (50, 59), (60, 66))
AGE_EDGES_5 = ((16, 19), (20, 24), (25, 29), (30, 34), (35, 39), (40, 44), (45, 49),
               (50, 54), (55, 59), (60, 64), (65, 66))
ORIGIN = {
    "Dansk oprindelse": "dansk",
    "Indvandrer fra vestligt land": "vestlig",
    "Efterkommer fra vestligt land": "vestlig",
    "Indvandrer fra ikke-vestligt land": "ikke-vestlig",
    "Efterkommer fra ikke-vestligt land": "ikke-vestlig",
}


# ------------------------------------------------------------------------- reading


def read_extract(raw_dir: Path, extract: str) -> pd.DataFrame:
    frames = []
    for path in sorted(raw_dir.glob(f"{extract}*.csv")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
        frames.append(frame.rename(columns=lambda c: c.strip().lower()))
    return pd.concat(frames, ignore_index=True)


def parse_dates(values: pd.Series) -> pd.Series:
    text = values.str.strip()
    iso = pd.to_datetime(text.where(text.str.match(r"^\d{4}-\d{2}-\d{2}$")),
                         format="%Y-%m-%d", errors="coerce")
    dmy = pd.to_datetime(text.where(text.str.match(r"^\d{2}-\d{2}-\d{4}$")),
                         format="%d-%m-%Y", errors="coerce")
    return iso.fillna(dmy)


def birth_dates(cpr: pd.Series) -> pd.Series:
    """Birth date from a normalised 10-digit CPR number (NaT when impossible)."""
    ok = cpr.str.fullmatch(r"\d{10}")
    digits = cpr.where(ok, "0101000000")
    yy = digits.str[4:6].astype(int)
    d7 = digits.str[6].astype(int)
    century = np.select([d7 <= 3, d7.isin([4, 9]) & (yy <= 36), d7.isin([4, 9]),
                         (d7 >= 5) & (yy <= 57)], [1900, 2000, 1900, 2000], 1800)
    text = digits.str[0:4] + (century + yy).astype(str)
    born = pd.Series(pd.to_datetime(text, format="%d%m%Y", errors="coerce"), index=cpr.index)
    return born.where(ok)


def normalise_cpr(values: pd.Series) -> pd.Series:
    cpr = values.str.strip().str.replace("-", "", regex=False)
    return cpr.where(cpr.str.len() != 9, "0" + cpr)


def lab_group(values: pd.Series) -> pd.Series:
    text = values.str.strip()
    number = text.str.extract(GROUP_PATTERN, expand=False)
    code = "6." + number
    return code.where(code.isin(LAB_GROUPS))


def spells(raw_dir: Path) -> pd.DataFrame:
    """The usable BIF spells: the latest row of each id, with person, group, sub-group."""
    raw = read_extract(raw_dir, "bif_ydelsesforloeb")
    if "akasse" not in raw.columns:
        raw["akasse"] = ""
    frame = pd.DataFrame({
        "forloeb_id": raw["forloeb_id"].str.strip(),
        "cpr": normalise_cpr(raw["cpr"]),
        "group": lab_group(raw["maalgruppe"]),
        "ydelse": raw["ydelse"].str.strip(),
        "akasse": raw["akasse"].fillna("").str.strip().str.lower(),
        "start": parse_dates(raw["startdato"]),
        "end": parse_dates(raw["slutdato"]),
        "extraction": parse_dates(raw["udtraeksdato"]),
        "end_given": raw["slutdato"].str.strip() != "",
    })
    frame["birth"] = birth_dates(frame["cpr"])
    usable = (frame["forloeb_id"].ne("") & frame["birth"].notna() & frame["group"].notna()
              & frame["start"].notna() & frame["extraction"].notna()
              & ~(frame["end_given"] & frame["end"].isna())
              & ~(frame["end"] < frame["start"]) & (frame["start"] <= frame["extraction"])
              & (frame["start"] >= frame["birth"]))
    frame = frame[usable].sort_values("extraction").drop_duplicates("forloeb_id", keep="last")
    frame["end"] = frame["end"].fillna(frame["extraction"])
    frame["sub_group"] = np.select(
        [frame["group"].eq("6.1") & frame["akasse"].isin(AC_FUNDS), frame["group"].eq("6.1"),
         frame["group"].eq("6.9") & frame["ydelse"].eq("Ledighedsydelse"),
         frame["group"].eq("6.9") & frame["ydelse"].eq("Fleksløntilskud")],
        ["akademikere", "ikke_akademikere", "ledige", "ansatte"], "alle")
    return frame.reset_index(drop=True)


def origins(raw_dir: Path) -> pd.Series:
    raw = read_extract(raw_dir, "cpr_personer")
    frame = pd.DataFrame({"cpr": normalise_cpr(raw["cpr"]),
                          "origin": raw["herkomst"].str.strip().map(ORIGIN),
                          "extraction": parse_dates(raw["udtraeksdato"])})
    frame = frame.dropna().sort_values("extraction").drop_duplicates("cpr", keep="last")
    return frame.set_index("cpr")["origin"]


# ------------------------------------------------------------------------- rules


def age_on(birth: pd.Series, day: pd.Timestamp) -> pd.Series:
    had_birthday = (birth.dt.month < day.month) | ((birth.dt.month == day.month)
                                                  & (birth.dt.day <= day.day))
    age: pd.Series = day.year - birth.dt.year - (~had_birthday).astype(int)
    return age


def quarter_days(frame: pd.DataFrame) -> pd.DataFrame:
    """Rule 11: per citizen, group and sub-group, the distinct days of the quarter."""
    inside = frame[(frame["start"] <= Q_LAST) & (frame["end"] >= Q_FIRST)].copy()
    inside = inside[age_on(inside["birth"], Q_FIRST).between(MIN_AGE, MAX_AGE)]
    first = (inside["start"] - Q_FIRST).dt.days.clip(lower=0).to_numpy()
    last = (inside["end"] - Q_FIRST).dt.days.clip(upper=Q_DAYS - 1).to_numpy()
    lengths = last - first + 1
    rows = np.repeat(np.arange(len(inside)), lengths)
    day = np.repeat(first, lengths) + (np.arange(lengths.sum())
                                       - np.repeat(np.cumsum(lengths) - lengths, lengths))
    days = pd.DataFrame({"cpr": inside["cpr"].to_numpy()[rows],
                         "group": inside["group"].to_numpy()[rows],
                         "sub_group": inside["sub_group"].to_numpy()[rows], "day": day})
    days = days.drop_duplicates()
    per_person = days.groupby(["group", "sub_group", "cpr"]).size().rename("days")
    return per_person.reset_index()


def episode_starts(frame: pd.DataFrame) -> pd.DataFrame:
    """Rule 13: each spell with the start of its episode of public support.

    Spells of every group and benefit are merged; a new episode begins only after a
    whole calendar month without a spell day.
    """
    f = frame.sort_values(["cpr", "start"]).reset_index(drop=True)
    reach = f.groupby("cpr")["end"].cummax()
    previous = reach.groupby(f["cpr"]).shift()
    free = previous + pd.Timedelta(days=1)  # first day without a spell
    month = pd.Series(free.dt.to_period("M").dt.to_timestamp(), index=free.index)
    first_whole = month.where(free.dt.day == 1, month + pd.offsets.MonthBegin(1))
    whole_month_free = f["start"] >= first_whole + pd.offsets.MonthBegin(1)
    new = previous.isna() | whole_month_free
    episode = new.astype(int).groupby(f["cpr"]).cumsum()
    f["episode_start"] = f.groupby([f["cpr"], episode])["start"].transform("min")
    return f


def durations(frame: pd.DataFrame, day: pd.Timestamp = Q_LAST) -> pd.DataFrame:
    f = episode_starts(frame)
    on_day = f[(f["start"] <= day) & (f["end"] >= day)]
    on_day = on_day[age_on(on_day["birth"], Q_FIRST).between(MIN_AGE, MAX_AGE)]
    length = (day - on_day.groupby("cpr")["episode_start"].transform("min")).dt.days + 1
    band = np.searchsorted(np.array(DURATION_EDGES), length.to_numpy(), side="left")
    result = pd.DataFrame({"cpr": on_day["cpr"], "group": on_day["group"],
                           "sub_group": on_day["sub_group"],
                           "band": np.array(DURATION_BANDS)[band]})
    return result.drop_duplicates()


def band_of(age: pd.Series, edges: tuple[tuple[int, int], ...]) -> pd.Series:
    labels = [f"{lo}-{hi}" for lo, hi in edges]
    index = np.searchsorted(np.array([hi for _, hi in edges]), age.to_numpy(), side="left")
    return pd.Series(np.array(labels)[np.minimum(index, len(labels) - 1)], index=age.index)


@dataclass
class Figures:
    statistics: pd.DataFrame  # group, sub_group, persons, fuldtidspersoner
    characteristics: pd.DataFrame  # group, sub_group, characteristic, value, share
    duration: pd.DataFrame  # group, sub_group, band, share_pct


def bilag1a(raw_dir: Path) -> Figures:
    frame = spells(raw_dir)
    days = quarter_days(frame)
    stats = days.groupby(["group", "sub_group"]).agg(
        persons=("cpr", "nunique"), days=("days", "sum")).reset_index()
    stats["fuldtidspersoner"] = stats["days"] / Q_DAYS
    births = frame.drop_duplicates("cpr").set_index("cpr")["birth"]
    people = days.join(births, on="cpr")
    age = age_on(people["birth"], Q_FIRST)
    origin = origins(raw_dir)
    people["sex"] = np.where(people["cpr"].str[-1].astype(int) % 2 == 1, "mand", "kvinde")
    people["origin"] = people["cpr"].map(origin).fillna("ukendt")
    people["age_band_10"] = band_of(age, AGE_EDGES_10)
    people["age_band_5"] = band_of(age, AGE_EDGES_5)
    parts = []
    for characteristic in ("sex", "origin", "age_band_10", "age_band_5"):
        part = people.groupby(["group", "sub_group", characteristic])["days"].sum()
        share = 100 * part / part.groupby(level=[0, 1]).transform("sum")
        parts.append(share.rename("share_pct").reset_index()
                     .rename(columns={characteristic: "value"})
                     .assign(characteristic=characteristic))
    duration = durations(frame)
    counts = duration.groupby(["group", "sub_group", "band"]).size()
    shares = 100 * counts / counts.groupby(level=[0, 1]).transform("sum")
    return Figures(stats, pd.concat(parts, ignore_index=True),
                   shares.rename("share_pct").reset_index())


# ------------------------------------------------------------------------- verdict

# Bilag 1a (docs: domain.md, "Published figures"): (group, sub_group) -> fuldtidspersoner,
# share of men, (dansk, vestlig, ikke-vestlig) or dansk only.
PUBLISHED: dict[tuple[str, str], tuple[int, float, tuple[float, ...]]] = {
    ("6.1", "ikke_akademikere"): (9_063, 51, (61, 13, 26)),
    ("6.1", "akademikere"): (6_848, 44, (74, 17, 9)),
    ("6.2", "alle"): (1_636, 64, (51, 9, 40)),
    ("6.4", "alle"): (459, 55, (69, 3, 28)),
    ("6.6", "alle"): (8_832, 39, (76,)),
    ("6.7", "alle"): (881, 31, (68,)),
    ("6.3", "alle"): (7_494, 56, (55, 5, 40)),
    ("6.8", "alle"): (3_187, 42, (55, 4, 41)),
    ("6.9", "ledige"): (921, 40, (75, 4, 21)),
    ("6.5", "alle"): (1_997, 53, (80, 2, 18)),
}
TOTALS = {"klar": ((("6.1", "ikke_akademikere"), ("6.1", "akademikere"), ("6.2", "alle"),
                    ("6.4", "alle")), 18_006),
          "sygemeldt": ((("6.6", "alle"), ("6.7", "alle")), 9_713),
          "kanten": ((("6.3", "alle"), ("6.8", "alle"), ("6.9", "ledige"), ("6.5", "alle")),
                     13_599)}


def verdict(figures: Figures, scale: float = 1.0) -> list[str]:
    """The published figures the computed ones miss (empty: all reproduced)."""
    misses: list[str] = []
    stats = figures.statistics.set_index(["group", "sub_group"])["fuldtidspersoner"]
    chars = figures.characteristics.set_index(["group", "sub_group", "characteristic",
                                               "value"])["share_pct"]
    dur = figures.duration.set_index(["group", "sub_group", "band"])["share_pct"]

    def share(key: tuple[str, str], characteristic: str, value: str) -> float:
        return float(chars.get((*key, characteristic, value), 0.0))

    def duration(key: tuple[str, str], *bands: str) -> float:
        return float(sum(dur.get((*key, band), 0.0) for band in bands))

    def check(ok: bool, text: str) -> None:
        if not ok:
            misses.append(text)

    for key, (fte, men, origin) in PUBLISHED.items():
        got = float(stats.get(key, 0.0))
        check(round(got) == round(fte * scale), f"{key} fuldtidspersoner {got:.2f} != {fte}")
        if scale != 1.0:
            continue
        men_share = share(key, "sex", "mand")
        check(abs(men_share - men) <= 1, f"{key} men {men_share:.1f}")
        for value, published in zip(("dansk", "vestlig", "ikke-vestlig"), origin,
                                    strict=False):
            got_share = share(key, "origin", value)
            check(abs(got_share - published) <= 1, f"{key} {value} {got_share:.1f} != {published}")
    for name, (keys, total) in TOTALS.items():
        got = sum(float(stats.get(k, 0.0)) for k in keys)
        check(round(got) == round(total * scale), f"{name} I alt {got:.2f} != {total}")
    if scale != 1.0:
        return misses

    def largest(key: tuple[str, str], characteristic: str) -> list[str]:
        part = figures.characteristics[
            (figures.characteristics["group"] == key[0])
            & (figures.characteristics["sub_group"] == key[1])
            & (figures.characteristics["characteristic"] == characteristic)]
        return list(part.sort_values("share_pct", ascending=False)["value"])

    a10 = "age_band_10"
    check(largest(("6.1", "ikke_akademikere"), a10)[0] == "30-39", "6.1 ikke: 30-39 largest")
    check(set(largest(("6.1", "akademikere"), a10)[:2]) == {"20-29", "30-39"},
          "6.1 akad: 20-29 and 30-39 largest")
    check(set(largest(("6.2", "alle"), a10)[:2]) == {"40-49", "50-59"}, "6.2: 40-49, 50-59")
    for key, lo, hi in ((("6.4", "alle"), 50, 60), (("6.5", "alle"), 40, 60)):
        check(largest(key, a10)[0] == "20-29", f"{key}: 20-29 largest")
        under_25 = share(key, "age_band_5", "16-19") + share(key, "age_band_5", "20-24")
        check(lo <= under_25 <= hi, f"{key}: under 25 {under_25:.1f}")
    for band in ("30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64"):
        got_share = share(("6.6", "alle"), "age_band_5", band)
        check(12 <= got_share <= 14, f"6.6 {band} {got_share:.1f}")
    for band in ("30-34", "35-39", "40-44", "45-49", "50-54", "55-59"):
        got_share = share(("6.7", "alle"), "age_band_5", band)
        check(11 <= got_share <= 15, f"6.7 {band} {got_share:.1f}")
    got_share = share(("6.7", "alle"), "age_band_5", "60-64")
    check(abs(got_share - 7) <= 1, f"6.7 60-64 {got_share:.1f}")
    for key in (("6.3", "alle"), ("6.9", "ledige")):
        check(largest(key, a10)[0] == "50-59", f"{key}: 50-59 largest")
    top = largest(("6.8", "alle"), a10)
    check(top[0] == "50-59" and share(("6.8", "alle"), a10, "40-49")
          >= 0.9 * share(("6.8", "alle"), a10, "50-59"), "6.8: 50-59 largest, 40-49 close")

    def within(got_share: float, published: float, text: str) -> None:
        check(abs(got_share - published) <= 2, f"{text} {got_share:.1f} != {published}")

    within(duration(("6.1", "ikke_akademikere"), "0-26 uger"), 41, "6.1 ikke <=26w")
    within(duration(("6.1", "akademikere"), "0-26 uger"), 56, "6.1 akad <=26w")
    within(duration(("6.2", "alle"), "0-26 uger"), 26, "6.2 <=26w")
    within(duration(("6.2", "alle"), "over 3 år"), 25, "6.2 >3y")
    within(duration(("6.4", "alle"), "0-26 uger", "26-52 uger"), 63, "6.4 <1y")
    within(duration(("6.6", "alle"), "2-3 år", "over 3 år"), 10, "6.6 >2y")
    for band in ("1-2 år", "2-3 år", "over 3 år"):
        got_share = duration(("6.7", "alle"), band)
        check(18 <= got_share <= 20, f"6.7 {band} {got_share:.1f}")
    within(duration(("6.3", "alle"), "over 3 år"), 61, "6.3 >3y")
    within(duration(("6.8", "alle"), "over 3 år"), 90, "6.8 >3y")
    within(duration(("6.9", "ledige"), "over 3 år"), 92, "6.9 ledige >3y")
    return misses


def main(argv: list[str]) -> int:
    raw_dir = Path(argv[0]) if argv else Path("data/raw")
    scale = float(argv[1]) if len(argv) > 1 else 1.0
    figures = bilag1a(raw_dir)
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(figures.statistics.to_string(index=False))
        wide = figures.duration.pivot_table(index=["group", "sub_group"], columns="band",
                                            values="share_pct").round(1)
        print(wide.reindex(columns=list(DURATION_BANDS)).to_string())
        for characteristic in ("sex", "origin", "age_band_10", "age_band_5"):
            part = figures.characteristics[figures.characteristics["characteristic"]
                                           == characteristic]
            print(part.pivot_table(index=["group", "sub_group"], columns="value",
                                   values="share_pct").round(1).to_string())
    misses = verdict(figures, scale)
    print("\n".join(["MISSES:", *misses]) if misses else "Bilag 1a: every figure reproduced")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
