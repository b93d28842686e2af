"""The synthetic generator: deterministic, in the raw-extract format, with its dirt."""

from __future__ import annotations

import hashlib
import io
import re
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from faellesborger.cli import generate
from faellesborger.generator import generate_population
from faellesborger.writer import cpr_numbers

EXTRACTS = ("bif_ydelsesforloeb", "sof_bevillinger", "sof_foraeldremyndighed", "cpr_personer")


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*"))}


def read(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    return frame.rename(columns=lambda c: c.strip().lower())


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path,
                                                    small_delivery: Path) -> None:
    generate(tmp_path / "again", seed=7, scale=0.02)
    generate(tmp_path / "other", seed=8, scale=0.02)
    assert digest(tmp_path / "again") == digest(small_delivery)
    assert digest(tmp_path / "other") != digest(small_delivery)


def test_every_extract_is_delivered_in_several_shapes(small_delivery: Path) -> None:
    files = sorted(p.name for p in small_delivery.glob("*.csv"))
    for extract in EXTRACTS:
        assert any(name.startswith(extract) for name in files), extract
    assert len([f for f in files if f.startswith("bif_ydelsesforloeb")]) == 2
    raw = {p.name: p.read_bytes() for p in small_delivery.glob("*.csv")}
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw.values()), "a file with a BOM"
    latin = [n for n, b in raw.items() if b"\xf8" in b]  # ø in Windows-1252
    assert latin, "a Windows-1252 file"
    with pytest.raises(UnicodeDecodeError):
        raw[latin[0]].decode("utf-8")
    assert "ø" in raw[latin[0]].decode("cp1252")


def test_headers_vary_but_hold_the_contract(small_delivery: Path) -> None:
    late = read(next(small_delivery.glob("bif_ydelsesforloeb_2022*.csv")))
    header = next(small_delivery.glob("bif_ydelsesforloeb_2022*.csv")).read_text().split("\n")[0]
    assert header != header.lower(), "odd header case"
    assert " " in header, "spaces around names"
    assert {"forloeb_id", "cpr", "maalgruppe", "startdato", "udtraeksdato"} <= set(late.columns)
    assert "enhed" in late.columns, "an extra column"


def test_values_come_in_every_allowed_spelling(small_delivery: Path) -> None:
    bif = pd.concat([read(p) for p in small_delivery.glob("bif_ydelsesforloeb*.csv")])
    groups = set(bif["maalgruppe"])
    for pattern in (r"^6\.\d+$", r"^6,\d+$", r"^§ 6, nr\. \d+$", r"^LAB § 6 nr\. \d+$",
                    r"^lab6\.\d+$"):
        assert any(re.match(pattern, g) for g in groups), pattern
    cprs = bif["cpr"]
    assert cprs.str.fullmatch(r"\d{6}-\d{4}").any()
    assert cprs.str.fullmatch(r"\d{10}").any()
    assert cprs.str.fullmatch(r" \d{6}-\d{4} ").any(), "padded CPR"
    assert cprs.str.fullmatch(r"\d{9}|\d{5}-\d{4}").any(), "9-digit CPR"
    dates = bif["startdato"]
    assert dates.str.fullmatch(r"\d{2}-\d{2}-\d{4}").any()
    assert dates.str.fullmatch(r"\d{4}-\d{2}-\d{2}").any()
    assert bif["forloeb_id"].duplicated().any(), "re-delivered ids"
    sof = pd.concat([read(p) for p in small_delivery.glob("sof_bevillinger*.csv")])
    assert sof["indsats_kode"].str.fullmatch(r"[a-z_0-9]+").any(), "lower-case codes"
    assert sof["indsats_kode"].str.startswith(" ").any(), "padded codes"


def test_cpr_numbers_are_unique_and_encode_birth_date_and_sex() -> None:
    rng = np.random.default_rng(1)
    birth = np.datetime64("1930-01-01") + rng.integers(0, 90 * 365, 20_000).astype(
        "timedelta64[D]")
    birth[:3000] = np.datetime64("2001-05-04")  # many on one day
    male = rng.random(len(birth)) < 0.5
    cpr = cpr_numbers(birth, male)
    assert len(set(cpr)) == len(cpr)
    year = pd.Series(birth).dt.year.to_numpy()
    yy = np.array([int(c[4:6]) for c in cpr])
    d7 = np.array([int(c[6]) for c in cpr])
    century = np.where(d7 <= 3, 1900, np.where(np.isin(d7, (4, 9)),
                                               np.where(yy <= 36, 2000, 1900),
                                               np.where(yy <= 57, 2000, 1800)))
    assert (century + yy == year).all()
    assert ((np.array([int(c[-1]) for c in cpr]) % 2 == 1) == male).all()


def test_files_are_readable_by_their_owner_only(small_delivery: Path) -> None:
    assert stat.S_IMODE(small_delivery.stat().st_mode) == 0o700
    for path in small_delivery.glob("*.csv"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_size_follows_the_scale() -> None:
    small = generate_population(3, 0.01)
    large = generate_population(3, 0.04)
    ratio = large.n_persons / small.n_persons
    assert 3.6 < ratio < 4.4


# ------------------------------------------------------------------------ Bilag 1a


def test_bilag1a_quarter_gives_the_designed_fuldtidspersoner(small_delivery: Path) -> None:
    """The independent pandas reading of rules 11-13 finds each group's fuldtidspersoner
    of the third quarter of 2021 at the delivery's scale (scale 1: the published ones,
    checked with every share by `python -m faellesborger_bench.bilag1a data/raw`)."""
    from conftest import SMALL_SCALE

    from faellesborger_bench.bilag1a import bilag1a, verdict

    figures = bilag1a(small_delivery)
    assert verdict(figures, SMALL_SCALE) == []
    # one group per citizen in the quarter, and everyone on the snapshot day has a band
    assert not figures.duration.empty


def test_bilag1a_spells_carry_history_akasse_and_benefits(small_delivery: Path) -> None:
    files = sorted(small_delivery.glob("bif_ydelsesforloeb*.csv"))
    early, late = read(files[0]), read(files[1])
    assert "akasse" not in early.columns, "older deliveries lack the optional column"
    assert "akasse" in late.columns
    funds = set(late.loc[late["maalgruppe"].str.contains("1$") & ~late["maalgruppe"].str
                         .contains("10$"), "akasse"])
    assert "" in funds and {"Akademikernes A-kasse", "CA A-kasse"} & funds
    assert set(late.loc[~late["maalgruppe"].str.contains(r"[.,] ?1$|nr\. 1$"), "akasse"]) \
        <= {""} | funds
    starts = pd.concat([early, late])["startdato"]
    years = starts.str.extract(r"(\d{4})", expand=False).dropna().astype(int)
    assert years.min() <= 2015, "spells back to 2015 (rule 13 needs history)"
    assert {"Ledighedsydelse", "Fleksløntilskud"} <= set(late["ydelse"])


def test_episodes_end_only_after_a_whole_calendar_month() -> None:
    """The check's own reading of rule 13 (bench/faellesborger_bench/bilag1a.py)."""
    from faellesborger_bench.bilag1a import episode_starts

    def spell(cpr: str, start: str, end: str) -> dict[str, object]:
        return {"cpr": cpr, "start": pd.Timestamp(start), "end": pd.Timestamp(end)}

    frame = pd.DataFrame([
        spell("a", "2020-01-10", "2020-03-31"), spell("a", "2020-05-01", "2020-06-30"),
        spell("b", "2020-01-10", "2020-03-15"), spell("b", "2020-04-10", "2020-06-30"),
        spell("c", "2020-01-10", "2020-03-30"), spell("c", "2020-04-30", "2020-06-30"),
    ])
    starts = episode_starts(frame).groupby("cpr")["episode_start"].max()
    assert starts["a"] == pd.Timestamp("2020-05-01"), "all of April free: a new episode"
    assert starts["b"] == pd.Timestamp("2020-01-10"), "parts of March and April: one"
    assert starts["c"] == pd.Timestamp("2020-01-10"), "30 April on a spell: one episode"


def test_systematic_assignment_meets_weighted_shares() -> None:
    from faellesborger.generator import fit_days, systematic

    rng = np.random.default_rng(3)
    weight = rng.integers(1, 93, 5_000).astype(float)
    category = systematic(rng.permutation(5_000), weight, (51, 49))
    share = weight[category == 0].sum() / weight.sum()
    assert abs(share - 0.51) < 92 / weight.sum()
    days = fit_days(rng, 10_000, np.full(200, 92, np.int64))
    assert days.sum() == 10_000 and days.min() >= 1 and days.max() <= 92


# --------------------------------------------------------- dynamics around the anchors


def test_years_are_of_similar_size_and_share_their_citizens() -> None:
    """2019 and 2021 are not a fraction of 2020: each year's BIF-active citizens are
    within 10 % of 2020's, and a good share of 2020's were there the year before and are
    there the year after (lives around the anchor year), but not all of them."""
    from faellesborger.generator import bif_active

    pop = generate_population(5, 0.1)
    active = {year: bif_active(pop, year) for year in (2019, 2020, 2021)}
    size = {year: int(a.sum()) for year, a in active.items()}
    assert 0.9 < size[2019] / size[2020] < 1.1, size
    assert 0.9 < size[2021] / size[2020] < 1.1, size
    for other in (2019, 2021):
        stayed = int((active[2020] & active[other]).sum()) / size[2020]
        assert 0.3 < stayed < 0.8, (other, stayed)


def test_the_hoi_month_is_topped_up_not_emptied() -> None:
    """HOI Tabel 1's month holds the designed cells, and most citizens in the cells are
    there anyway (their cases run across the month) rather than designed for it."""
    from faellesborger import calibration as cal
    from faellesborger.generator import bif_active, hoi_month_cells, scaled

    scale = 0.1
    pop = generate_population(5, scale)
    cells = hoi_month_cells(pop)
    for sel, targets in cal.HOI_CELLS.items():
        for column, target in enumerate(targets):
            found = cells[(cells["sel"] == sel) & (cells["column"] == column)]
            assert found["person"].nunique() == scaled(target, scale), (sel, column)
    # most of them were BIF-active in 2020 already: the month is not a cohort of its own
    people = cells["person"].unique()
    assert bif_active(pop, 2020)[people].mean() > 0.5


def test_a_monthly_delivery_adds_one_file_per_extract_a_month_later(
        tmp_path: Path, small_delivery: Path) -> None:
    import shutil

    from faellesborger.generator import add_month
    from faellesborger.synthetic_marker import is_synthetic_delivery

    raw = tmp_path / "raw"
    shutil.copytree(small_delivery, raw)
    before = {p.name for p in raw.glob("*.csv")}
    counts = add_month(raw, seed=7)
    added = {p.name for p in raw.glob("*.csv")} - before
    assert added == {f"{extract}_20220214.csv" for extract in EXTRACTS} == set(counts)
    assert all(rows > 0 for rows in counts.values())
    assert is_synthetic_delivery(raw), "the marker lists the month's files"
    # the same seed writes the same bytes; the next call adds the month after; a
    # delivered file is never overwritten
    again = tmp_path / "again"
    shutil.copytree(small_delivery, again)
    add_month(again, seed=7)
    assert digest(again) == digest(raw)
    assert set(add_month(again, seed=7)) == {f"{e}_20220314.csv" for e in EXTRACTS}
    (again / "sof_bevillinger_20220414.csv").write_text("bevilling_id;cpr\n")
    with pytest.raises(FileExistsError):
        add_month(again, seed=7)

    def rows(extract: str, month: bool) -> pd.DataFrame:
        paths = [p for p in raw.glob(f"{extract}*.csv") if (p.name in added) == month]
        return pd.concat([read(p) for p in paths])

    for extract, key in (("bif_ydelsesforloeb", "forloeb_id"), ("sof_bevillinger", "bevilling_id")):
        new, old = rows(extract, True), rows(extract, False)
        assert set(new["udtraeksdato"]) == {"14-02-2022"}
        assert new[key].is_unique
        redelivered = new[new[key].isin(old[key])]
        begun = new[~new[key].isin(old[key])]
        # re-deliveries: spells and grants that were open and ended in the new month
        assert len(redelivered) > 0 and len(begun) > 0
        open_before = old[old["slutdato"].str.strip() == ""][key]
        assert redelivered[key].isin(open_before).all()
        ends = pd.to_datetime(redelivered["slutdato"], format="%d-%m-%Y")
        assert ends.between("2022-01-15", "2022-02-14").all()
        # new ones began in the month
        starts = pd.to_datetime(begun["startdato"], format="%d-%m-%Y")
        assert starts.between("2022-01-15", "2022-02-14").all()
    # every new citizen of the BIF file is in the person register's new file
    def citizens(frame: pd.DataFrame) -> set[str]:
        return set(frame["cpr"].str.replace("-", "").str.replace(" ", "").str.zfill(10))

    register = rows("cpr_personer", True)
    fresh = citizens(rows("bif_ydelsesforloeb", True)) - citizens(rows("bif_ydelsesforloeb", False))
    assert fresh and set(register["cpr"]) == fresh
