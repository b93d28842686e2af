"""Writes a generated population in the raw-extract format, with its real-world dirt.

Everything ``docs/raw-extracts.md`` allows appears somewhere: several files per
extract (an early delivery and a later one that re-delivers changed ids), both date
formats, a byte-order mark, a Windows-1252 file, header names in odd case with spaces,
another column order and an extra column, CPR numbers with and without a dash, padded,
or with 9 digits where a spreadsheet dropped the leading zero, every spelling of the
target groups, intervention codes in lower case or padded, paragraphs as typed, and a
small share of unusable rows of every kind the warehouse must quarantine.

NumPy draws every random choice; an in-memory DuckDB formats the strings and writes the
CSV files (vectorised and multi-threaded), and Python only re-encodes the finished files
that need a byte-order mark or Windows-1252.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd

from faellesborger import calibration as cal
from faellesborger.generator import (
    EARLY_EXTRACTION,
    HERKOMST,
    LATE_EXTRACTION,
    Dates,
    Ints,
    Population,
    Strs,
)
from faellesborger.project import seed_path
from faellesborger.synthetic_marker import write_marker

HERKOMST_WEIGHTS = (0.70, 0.07, 0.15, 0.01, 0.07)
IMPOSSIBLE_CPR = ("320190-1234", "011390-1234", "0101901", "ABCDEF-1234", "3102851234",
                  "29028x-4321")
UNPARSABLE_DATES = ("31-02-2020", "2020/05/01", "primo maj", "00-00-0000")


@dataclass(frozen=True)
class FileSpec:
    """How one delivered file looks."""

    name: str
    encoding: str  # "utf-8", "utf-8-sig" (with BOM) or "cp1252"
    iso_share: float  # share of dates written YYYY-MM-DD rather than DD-MM-YYYY
    odd_header: bool  # odd case and spaces, other column order, an extra column


# ------------------------------------------------------------------ SQL expressions


def sql_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def cpr_shape(cpr: str, u: str) -> str:
    """A CPR number as a delivery writes it: with or without dash, padded, 9 digits."""
    dashed = f"substr({cpr}, 1, 6) || '-' || substr({cpr}, 7)"
    return f"""case
        when {u} < 0.55 then {dashed}
        when {u} < 0.90 then {cpr}
        when {u} < 0.95 then ' ' || {dashed} || ' '
        when substr({cpr}, 1, 1) = '0' and {u} < 0.975 then substr({cpr}, 2)
        when substr({cpr}, 1, 1) = '0' then substr({cpr}, 2, 5) || '-' || substr({cpr}, 7)
        else {cpr} end"""


def date_text(column: str, u: str, iso_share: float) -> str:
    """A date as DD-MM-YYYY or (a share ``iso_share``) YYYY-MM-DD; null stays empty."""
    return (f"case when {u} < {iso_share} then strftime({column}, '%Y-%m-%d') "
            f"else strftime({column}, '%d-%m-%Y') end")


def group_spelling(code: str, pick: str) -> str:
    """LAB target groups in the spellings of the jobcenter system."""
    number = f"split_part({code}, '.', 2)"
    return f"""case {pick}
        when 0 then {code}
        when 1 then '6,' || {number}
        when 2 then '§ 6, nr. ' || {number}
        when 3 then 'LAB § 6 nr. ' || {number}
        else 'lab' || {code} end"""


def code_spelling(code: str, u: str) -> str:
    """Intervention codes as typed: mostly as catalogued, some lower case or padded."""
    return f"""case when {u} < 0.10 then lower({code})
        when {u} > 0.95 then ' ' || {code} || ' '
        else {code} end"""


def paragraph_spelling(basis: str, pick: str) -> str:
    """Legal basis as typed: 'SEL § 85', '§85', '85', '§ 85'."""
    number = f"split_part({basis}, '§ ', 2)"
    return f"""case {pick}
        when 0 then {basis}
        when 1 then '§' || replace({number}, ' ', '')
        when 2 then {number}
        else '§ ' || {number} end"""


# ------------------------------------------------------------------ persons


def cpr_table(con: duckdb.DuckDBPyConnection, birth: Dates,
              male: npt.NDArray[np.bool_]) -> None:
    """Table ``cpr`` (person_id, cpr): unique, valid 10-digit CPR numbers.

    The 7th digit encodes the century as the CPR office does; the last digit is odd for
    men. Serials are unique per birth date and sex (no modulus-11 check, as since 2007).
    """
    persons = pd.DataFrame({"person_id": np.arange(len(birth)), "birth": birth,
                            "male": male})
    con.register("persons_frame", persons)
    con.execute("""
        create or replace table cpr as
        with ranked as (
            select
                person_id, cast(birth as date) as birth, male, year(birth) as y,
                row_number() over (partition by birth, male order by person_id) - 1 as r
            from persons_frame
        ),
        digits as (
            select
                *,
                case when y < 1900 then [5, 6, 7, 8]
                     when y < 1937 then [0, 1, 2, 3]
                     when y < 2000 then [0, 1, 2, 3, 4, 9]
                     else [4, 9, 5, 6, 7, 8] end as allowed
            from ranked
        )
        select
            person_id,
            r // len(allowed) as serial_rank,
            strftime(birth, '%d%m%y')
            || cast(allowed[r % len(allowed) + 1] as varchar)
            || lpad(cast(
                (((r // len(allowed)) * 37 + date_diff('day', date '1970-01-01', birth)) % 500
                 + 500) % 500 * 2 + cast(male as integer) as varchar), 3, '0') as cpr
        from digits
    """)
    con.unregister("persons_frame")
    (worst,) = con.execute("select coalesce(max(serial_rank), 0) from cpr").fetchone() or (0,)
    if worst >= 500:
        raise ValueError("too many persons per birth date and sex for unique CPR numbers")


def cpr_numbers(birth: Dates, male: npt.NDArray[np.bool_]) -> Strs:
    """The CPR numbers ``cpr_table`` gives these persons, in order."""
    with duckdb.connect() as con:
        cpr_table(con, birth, male)
        frame = con.execute("select cpr from cpr order by person_id").df()
    return frame["cpr"].to_numpy(dtype=str)


# ------------------------------------------------------------------ files


def split_deliveries(start: Dates, end: Dates) -> tuple[npt.NDArray[np.bool_],
                                                        npt.NDArray[np.bool_], Dates]:
    """Which periods the early and the late delivery hold, and the early view of the end.

    The early delivery holds every period begun by its extraction date, still open if it
    ended later. The late delivery holds what began or changed after it: such ids are
    re-delivered, and the warehouse keeps the row with the latest extraction date. A
    period that begins after the late extraction date is in neither: no system delivers
    what has not begun (the warehouse quarantines such a row as registered ahead).
    """
    in_early = start <= EARLY_EXTRACTION
    early_end = np.where(np.isnat(end) | (end > EARLY_EXTRACTION), np.datetime64("NaT"), end)
    in_late = (((start > EARLY_EXTRACTION) | np.isnat(end) | (end > EARLY_EXTRACTION))
               & (start <= LATE_EXTRACTION))
    return in_early, in_late, early_end.astype("datetime64[D]")


@contextmanager
def private_files() -> Iterator[None]:
    """Files created inside are readable by their owner only (they hold CPR numbers)."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


class DeliveryWriter:
    """Formats and writes the files of one delivery."""

    def __init__(self, out_dir: Path, rng: np.random.Generator) -> None:
        self.out_dir = out_dir
        self.rng = rng
        self.con = duckdb.connect()
        self.counts: dict[str, int] = {}

    def register(self, name: str, frame: pd.DataFrame) -> None:
        self.con.register(name, frame)

    def uniform(self, n: int) -> npt.NDArray[np.float64]:
        return self.rng.random(n)

    def bad_rows(self, n: int, templates: npt.NDArray[np.int64], with_unknown: bool,
                 required: list[str], first_id: int) -> pd.DataFrame:
        """Which template rows to break, and how (kind 0-4), for ``n`` unusable rows."""
        kinds = 5 if with_unknown else 4
        kind = np.arange(n) % kinds
        missing = np.full(n, "", dtype=object)
        idx = np.flatnonzero(kind == 3)
        missing[idx] = np.array(required)[np.arange(len(idx)) % len(required)]
        return pd.DataFrame({
            "template": templates[self.rng.integers(0, len(templates), n)],
            "kind": kind,
            "variant": np.arange(n) // kinds,
            "missing": missing.astype(str),
            "new_id": np.arange(first_id, first_id + n).astype(str),
            "shuffle": self.rng.random(n),
        })

    def write(self, spec: FileSpec, columns: list[str], query: str) -> None:
        """Write the rows of ``query`` (its ``columns`` plus ``shuffle``) as one file."""
        names = list(columns)
        select = [f'"{c}"' for c in names]
        if spec.odd_header:
            names.append("enhed")
            select.append("'Kbh. Kommune'")
            order = self.rng.permutation(len(names))
            names = [names[i] for i in order]
            select = [select[i] for i in order]
            names = [f" {c.upper()} " if i % 2 else c.title() for i, c in enumerate(names)]
        listing = ", ".join(f'{s} as "{n}"' for s, n in zip(select, names, strict=True))
        path = self.out_dir / spec.name
        scratch = path.with_suffix(".utf8.tmp")
        with private_files():
            self.con.execute(f"""
                copy (select {listing} from ({query}) order by shuffle)
                to '{scratch}' (format csv, delimiter ';', quote '"', header true)
            """)
            reencode(scratch, path, spec.encoding)
        os.chmod(path, 0o600)
        (rows,) = self.con.execute(f"select count(*) from ({query})").fetchone() or (0,)
        self.counts[spec.name] = rows


def reencode(scratch: Path, path: Path, encoding: str) -> None:
    """Move DuckDB's UTF-8 output into place, adding a BOM or converting to Windows-1252."""
    if encoding == "utf-8":
        scratch.replace(path)
        return
    with open(scratch, encoding="utf-8", newline="") as source, \
            open(path, "w", encoding=encoding, newline="\r\n" if encoding == "cp1252"
                 else "") as target:
        shutil.copyfileobj(source, target, 1 << 22)
    scratch.unlink()


def corrupted(columns: list[str], id_column: str | None, cpr_column: str,
              unknown: tuple[str, tuple[str, ...]] | None) -> str:
    """Select list that breaks a template row (``t``) as its bad-row plan (``b``) says."""
    out = []
    for column in columns:
        expression = f't."{column}"'
        cases = [f"when b.missing = '{column}' then ''"]
        if column == id_column:
            expression = "b.new_id"
        if column == cpr_column:
            cases.append(f"when b.kind = 0 then {sql_list(IMPOSSIBLE_CPR)}"
                         f"[b.variant % {len(IMPOSSIBLE_CPR)} + 1]")
        if column == "startdato":
            cases.append("when b.kind = 1 then '15-06-2020'")
            cases.append(f"when b.kind = 2 then {sql_list(UNPARSABLE_DATES)}"
                         f"[b.variant % {len(UNPARSABLE_DATES)} + 1]")
        if column == "slutdato":
            cases.append("when b.kind = 1 then '14-06-2020'")
        if unknown is not None and column == unknown[0]:
            cases.append(f"when b.kind = 4 then {sql_list(unknown[1])}"
                         f"[b.variant % {len(unknown[1])} + 1]")
        out.append(f'case {" ".join(cases)} else {expression} end as "{column}"')
    return ", ".join(out)


def with_bad_rows(writer: DeliveryWriter, good: str, columns: list[str], key: str,
                  plan: pd.DataFrame, id_column: str | None, cpr_column: str,
                  unknown: tuple[str, tuple[str, ...]] | None) -> str:
    """The rows of ``good`` plus the unusable rows of ``plan`` (templates by ``key``)."""
    writer.register("bad_plan", plan)
    writer.con.execute(f"create or replace table good_rows as {good}")
    writer.con.execute(f"""
        create or replace table bad_rows as
        select {corrupted(columns, id_column, cpr_column, unknown)}, b.shuffle
        from bad_plan b join good_rows t on t.{key} = b.template
    """)
    writer.con.unregister("bad_plan")
    listing = ", ".join(f'"{c}"' for c in columns)
    return (f"select {listing}, shuffle from good_rows "
            f"union all select {listing}, shuffle from bad_rows")


def write_delivery(pop: Population, out_dir: Path, seed: int) -> dict[str, int]:
    """Write the four extracts into ``out_dir``; return the number of rows per file."""
    rng = np.random.default_rng(seed + 1)
    with private_files():
        out_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(out_dir, 0o700)
    writer = DeliveryWriter(out_dir, rng)
    cpr_table(writer.con, pop.births(), pop.males())
    write_spells(writer, pop)
    write_grants(writer, pop)
    write_custody(writer, pop)
    write_persons(writer, pop)
    writer.con.close()
    write_marker(out_dir, writer.counts)
    return writer.counts


def write_spells(writer: DeliveryWriter, pop: Population) -> None:
    rng = writer.rng
    person = np.concatenate([s[0] for s in pop.spells])
    group = np.concatenate([s[1] for s in pop.spells])
    start = np.concatenate([s[2] for s in pop.spells])
    end = np.concatenate([s[3] for s in pop.spells])
    benefit = np.concatenate([s[4] for s in pop.spells])
    n = len(person)
    # a-kasse as category codes (small at scale 10): "" off 6.1
    funds, fund_of_person = akasse_of(rng, pop)
    codes: Ints = np.where(group == "6.1", fund_of_person[person], 0).astype(np.int64)
    fund = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(funds))
    in_early, in_late, early_end = split_deliveries(start, end)
    writer.register("spells", pd.DataFrame({
        "spell_id": np.arange(n) + 1_000_001, "person_id": person, "lab_group": group,
        "benefit": benefit, "akasse": fund,
        "start_date": start, "end_date": end,
        "early_end": early_end, "in_early": in_early, "in_late": in_late,
        "u_cpr": rng.random(n), "u_start": rng.random(n), "u_end": rng.random(n),
        "u_extr": rng.random(n),
        "group_pick": rng.choice(5, size=n, p=[0.5, 0.15, 0.15, 0.1, 0.1]),
        "shuffle": rng.random(n),
    }))
    # The early delivery predates the optional `akasse` column (raw-extracts.md).
    early_columns = ["forloeb_id", "cpr", "maalgruppe", "ydelse", "startdato", "slutdato",
                     "udtraeksdato"]
    specs = (FileSpec("bif_ydelsesforloeb_20210115.csv", "cp1252", 0.0, False),
             FileSpec("bif_ydelsesforloeb_20220114.csv", "utf-8", 0.3, True))
    for spec, flag, end_column, extraction in (
            (specs[0], "in_early", "early_end", EARLY_EXTRACTION),
            (specs[1], "in_late", "end_date", LATE_EXTRACTION)):
        columns = early_columns if spec is specs[0] else [*early_columns, "akasse"]
        good = f"""
            select
                cast(s.spell_id as varchar) as forloeb_id,
                {cpr_shape('c.cpr', 's.u_cpr')} as cpr,
                {group_spelling('s.lab_group', 's.group_pick')} as maalgruppe,
                s.benefit as ydelse,
                nullif(cast(s.akasse as varchar), '') as akasse,
                {date_text('s.start_date', 's.u_start', spec.iso_share)} as startdato,
                {date_text('s.' + end_column, 's.u_end', spec.iso_share)} as slutdato,
                {date_text(f"date '{extraction}'", 's.u_extr', spec.iso_share)}
                    as udtraeksdato,
                s.shuffle
            from spells s join cpr c on c.person_id = s.person_id
            where s.{flag}
        """
        query = good
        if spec.odd_header:  # the unusable rows come with the later delivery
            ids = (np.arange(n) + 1_000_001)[in_late].astype(str)
            plan = writer.bad_rows(max(20, int(cal.BAD_ROW_SHARE * n)), ids, True,
                                   ["forloeb_id", "cpr", "maalgruppe", "startdato",
                                    "udtraeksdato"], 9_000_001)
            query = with_bad_rows(writer, good, columns, "forloeb_id", plan, "forloeb_id",
                                  "cpr", ("maalgruppe", ("6.11", "LAB § 7", "6.0", "ukendt")))
        writer.write(spec, columns, query)
    writer.con.unregister("spells")


def akasse_of(rng: np.random.Generator, pop: Population) -> tuple[list[str], Ints]:
    """Each person's a-kasse as the jobcenter system writes it (used on 6.1 spells): the
    spellings (the first empty) and each person's index into them.

    The design's choice where it made one (the third quarter of 2021); anyone else is
    in an AC fund with the share below, in another fund, or unknown.
    """
    spellings = ["", *cal.AC_FUND_SPELLINGS, *cal.OTHER_FUND_SPELLINGS]
    n_ac, n_other = len(cal.AC_FUND_SPELLINGS), len(cal.OTHER_FUND_SPELLINGS)
    n = pop.n_persons
    pick = rng.random(n)
    ac = 1 + rng.integers(0, n_ac, n)
    other = 1 + n_ac + rng.integers(0, n_other, n)
    fund = np.where(pick < 0.35, ac, np.where(pick < 1 - cal.EMPTY_FUND_SHARE, other, 0))
    index = {spelling: i for i, spelling in enumerate(spellings)}
    for persons, chosen in pop.akasse:
        fund[persons] = [index[c] for c in chosen]
    return spellings, fund.astype(np.int16)


def write_grants(writer: DeliveryWriter, pop: Population) -> None:
    rng = writer.rng
    person = np.concatenate([g[0] for g in pop.grants])
    code = np.concatenate([g[1] for g in pop.grants])
    start = np.concatenate([g[2] for g in pop.grants])
    end = np.concatenate([g[3] for g in pop.grants])
    n = len(person)
    in_early, in_late, early_end = split_deliveries(start, end)
    writer.register("grants", pd.DataFrame({
        "grant_id": np.arange(n) + 5_000_001, "person_id": person, "code": code,
        "start_date": start, "end_date": end, "early_end": early_end,
        "in_early": in_early, "in_late": in_late,
        "u_cpr": rng.random(n), "u_code": rng.random(n), "u_text": rng.random(n),
        "contradicting": rng.random(n) < 0.002,
        "paragraph_pick": rng.choice(4, size=n, p=[0.5, 0.2, 0.15, 0.15]),
        "u_start": rng.random(n), "u_end": rng.random(n), "u_extr": rng.random(n),
        "shuffle": rng.random(n),
    }))
    # the intervention catalogue of the dbt project (seeds/), found via project_dir()
    catalogue = seed_path("sof_interventions")
    writer.con.execute(f"""
        create or replace table catalogue as
        select * from read_csv('{catalogue}', all_varchar = true)
    """)
    columns = ["bevilling_id", "cpr", "indsats_kode", "indsats_tekst", "paragraf",
               "startdato", "slutdato", "udtraeksdato"]
    specs = (FileSpec("sof_bevillinger_20210115.csv", "utf-8-sig", 0.0, False),
             FileSpec("sof_bevillinger_20220114.csv", "utf-8", 1.0, True))
    for spec, flag, end_column, extraction in (
            (specs[0], "in_early", "early_end", EARLY_EXTRACTION),
            (specs[1], "in_late", "end_date", LATE_EXTRACTION)):
        basis = "case when g.contradicting then 'SEL § 110' else k.legal_basis end"
        good = f"""
            select
                cast(g.grant_id as varchar) as bevilling_id,
                {cpr_shape('c.cpr', 'g.u_cpr')} as cpr,
                {code_spelling('g.code', 'g.u_code')} as indsats_kode,
                case when g.code = 'HERBERG' and g.u_text < 0.2 then 'Herberg; nat'
                     else k.intervention_name end as indsats_tekst,
                {paragraph_spelling(basis, 'g.paragraph_pick')} as paragraf,
                {date_text('g.start_date', 'g.u_start', spec.iso_share)} as startdato,
                {date_text('g.' + end_column, 'g.u_end', spec.iso_share)} as slutdato,
                {date_text(f"date '{extraction}'", 'g.u_extr', spec.iso_share)}
                    as udtraeksdato,
                g.shuffle
            from grants g
            join cpr c on c.person_id = g.person_id
            join catalogue k on k.intervention_code = g.code
            where g.{flag}
        """
        query = good
        if not spec.odd_header:  # the unusable rows come with the early delivery
            ids = (np.arange(n) + 5_000_001)[in_early].astype(str)
            plan = writer.bad_rows(max(20, int(cal.BAD_ROW_SHARE * n)), ids, True,
                                   ["bevilling_id", "cpr", "indsats_kode", "startdato",
                                    "udtraeksdato"], 8_000_001)
            query = with_bad_rows(writer, good, columns, "bevilling_id", plan,
                                  "bevilling_id", "cpr",
                                  ("indsats_kode", ("SEL999", "XYZ", "BOSTØTTE_UKENDT")))
        writer.write(spec, columns, query)
    writer.con.unregister("grants")


def write_custody(writer: DeliveryWriter, pop: Population) -> None:
    rng = writer.rng
    n = sum(len(c[0]) for c in pop.custody)
    spec = FileSpec("sof_foraeldremyndighed_20220114.csv", "utf-8-sig", 0.5, False)
    writer.register("custody", pd.DataFrame({
        "relation": np.arange(n).astype(str),
        "child_id": np.concatenate([c[0] for c in pop.custody]),
        "parent_id": np.concatenate([c[1] for c in pop.custody]),
        "start_date": np.concatenate([c[2] for c in pop.custody]),
        "end_date": np.concatenate([c[3] for c in pop.custody]),
        "u_child": rng.random(n), "u_parent": rng.random(n), "u_start": rng.random(n),
        "u_end": rng.random(n), "u_extr": rng.random(n), "shuffle": rng.random(n),
    }))
    columns = ["barn_cpr", "foraelder_cpr", "startdato", "slutdato", "udtraeksdato"]
    good = f"""
        select
            r.relation,
            {cpr_shape('child.cpr', 'r.u_child')} as barn_cpr,
            {cpr_shape('parent.cpr', 'r.u_parent')} as foraelder_cpr,
            {date_text('r.start_date', 'r.u_start', spec.iso_share)} as startdato,
            {date_text('r.end_date', 'r.u_end', spec.iso_share)} as slutdato,
            {date_text(f"date '{LATE_EXTRACTION}'", 'r.u_extr', spec.iso_share)}
                as udtraeksdato,
            r.shuffle
        from custody r
        join cpr child on child.person_id = r.child_id
        join cpr parent on parent.person_id = r.parent_id
    """
    plan = writer.bad_rows(max(12, int(cal.BAD_ROW_SHARE * n)), np.arange(n).astype(str),
                           False, ["barn_cpr", "foraelder_cpr", "startdato", "udtraeksdato"],
                           0)
    query = with_bad_rows(writer, good, ["relation", *columns], "relation", plan, None,
                          "barn_cpr", None)
    writer.write(spec, columns, query)
    writer.con.unregister("custody")


def write_persons(writer: DeliveryWriter, pop: Population) -> None:
    rng = writer.rng
    n = pop.n_persons
    spec = FileSpec("cpr_personer_20220114.csv", "utf-8", 0.0, False)
    extra = len(IMPOSSIBLE_CPR)
    herkomst = np.array(HERKOMST)[rng.choice(len(HERKOMST), size=n, p=HERKOMST_WEIGHTS)]
    for persons, chosen in pop.herkomst:  # the design's choice where it made one
        herkomst[persons] = chosen
    writer.register("register", pd.DataFrame({
        "person_id": np.arange(n),
        "herkomst": herkomst,
        "u_cpr": rng.random(n), "shuffle": rng.random(n),
    }))
    writer.register("impossible", pd.DataFrame({
        "cpr": [*IMPOSSIBLE_CPR[:-1], ""], "shuffle": rng.random(extra)}))
    query = f"""
        select {cpr_shape('c.cpr', 'p.u_cpr')} as cpr, p.herkomst,
               '{LATE_EXTRACTION.item():%d-%m-%Y}' as udtraeksdato, p.shuffle
        from register p join cpr c on c.person_id = p.person_id
        union all
        select cpr, 'Dansk oprindelse', '{LATE_EXTRACTION.item():%d-%m-%Y}', shuffle
        from impossible
    """
    writer.write(spec, ["cpr", "herkomst", "udtraeksdato"], query)
