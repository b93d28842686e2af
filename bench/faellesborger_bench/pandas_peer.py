"""The pandas peer of the benchmark: the warehouse's figures from the raw files.

What an analyst without the warehouse would write: pandas straight from the raw CSV
extracts (`docs/raw-extracts.md`) and the reference tables in `seeds/`, with the
rules of `docs/rules.md` as the warehouse implements them (`models/`,
`macros/rules/`). It returns the long table of `bench/warehouse_figures.sql`
(`figure`, `key`, `value`): Tabel 3, Tabel 4, the staircase steps and the HOI target
group, for every report year, and Bilag 1a (rules 11 and 13): persons and spell days
(fuldtidspersoner x the period's days) per month, quarter and year and target-group row,
and the citizens per duration band on every month's last day.

Persons are identified by their normalised CPR number (as an integer); nothing is
hashed, since nothing leaves the process but counts.

    PYTHONPATH=bench python -m faellesborger_bench.pandas_peer --raw-dir DIR [--seeds-dir seeds] \
        --out FILE.csv
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

# Rule 1: distinct calendar months with a BIF spell day that make a citizen BIF-active.
MIN_ACTIVE_MONTHS = 2
# the last this many of those years are report years; earlier years are history (rule 13)
REPORT_WINDOW_YEARS = 3
KANTEN = "kanten"

# The columns read from each extract; the optional ones may be absent from a file.
# Low-cardinality columns are read as categoricals and parsed once per distinct value.
EXTRACTS: dict[str, tuple[list[str], list[str]]] = {
    "bif_ydelsesforloeb": (
        ["forloeb_id", "cpr", "maalgruppe", "startdato", "udtraeksdato"],
        ["slutdato", "ydelse", "akasse"],
    ),
    "sof_bevillinger": (
        ["bevilling_id", "cpr", "indsats_kode", "startdato", "udtraeksdato"],
        ["slutdato"],
    ),
    "sof_foraeldremyndighed": (
        ["barn_cpr", "foraelder_cpr", "startdato", "udtraeksdato"],
        ["slutdato"],
    ),
}
CATEGORICAL = {"maalgruppe", "indsats_kode", "startdato", "slutdato", "udtraeksdato", "ydelse",
               "akasse"}
# Rules 11-13 (Bilag 1a): citizens aged MIN_AGE to MAX_AGE on the period's first day
TARGET_GROUP_MIN_AGE, TARGET_GROUP_MAX_AGE = 16, 66
# Rule 13: an episode ends after this many whole calendar months without a spell day
EPISODE_BREAK_WHOLE_MONTHS = 1

# 'lab6.1', '6,1', '§ 6, nr. 1', 'LAB § 6 nr. 1' (lower-cased): the group number.
LAB_GROUP_PATTERN = r"^(?:lab)? *(?:§ *)?6 *(?:[.,]|,? *nr[.]?) *([0-9]{1,2})\Z"


# ------------------------------------------------------------------ reading raw files


def _read_file(path: Path, required: list[str], optional: list[str]) -> pd.DataFrame:
    """One raw file as strings, columns named as declared (absent optional ones empty)."""
    wanted = required + optional
    for encoding in ("utf-8-sig", "cp1252"):  # a file that is not UTF-8 is Windows-1252
        try:
            header = pd.read_csv(path, sep=";", nrows=0, encoding=encoding).columns
            delivered = {str(name).strip().lower(): name for name in header}
            missing = [column for column in required if column not in delivered]
            if missing:
                raise ValueError(f"Raw file {path} lacks required column(s) {', '.join(missing)}")
            present = [column for column in wanted if column in delivered]
            frame = pd.read_csv(
                path,
                sep=";",
                quotechar='"',
                encoding=encoding,
                usecols=[delivered[column] for column in present],
                dtype={
                    delivered[column]: "category" if column in CATEGORICAL else str
                    for column in present
                },
                na_filter=False,
            )
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly every byte
        raise ValueError(f"Raw file {path} is neither UTF-8 nor Windows-1252")
    frame = frame.rename(columns={delivered[column]: column for column in present})
    for column in wanted:
        if column not in frame:
            frame[column] = pd.Categorical([""] * len(frame))
    return frame[wanted]


def _read_extract(
    raw_dir: Path, extract: str, clean: Callable[[pd.DataFrame], pd.DataFrame]
) -> pd.DataFrame:
    """The cleaned usable rows of every `<extract>*.csv` file, in file and line order."""
    paths = sorted(raw_dir.glob(f"{extract}*.csv"))
    if not paths:
        raise FileNotFoundError(f"Required extract '{extract}' has no file in {raw_dir}")
    required, optional = EXTRACTS[extract]
    frames = [clean(_read_file(path, required, optional)) for path in paths]
    return pd.concat(frames, ignore_index=True)


def _latest_delivery(rows: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """One row per key: the latest extraction date, then the later file, then later line.

    `rows` is in file-name and line order, so a stable sort on the extraction date keeps
    the later file and line last among equal dates.
    """
    return rows.sort_values("extraction", kind="stable").drop_duplicates(key, keep="last")


# ------------------------------------------------------------------ parsing values


def _per_category(values: pd.Series, parse: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Parse each distinct value of a categorical column once and broadcast the result."""
    parsed = parse(pd.Series(values.cat.categories.astype(str)))
    return parsed.iloc[values.cat.codes.to_numpy()].set_axis(values.index)


def _parse_dates(text: pd.Series) -> pd.Series:
    """DD-MM-YYYY or YYYY-MM-DD (surrounding spaces allowed); NaT when not a valid date."""
    text = text.str.strip(" ").where(lambda t: t.str.len() == 10)
    day_first = pd.to_datetime(text, format="%d-%m-%Y", errors="coerce")
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    return day_first.fillna(iso)


def _is_blank(values: pd.Series) -> pd.Series:
    return _per_category(values, lambda text: text.str.strip(" ") == "").astype(bool)


def _periods(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Start, end and extraction dates, and whether the period is usable."""
    dates = pd.DataFrame({
        "start": _per_category(frame["startdato"], _parse_dates),
        "end": _per_category(frame["slutdato"], _parse_dates),
        "extraction": _per_category(frame["udtraeksdato"], _parse_dates),
    })
    usable = (
        dates["start"].notna()
        & dates["extraction"].notna()
        & (dates["end"].notna() | _is_blank(frame["slutdato"]))
        & ~(dates["end"] < dates["start"])
        & ~(dates["start"] > dates["extraction"])  # registered ahead
    )
    return dates, usable


def _parse_cpr(values: pd.Series) -> pd.DataFrame:
    """Normalised CPR number as an integer person id and its birth date (NaT: unusable).

    Dashes and spaces are dropped and 9 digits padded with a leading zero; the 7th digit
    and the year digits give the century (raw-extracts.md). No modulus-11 check.
    """
    # zero-padding anything shorter than 10 is harmless: below 9 digits it gives day 00
    digits = values.str.replace("-", "").str.replace(" ", "").str.zfill(10)
    is_digits = (digits.str.len() == 10) & digits.str.isascii() & digits.str.isdigit()
    number = digits[is_digits].astype(np.int64)
    day, month = number // 10**8, number // 10**6 % 100
    year, seventh = number // 10**4 % 100, number // 1000 % 10
    century = np.select(
        [seventh <= 3, seventh.isin([4, 9]), year <= 57],
        [1900, np.where(year <= 36, 2000, 1900), 2000],
        1800,
    )
    birth = pd.to_datetime(
        pd.DataFrame({"year": century + year, "month": month, "day": day}), errors="coerce"
    )
    parsed = pd.DataFrame({"person": number, "birth": birth}).reindex(values.index)
    return parsed


def _month_index(dates: pd.Series) -> pd.Series:
    """Month index year * 12 + month - 1 of a date."""
    return cast(pd.Series, (dates.dt.year * 12 + dates.dt.month - 1).astype(np.int32))


def _age_anchor_month(birth: pd.Series) -> pd.Series:
    """First month index beginning on or after the birth date (age at month starts)."""
    return cast(pd.Series, _month_index(birth) + (birth.dt.day != 1).astype(np.int32))


def _lower_text(values: pd.Series) -> pd.Series:
    """A categorical text column trimmed and lower-cased (once per distinct value)."""
    return _per_category(values, lambda text: text.str.strip(" ").str.lower())


def _cleaner(
    key: str, code_column: str, code_parser: Callable[[pd.Series], pd.Series], code_name: str,
    texts: tuple[str, ...] = (),
) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """Cleaning of a BIF or SOF file: usable rows with person, code and period (and the
    columns ``texts``, trimmed and lower-cased)."""

    def clean(frame: pd.DataFrame) -> pd.DataFrame:
        dates, usable = _periods(frame)
        cpr = _parse_cpr(frame["cpr"])
        rows = pd.DataFrame({
            key: frame[key].str.strip(" "),
            "person": cpr["person"],
            "birth": cpr["birth"],
            code_name: _per_category(frame[code_column], code_parser),
            **dates,
            **{text: _lower_text(frame[text]) for text in texts},
        })
        usable &= (rows[key].ne("") & rows["birth"].notna() & rows[code_name].notna()
                   & ~(rows["start"] < rows["birth"]))
        return rows[usable].astype({"person": np.int64})

    return clean


# ------------------------------------------------------------------ the extracts


def _lab_group_parser(known: pd.Series) -> Callable[[pd.Series], pd.Series]:
    """LAB group code ('6.1' ... '6.10') of the seed, from the source's spellings."""

    def parse(text: pd.Series) -> pd.Series:
        number = text.str.strip(" ").str.lower().str.extract(LAB_GROUP_PATTERN, expand=False)
        code = "6." + number.dropna().astype(int).astype(str)
        code = code.where(code.isin(known)).reindex(text.index)
        return code.astype(pd.CategoricalDtype(known))  # unknown groups: NaN

    return parse


def _intervention_parser(known: pd.Series) -> Callable[[pd.Series], pd.Series]:
    """Intervention code of the catalogue, whatever its case and padding."""

    def parse(text: pd.Series) -> pd.Series:
        code = text.str.strip(" ").str.upper()
        return code.where(code.isin(known)).astype(pd.CategoricalDtype(known))

    return parse


def _clean_custody(frame: pd.DataFrame) -> pd.DataFrame:
    dates, usable = _periods(frame)
    child = _parse_cpr(frame["barn_cpr"])
    parent = _parse_cpr(frame["foraelder_cpr"])
    rows = pd.DataFrame({
        "child": child["person"],
        "parent": parent["person"],
        "child_birth": child["birth"],
        **dates,
    })
    usable &= (child["birth"].notna() & parent["birth"].notna()
               & ~(dates["start"] < child["birth"]))
    return rows[usable].astype({"child": np.int64, "parent": np.int64})


def _expand(frame: pd.DataFrame, first: pd.Series, last: pd.Series, name: str) -> pd.DataFrame:
    """One row per row of `frame` and value `name` from `first` to `last` (inclusive)."""
    counts = (last - first + 1).clip(lower=0).to_numpy()
    expanded = frame.iloc[np.repeat(np.arange(len(frame)), counts)].reset_index(drop=True)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    expanded[name] = (np.repeat(first.to_numpy(), counts) + offsets).astype(np.int32)
    return expanded


# ------------------------------------------------------------------ the figures


def run_pandas(raw_dir: Path, seeds_dir: Path) -> pd.DataFrame:
    """The benchmark figures (`figure`, `key`, `value`) from the raw extracts in `raw_dir`."""
    lab_groups = pd.read_csv(seeds_dir / "lab_target_groups.csv", dtype=str)
    interventions = pd.read_csv(
        seeds_dir / "sof_interventions.csv",
        dtype={"intervention_code": str, "support_step": "Int64", "child_measure_kind": str,
               "tabel4_column": str, "hoi_sel_group": str},
    )
    interventions["is_coordination_relevant"] = (
        interventions["is_coordination_relevant"].astype(str).str.lower() == "true"
    )
    tabel4_columns = pd.read_csv(seeds_dir / "tabel4_columns.csv", dtype=str)
    support_steps = pd.read_csv(seeds_dir / "support_steps.csv")
    total_rows = pd.read_csv(seeds_dir / "tabel3_total_rows.csv", dtype=str)
    hoi_bif_groups = pd.read_csv(
        seeds_dir / "hoi_bif_groups.csv",
        dtype={"lab_group_code": str, "min_age": "Int64", "max_age": "Int64"},
    )
    hoi_sel_groups = pd.read_csv(seeds_dir / "hoi_sel_groups.csv", dtype=str)

    # --- staging: usable rows, latest delivery per id
    spells = _read_extract(
        raw_dir,
        "bif_ydelsesforloeb",
        _cleaner("forloeb_id", "maalgruppe",
                 _lab_group_parser(lab_groups["lab_group_code"]), "lab_group",
                 ("ydelse", "akasse")),
    )
    spells = _latest_delivery(spells, ["forloeb_id"])
    grants = _read_extract(
        raw_dir,
        "sof_bevillinger",
        _cleaner("bevilling_id", "indsats_kode",
                 _intervention_parser(interventions["intervention_code"]), "code"),
    )
    grants = _latest_delivery(grants, ["bevilling_id"])
    custody = _read_extract(raw_dir, "sof_foraeldremyndighed", _clean_custody)
    custody = _latest_delivery(custody, ["child", "parent", "start"])

    # --- calendar: from the first spell start's year to the last extraction's year,
    # keeping the years whose first MIN_ACTIVE_MONTHS months the delivery covers, and of
    # those the last REPORT_WINDOW_YEARS (earlier years are history)
    latest = spells["extraction"].max()
    years = [
        year
        for year in range(spells["start"].dt.year.min(), latest.year + 1)
        if latest >= pd.Timestamp(year, 1, 1) + pd.DateOffset(months=MIN_ACTIVE_MONTHS)
    ][-REPORT_WINDOW_YEARS:]
    months = [year * 12 + month for year in years for month in range(12)]
    first_month, last_month = min(months), max(months)

    # --- Bilag 1a (rules 11 and 13), first: its working arrays are gone before the rest
    figures: list[pd.DataFrame] = []
    report_months = np.array(months, dtype=np.int64)
    spells["sub_group"] = _sub_groups(spells, seeds_dir)
    figures.append(_bilag1a_statistics(spells, lab_groups, report_months))
    figures.append(_bilag1a_durations(spells, seeds_dir, report_months))

    # --- BIF: spell months, active person years (rule 1), LAB group memberships (rule 2)
    spells["start_month"] = _month_index(spells["start"])
    spells["end_month"] = _month_index(spells["end"].fillna(spells["extraction"]))
    spell_months = _expand(
        spells[["person", "lab_group"]],
        spells["start_month"].clip(lower=first_month),
        spells["end_month"].clip(upper=last_month),
        "month",
    )
    spell_months = spell_months[spell_months["month"].isin(months)]
    spell_months["year"] = spell_months["month"] // 12
    active_months = spell_months.drop_duplicates(["person", "month"]).groupby(
        ["year", "person"], sort=False).size()
    active = active_months[active_months >= MIN_ACTIVE_MONTHS].index.to_frame(index=False)
    memberships = (
        spell_months[["year", "person", "lab_group"]]
        .drop_duplicates()
        .merge(active, on=["year", "person"])
        .merge(lab_groups[["lab_group_code", "main_group_code"]],
               left_on="lab_group", right_on="lab_group_code")
    )

    # --- SOF: interventions per person and year, own (rule 3) and as børnesag (rule 4)
    grants = grants.merge(interventions, left_on="code", right_on="intervention_code")
    grants["end"] = grants["end"].fillna(grants["extraction"])
    own = grants[grants["child_measure_kind"].isna()]
    own_years = _expand(
        own[["person", "code"]],
        own["start"].dt.year.clip(lower=years[0]),
        own["end"].dt.year.clip(upper=years[-1]),
        "year",
    ).assign(is_via_child=False)
    relations = custody.assign(
        # custody from the child's birth precedes every measure of the child
        start=custody["start"].mask(custody["start"] == custody["child_birth"]),
        end=custody["end"].fillna(custody["extraction"]),
    )
    measures = grants[grants["child_measure_kind"].notna()].merge(
        relations[["child", "parent", "start", "end"]],
        left_on="person", right_on="child", suffixes=("", "_relation"),
    )
    overlap_start = measures[["start", "start_relation"]].max(axis=1)
    overlap_end = measures[["end", "end_relation"]].min(axis=1)
    measures = measures[overlap_start <= overlap_end]
    child_years = _expand(
        measures[["parent", "code"]].rename(columns={"parent": "person"}),
        overlap_start[measures.index].dt.year.clip(lower=years[0]),
        overlap_end[measures.index].dt.year.clip(upper=years[-1]),
        "year",
    ).assign(is_via_child=True)
    intervention_years = (
        pd.concat([own_years, child_years], ignore_index=True)
        .drop_duplicates()
        .merge(interventions, left_on="code", right_on="intervention_code")
    )
    intervention_years = intervention_years[intervention_years["year"].isin(years)]

    # --- fællesborgere (rule 5), step (rule 7), kanten (rule 9)
    coordination = intervention_years[intervention_years["is_coordination_relevant"]]
    person_years = memberships[["year", "person"]].drop_duplicates()
    faellesborgere = person_years.merge(
        coordination[["year", "person"]].drop_duplicates(), on=["year", "person"]
    )
    steps = (
        coordination[~coordination["is_via_child"]]
        .dropna(subset=["support_step"])
        .groupby(["year", "person"])["support_step"].max()
        .rename("support_step")
        .reset_index()
    )
    kanten_years = memberships.loc[
        memberships["main_group_code"] == KANTEN, ["year", "person"]
    ].drop_duplicates().assign(is_kanten=True)
    faellesborgere = (
        faellesborgere
        .merge(steps, on=["year", "person"], how="left")
        .merge(kanten_years, on=["year", "person"], how="left")
        .assign(is_kanten=lambda f: f["is_kanten"].fillna(False).astype(bool))
    )
    members = memberships.merge(
        faellesborgere[["year", "person"]].assign(is_faellesborger=True),
        on=["year", "person"], how="left",
    ).assign(is_faellesborger=lambda f: f["is_faellesborger"].fillna(False).astype(bool))

    # --- Tabel 3: per LAB group, and the unique citizens of the total rows
    group_counts = members.groupby(["year", "lab_group"]).agg(
        population=("person", "size"), faellesborgere=("is_faellesborger", "sum")
    )
    group_counts = group_counts.reindex(
        pd.MultiIndex.from_product([years, lab_groups["lab_group_code"]],
                                   names=["year", "lab_group"]),
        fill_value=0,
    )
    figures.append(_long(group_counts, "tabel3"))
    for main_group in total_rows["main_group_code"]:
        scope = members if pd.isna(main_group) else members[
            members["main_group_code"] == main_group]
        totals = pd.DataFrame({
            "population_unique": scope.groupby("year")["person"].nunique(),
            "faellesborgere_unique": scope[scope["is_faellesborger"]]
            .groupby("year")["person"].nunique(),
        }).reindex(pd.Index(years, name="year"), fill_value=0).fillna(0)
        totals.index = pd.MultiIndex.from_arrays(
            [totals.index, ["ALL" if pd.isna(main_group) else main_group] * len(totals)])
        figures.append(_long(totals, "tabel3"))

    # --- Tabel 4: kanten fællesborgere per kanten LAB group and column
    kanten_groups = lab_groups.loc[lab_groups["main_group_code"] == KANTEN, "lab_group_code"]
    kanten_members = members[members["lab_group"].isin(kanten_groups)]
    columns = (
        coordination.dropna(subset=["tabel4_column"])[["year", "person", "tabel4_column"]]
        .drop_duplicates()
    )
    cells = kanten_members[kanten_members["is_faellesborger"]][
        ["year", "person", "lab_group"]].merge(columns, on=["year", "person"])
    group_cells = cells.groupby(["year", "lab_group", "tabel4_column"]).size()
    total_cells = cells.groupby(["year", "tabel4_column"])["person"].nunique()
    group_populations = kanten_members.groupby(["year", "lab_group"]).size()
    total_populations = group_populations.groupby("year").sum()  # as the report: a sum
    tabel4 = pd.concat([
        group_cells.rename("citizens").reset_index(),
        total_cells.rename("citizens").reset_index().assign(lab_group="ALL"),
        group_populations.rename("citizens").reset_index().assign(tabel4_column="population"),
        total_populations.rename("citizens").reset_index()
        .assign(lab_group="ALL", tabel4_column="population"),
    ]).set_index(["year", "lab_group", "tabel4_column"])["citizens"]
    tabel4 = tabel4.reindex(
        pd.MultiIndex.from_product(
            [years, [*kanten_groups, "ALL"], ["population", *tabel4_columns["tabel4_column"]]],
            names=["year", "lab_group", "tabel4_column"],
        ),
        fill_value=0,
    )
    figures.append(_keyed(tabel4, "tabel4"))

    # --- steps: fællesborgere per step of the staircase, and those in kanten
    stepped = faellesborgere.dropna(subset=["support_step"])
    step_counts = stepped.groupby(["year", "support_step"]).agg(
        all=("person", "size"), kanten=("is_kanten", "sum"))
    step_counts = step_counts.reindex(
        pd.MultiIndex.from_product([years, support_steps["support_step"]],
                                   names=["year", "support_step"]),
        fill_value=0,
    )
    figures.append(_long(step_counts, "steps"))

    # --- HOI target group (rule 10): BIF group months (age on the first of the month)
    # crossed with SEL group months of the citizen's own grants
    hoi_spells = spells[spells["lab_group"].isin(hoi_bif_groups["lab_group_code"])]
    bif_months = _expand(
        hoi_spells[["person", "lab_group"]].assign(
            anchor=_age_anchor_month(hoi_spells["birth"])),
        hoi_spells["start_month"].clip(lower=first_month),
        hoi_spells["end_month"].clip(upper=last_month),
        "month",
    ).merge(hoi_bif_groups, left_on="lab_group", right_on="lab_group_code")
    age = (bif_months["month"] - bif_months["anchor"]) // 12
    bif_months = bif_months[
        (age >= bif_months["min_age"]) & ~(age > bif_months["max_age"]).fillna(False)
        & bif_months["month"].isin(months)
    ][["month", "person", "bif_group"]].drop_duplicates()
    sel_grants = own[own["hoi_sel_group"].notna()]
    sel_months = _expand(
        sel_grants[["person", "hoi_sel_group"]],
        _month_index(sel_grants["start"]).clip(lower=first_month),
        _month_index(sel_grants["end"]).clip(upper=last_month),
        "month",
    ).drop_duplicates()
    hoi = bif_months.merge(sel_months, on=["month", "person"]).groupby(
        ["month", "hoi_sel_group", "bif_group"]).size()
    hoi = hoi.reindex(
        pd.MultiIndex.from_product(
            [months, hoi_sel_groups["sel_group"], hoi_bif_groups["bif_group"].unique()]),
        fill_value=0,
    )
    month_names = {m: f"{m // 12:04d}-{m % 12 + 1:02d}" for m in months}
    index = cast(pd.MultiIndex, hoi.index)
    hoi.index = index.set_levels(list(index.levels[0].map(month_names)), level=0)
    figures.append(_keyed(hoi, "hoi"))


    return pd.concat(figures, ignore_index=True)


# ------------------------------------------------------------------ Bilag 1a


_EPOCH = np.datetime64("1970-01-01", "D")


def _days(dates: pd.Series) -> np.ndarray:
    """Dates as day numbers since 1970-01-01 (int64)."""
    return (dates.to_numpy(dtype="datetime64[D]") - _EPOCH).astype(np.int64)


def _month_first_day(month: np.ndarray) -> np.ndarray:
    """Day number of the first day of month index ``month`` (year * 12 + month - 1)."""
    since_1970 = (np.asarray(month, dtype=np.int64) - 1970 * 12).astype("datetime64[M]")
    return since_1970.astype("datetime64[D]").astype(np.int64)


def _sub_groups(spells: pd.DataFrame, seeds_dir: Path) -> pd.Series:
    """Each spell's Bilag 1a sub-group (seed `lab_sub_groups`) or NaN."""
    ac_funds = set(pd.read_csv(seeds_dir / "ac_unemployment_funds.csv", dtype=str)[
        "akasse_spelling"])
    rules = pd.read_csv(seeds_dir / "lab_sub_groups.csv", dtype=str, keep_default_na=False)
    group = spells["lab_group"].astype(str)
    is_ac = spells["akasse"].astype(str).isin(ac_funds)
    benefit = spells["ydelse"].astype(str)
    sub = pd.Series(np.nan, index=spells.index, dtype=object)
    for code, sub_group, split_by, benefit_name in rules[
            ["lab_group_code", "sub_group", "split_by", "benefit_name"]].to_numpy(dtype=str):
        match = {"ac_fund": is_ac, "not_ac_fund": ~is_ac,
                 "benefit": benefit == benefit_name}.get(split_by)
        if match is None:
            continue
        sub = sub.mask(sub.isna() & (group == code) & match, sub_group)
    return sub


def _age_ok(month: np.ndarray | np.int64, anchor: np.ndarray) -> np.ndarray:
    """Aged MIN to MAX (rule 11) on the first day of month index ``month``."""
    age = (month - anchor) // 12
    ok: np.ndarray = (age >= TARGET_GROUP_MIN_AGE) & (age <= TARGET_GROUP_MAX_AGE)
    return ok


def _or_by_key(keys: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys`` and the bitwise or of the ``masks`` of each."""
    order = np.argsort(keys, kind="stable")
    keys, masks = keys[order], masks[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[starts], np.bitwise_or.reduceat(masks, starts)


def _bilag1a_statistics(spells: pd.DataFrame, lab_groups: pd.DataFrame,
                        months: np.ndarray) -> pd.DataFrame:
    """Rule 11: persons and spell days per month, quarter and year and target-group row.

    Key: period label, row (LAB group or sub-group; main group or ALL for the totals,
    which count each citizen once and sum their groups' spell days, as Bilag 1a prints a
    total), sub-group, measure (`persons`, `spell_days`: fuldtidspersoner x the period's
    days). A spell's days in a month are a bit mask of the month's days; a citizen's
    masks of a row and month are or-ed, so overlapping spells count a day once. A
    citizen's months with a day of a row are a mask too: they count as a person of each
    period whose months meet it, when aged 16-66 on its first day.
    """
    first_month, n_months = int(months.min()), len(months)
    first_day = _month_first_day(np.array([first_month]))[0]
    last_day = _month_first_day(np.array([first_month + n_months]))[0] - 1
    codes = list(lab_groups["lab_group_code"])
    mains = list(dict.fromkeys(lab_groups["main_group_code"]))
    main_of = np.array([mains.index(m) for m in lab_groups["main_group_code"]])
    sub_names = ["alle", *sorted(spells["sub_group"].dropna().unique())]
    start = _days(spells["start"])
    end = _days(spells["end"].fillna(spells["extraction"]))
    keep = (start <= last_day) & (end >= first_day)
    start, end = np.maximum(start[keep], first_day), np.minimum(end[keep], last_day)
    person_codes, persons = pd.factorize(spells["person"].to_numpy()[keep])
    group = pd.Categorical(spells["lab_group"].astype(str).to_numpy()[keep],
                           categories=codes).codes.astype(np.int64)
    sub = pd.Categorical(spells["sub_group"].to_numpy()[keep],
                         categories=sub_names).codes.astype(np.int64)  # -1: none
    anchor = _age_anchor_month(spells["birth"]).to_numpy(dtype=np.int64)[keep]
    anchor_of_person = np.zeros(len(persons), dtype=np.int64)
    anchor_of_person[person_codes] = anchor
    # every spell's months, each with the mask of its days in the month
    month_of_start = (start.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
                      + 1970 * 12)
    month_of_end = (end.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
                    + 1970 * 12)
    counts = month_of_end - month_of_start + 1
    take = np.repeat(np.arange(len(start)), counts)
    month = np.repeat(month_of_start, counts) + np.arange(counts.sum()) - np.repeat(
        np.cumsum(counts) - counts, counts)
    month_start = _month_first_day(month)
    day_first = np.maximum(start[take], month_start) - month_start
    day_last = np.minimum(end[take], _month_first_day(month + 1) - 1) - month_start
    masks = ((np.int64(1) << (day_last - day_first + 1)) - 1) << day_first
    person, offset = person_codes[take], month - first_month
    n_groups, n_subs = len(codes), len(sub_names)
    # rows: group g (sub-group 0, 'alle') and its sub-groups s
    keys_group = (person * n_groups + group[take]) * n_months + offset
    with_sub = sub[take] > 0
    keys_sub = (((person * n_groups + group[take]) * n_subs + sub[take]) * n_months
                + offset)[with_sub]
    parts = []
    row_names: list[str] = []
    row_days: list[np.ndarray] = []
    row_persons: list[np.ndarray] = []
    periods = [(kind, length, p) for kind, length in (("month", 1), ("quarter", 3),
                                                      ("year", 12))
               for p in range(first_month, first_month + n_months, length)]

    def count(keys: np.ndarray, key_masks: np.ndarray, n_rows: int) -> tuple[np.ndarray,
                                                                              np.ndarray]:
        """Persons and spell days per (row, period) of one kind of row."""
        keys, key_masks = _or_by_key(keys, key_masks)
        cell, offset_of = keys // n_months, keys % n_months
        row, who = cell % n_rows, cell // n_rows
        days = np.bitwise_count(key_masks).astype(np.int64)
        presence_keys, presence = _or_by_key(cell, np.int64(1) << offset_of)
        presence_row, presence_who = presence_keys % n_rows, presence_keys // n_rows
        # spell days: each month's days into the month, its quarter and its year
        out_days = np.zeros(n_rows * len(periods), dtype=np.int64)
        anchor_of = anchor_of_person[who]
        for base, length in ((0, 1), (n_months, 3), (n_months + n_months // 3, 12)):
            period_offset = offset_of - offset_of % length
            ok = _age_ok(period_offset + first_month, anchor_of)
            index = row[ok] * len(periods) + base + period_offset[ok] // length
            out_days += np.bincount(index, weights=days[ok],
                                    minlength=n_rows * len(periods)).astype(np.int64)
        # persons: a citizen's months of the row meet the period's
        out_persons = np.zeros((n_rows, len(periods)), dtype=np.int64)
        presence_anchor = anchor_of_person[presence_who]
        for index, (_, length, period) in enumerate(periods):
            span = ((np.int64(1) << length) - 1) << (period - first_month)
            hit = ((presence & span) != 0) & _age_ok(np.int64(period), presence_anchor)
            out_persons[:, index] = np.bincount(presence_row[hit], minlength=n_rows)
        return out_persons, out_days.reshape(n_rows, len(periods))

    group_persons, group_days = count(keys_group, masks, n_groups)
    for g, code in enumerate(codes):
        row_names.append(f"{code}|alle")
        row_persons.append(group_persons[g])
        row_days.append(group_days[g])
    sub_persons, sub_days = count(keys_sub, masks[with_sub], n_groups * n_subs)
    for g, code in enumerate(codes):
        for s_index in range(1, n_subs):
            if sub_persons[g * n_subs + s_index].any() or sub_days[g * n_subs + s_index].any():
                row_names.append(f"{code}|{sub_names[s_index]}")
                row_persons.append(sub_persons[g * n_subs + s_index])
                row_days.append(sub_days[g * n_subs + s_index])
    # totals: each citizen once over the main group's groups (or all); days summed
    keys_main = (person * len(mains) + main_of[group[take]]) * n_months + offset
    main_persons, _ = count(keys_main, masks, len(mains))
    all_persons, _ = count(person * n_months + offset, masks, 1)
    for m, name in enumerate(mains):
        row_names.append(f"{name}|alle")
        row_persons.append(main_persons[m])
        row_days.append(group_days[main_of == m].sum(axis=0))
    row_names.append("ALL|alle")
    row_persons.append(all_persons[0])
    row_days.append(group_days.sum(axis=0))
    labels = [_period_label(period, kind) for kind, _, period in periods]
    for name, persons_of, days_of in zip(row_names, row_persons, row_days, strict=True):
        parts.append(pd.DataFrame({
            "figure": "bilag1a",
            "key": [f"{label}|{name}|persons" for label in labels]
            + [f"{label}|{name}|spell_days" for label in labels],
            "value": np.concatenate([persons_of, days_of]).astype(np.int64)}))
    return pd.concat(parts, ignore_index=True)


def _period_label(month: int, kind: str) -> str:
    """The warehouse's period label: `2021-09`, `2021-Q3` or `2021`."""
    year, month_of_year = month // 12, month % 12 + 1
    if kind == "month":
        return f"{year:04d}-{month_of_year:02d}"
    if kind == "quarter":
        return f"{year:04d}-Q{(month_of_year + 2) // 3}"
    return f"{year:04d}"


def _bilag1a_durations(spells: pd.DataFrame, seeds_dir: Path,
                       months: np.ndarray) -> pd.DataFrame:
    """Rule 13: the citizens with a spell on each month's last day, per duration band.

    Episodes run over every usable spell of a citizen (history included, every group);
    a spell starts a new episode when the latest end of the citizen's earlier spells lies
    more than EPISODE_BREAK_WHOLE_MONTHS month indexes before its start month. A citizen
    counts under each group (and sub-group) with a spell on the day and once in ALL.
    Key: snapshot month, row (LAB group or ALL), sub-group, band.
    """
    bands = pd.read_csv(seeds_dir / "duration_bands.csv", dtype={"max_days": "Int64"})
    frame = pd.DataFrame({
        "spell": spells["forloeb_id"].to_numpy(),
        "person": spells["person"].to_numpy(),
        "group": spells["lab_group"].astype(str).to_numpy(),
        "sub": spells["sub_group"].to_numpy(),
        "start": _days(spells["start"]),
        "end": _days(spells["end"].fillna(spells["extraction"])),
        "start_month": _month_index(spells["start"]).to_numpy(dtype=np.int64),
        "anchor": _age_anchor_month(spells["birth"]).to_numpy(dtype=np.int64),
    }).sort_values(["person", "start", "end", "spell"], ignore_index=True)
    reach = frame.groupby("person", sort=False)["end"].cummax()
    previous = reach.groupby(frame["person"], sort=False).shift()
    previous_month = _month_index(pd.Series(_EPOCH + previous.fillna(0).to_numpy(
        dtype=np.int64))).to_numpy()
    new = previous.isna().to_numpy() | (
        frame["start_month"].to_numpy() - previous_month > EPISODE_BREAK_WHOLE_MONTHS)
    episode = np.cumsum(new)
    frame["episode_start"] = frame.groupby(episode, sort=False)["start"].transform("min")
    # the spells reaching a snapshot day (a month's last day of the report years)
    snapshot = _month_first_day(months + 1) - 1
    first, last = frame["start"].to_numpy(), frame["end"].to_numpy()
    lo = np.searchsorted(snapshot, first, side="left")  # first snapshot on or after start
    hi = np.searchsorted(snapshot, last, side="right")  # after the last one on or before end
    counts = np.clip(hi - lo, 0, None)
    take = np.repeat(np.arange(len(frame)), counts)
    which = np.repeat(lo, counts) + np.arange(counts.sum()) - np.repeat(
        np.cumsum(counts) - counts, counts)
    anchor = frame["anchor"].to_numpy()[take]
    age_ok = _age_ok(months[which], anchor)
    take, which = take[age_ok], which[age_ok]
    duration = snapshot[which] - frame["episode_start"].to_numpy()[take] + 1
    edges = bands.sort_values("min_days")
    band = np.searchsorted(edges["min_days"].to_numpy(), duration, side="right") - 1
    band_names = list(edges["duration_band"])
    # each citizen once per row, snapshot and band (one episode per citizen and day)
    person_codes, _ = pd.factorize(frame["person"].to_numpy())
    codes = sorted(frame["group"].unique())
    sub_names = ["alle", *sorted(frame["sub"].dropna().unique())]
    group = pd.Categorical(frame["group"], categories=codes).codes.astype(np.int64)[take]
    sub = pd.Categorical(frame["sub"], categories=sub_names).codes.astype(np.int64)[take]
    row = np.concatenate([group * len(sub_names), (group * len(sub_names) + sub)[sub > 0],
                          np.full(len(take), len(codes) * len(sub_names))])
    person = person_codes[take]
    n_cells = len(months) * len(band_names)
    cell = which * len(band_names) + band
    keys = (np.concatenate([person, person[sub > 0], person]) * (len(codes) + 1)
            * len(sub_names) + row) * n_cells + np.concatenate([cell, cell[sub > 0], cell])
    keys.sort()
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    n_row_cells = (len(codes) + 1) * len(sub_names) * n_cells
    per_row_cell = np.bincount(keys % n_row_cells, minlength=n_row_cells)
    found = np.flatnonzero(per_row_cell)
    persons = per_row_cell[found]
    row_of, cell_of = found // n_cells, found % n_cells
    names = [f"{code}|{sub_name}" for code in codes for sub_name in sub_names]
    names += [f"ALL|{sub_name}" for sub_name in sub_names]
    labels = [_period_label(int(m), "month") for m in months]
    counted = pd.Series(persons, index=pd.MultiIndex.from_arrays([
        np.array(labels)[cell_of // len(band_names)], np.array(names)[row_of],
        np.array(band_names)[cell_of % len(band_names)]]))
    return _keyed(counted, "duration")


def _keyed(counts: pd.Series, figure: str) -> pd.DataFrame:
    """Figures from a count series: key = its index levels joined by '|'."""
    keys = ["|".join(str(part) for part in index) for index in counts.index]
    return pd.DataFrame({
        "figure": figure, "key": keys, "value": counts.to_numpy().astype(np.int64)})


def _long(counts: pd.DataFrame, figure: str) -> pd.DataFrame:
    """Figures from a frame of count columns: the column name is the key's last part."""
    stacked = cast(pd.Series, counts.stack())
    return _keyed(stacked, figure)


# ------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--raw-dir", type=Path, required=True)
    parser.add_argument("--seeds-dir", type=Path, default=Path("seeds"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    figures = run_pandas(args.raw_dir, args.seeds_dir)
    figures.to_csv(args.out, sep=";", index=False)
    print(f"{time.perf_counter() - started:.2f}")


if __name__ == "__main__":
    main()
