"""Incremental staging of monthly deliveries (docs/incremental.md): a warehouse built file
by file, with changed and removed files on the way, holds exactly the tables a build from
nothing gives.

One scratch warehouse goes through the life of a delivery folder; after each step every
table of the warehouse is compared, row for row (EXCEPT ALL both ways, with counts), with
a build from nothing of the same files: the session's small build (`built_small`, every
file) or the first step's warehouse (the earlier files only). Left out of the comparison,
and why: schema `main`, which holds only `build_state` (the log of dbt invocations, with
their timestamps: it differs between any two warehouses by design) and
`restatement_state` (what the citizen-level incremental models reflect),
`restated_citizens` (the citizens the latest build restated), the rows the island bounds
and the support episodes and the characteristics replaced (what the models by
difference count from) and `raw_file_facts` (the raw files' facts
kept for the next build, with their times); views (their rows are those of the tables
they read, and their SQL names the file's own catalog); of
`marts.rpt_publication_release` (one row about the release it wrote) everything but
`release_id` (the content hash of the publication), `status` and `tables`: the rest is
about the publish folder and its history (paths with the release's time, the comparison
with the folder's previous release), not the delivery.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT, DbtRunner, SmallBuild, copy_project, make_dbt_runner

from faellesborger.generator import add_month

# Every schema the project writes besides `main` (see the module's docstring).
SCHEMAS = ["reference", "staging", "intermediate", "marts", "quality"]
# Columns compared of the tables whose other columns describe the build, not the data.
ONLY_COLUMNS = {"marts.rpt_publication_release": "release_id, status, tables"}
# The later monthly files of the synthetic delivery; the rest is the earlier delivery.
LATER_FILES = ["bif_ydelsesforloeb_20220114.csv", "sof_bevillinger_20220114.csv"]
CHANGED_FILE = "bif_ydelsesforloeb_20210115.csv"
BASE_MODELS = ["base_bif__ydelsesforloeb", "base_sof__bevillinger",
               "base_sof__foraeldremyndighed", "base_cpr__personer"]
STG_MODELS = [model.replace("base_", "stg_", 1) for model in BASE_MODELS]
# The models incremental by citizen (macros/citizen_restatement.sql), each with the model
# whose record it follows.
RESTATED = {"int_bif__spells": "stg_bif__ydelsesforloeb",
            "int_bif__support_episodes": "int_bif__spells",
            "int_bif__spell_years": "stg_bif__ydelsesforloeb",
            "int_bif__person_years": "int_bif__spell_years",
            "int_bif__lab_group_years": "int_bif__person_years",
            "int_bif__target_group_island_bounds": "int_bif__spells"}
# Those that read the report years or periods, or follow one that does.
BY_REPORT_YEAR = ["int_bif__spell_years", "int_bif__person_years", "int_bif__lab_group_years",
                  "int_bif__target_group_island_bounds"]
# The SOF chain and the models that follow both chains (macros/citizen_sources.sql), the
# HOI models and the fællesborger facts among them, each with the models whose records
# it follows.
RESTATED_SOF = {"int_sof__grants": ["stg_sof__bevillinger", "stg_sof__foraeldremyndighed"],
                "int_sof__person_intervention_periods": ["int_sof__grants"],
                "int_sof__person_intervention_years": ["int_sof__person_intervention_periods"],
                "int_sof__lab_group_intervention_years": [
                    "int_bif__lab_group_years", "int_sof__person_intervention_periods"],
                "int_hoi__person_months": [
                    "int_bif__spell_years", "int_sof__person_intervention_periods"],
                "int_hoi__memberships": ["int_hoi__person_months"],
                "fct_faellesborger": ["int_sof__lab_group_intervention_years",
                                      "int_sof__person_intervention_years"],
                "fct_faellesborger_lab_group": ["fct_faellesborger"],
                "fct_faellesborger_tabel4_column": ["fct_faellesborger"]}
# Those of them that read the report years or months, or follow one that does.
SOF_BY_REPORT_YEAR = ["int_sof__person_intervention_years",
                      "int_sof__lab_group_intervention_years", "int_hoi__person_months",
                      "int_hoi__memberships", "fct_faellesborger", "fct_faellesborger_lab_group",
                      "fct_faellesborger_tabel4_column"]
# The models incremental by difference (macros/replaced_rows.sql), and their log lines
# when they count the changes only.
BY_DIFFERENCE = "int_bif__target_group_period_counts"
COUNTS_CHANGES = (f"Restating '{BY_DIFFERENCE}': the counts of the citizens whose islands"
                  " (int_bif__target_group_island_bounds) or characteristics"
                  " (int_bif__target_group_people) changed since it counted them")
RANGES = "int_bif__benefit_duration_ranges"
RANGES_CHANGES = (f"Restating '{RANGES}': the ranges of the citizens int_bif__support_episodes"
                  " restated since it counted them")


@dataclass
class Life:
    """The scratch warehouse, its raw folder, and what each step left."""

    db: Path
    raw: Path
    run: DbtRunner
    work: Path
    logs: dict[str, str] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)

    def build(self, step: str, *args: str, extra_env: dict[str, str] | None = None) -> None:
        result = self.run("build", "--resource-type", "seed", "--resource-type", "model",
                          *args, raw_dir=self.raw, extra_env=extra_env)
        self.logs[step] = result.stdout
        self.copies[step] = snapshot(self.db, self.work / f"{step}.duckdb")


def snapshot(db: Path, to: Path) -> Path:
    to.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(db, to)
    wal = db.with_name(db.name + ".wal")
    if wal.exists():
        shutil.copy(wal, to.with_name(to.name + ".wal"))
    return to


@pytest.fixture(scope="module")
def life(small_delivery: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Life]:
    """The warehouse through the delivery's life; each step's warehouse is kept."""
    work = tmp_path_factory.mktemp("incremental")
    raw = work / "raw"
    raw.mkdir()
    later = work / "later"
    later.mkdir()
    for source in sorted(small_delivery.iterdir()):
        shutil.copy2(source, (later if source.name in LATER_FILES else raw) / source.name)
    assert sorted(p.name for p in later.iterdir()) == LATER_FILES
    db = work / "warehouse.duckdb"
    state = Life(db, raw, make_dbt_runner(PROJECT, db, work), work)
    # 1. The earlier files, from nothing.
    state.build("earlier")
    # 2. The later monthly files arrive.
    for name in LATER_FILES:
        shutil.copy2(later / name, raw / name)
    state.build("later")
    # 3. An old file changes (a digit of its last line), then is delivered again as it
    # was; both times with the size and modification time it had, as a hand that hides
    # its change would leave it: the build must not take the facts it kept of the file
    # (docs/incremental.md).
    original = (raw / CHANGED_FILE).read_bytes()
    rewrite_in_place(raw / CHANGED_FILE, changed_digit(original))
    state.build("changed")
    rewrite_in_place(raw / CHANGED_FILE, original)
    state.build("restored")
    # 4. The later files are taken away again.
    for name in LATER_FILES:
        (raw / name).unlink()
    state.build("removed")
    # 5. They come back, in a build with another pseudonym key.
    for name in LATER_FILES:
        shutil.copy2(later / name, raw / name)
    state.build("other_key", extra_env={"FAELLESBORGER_PSEUDONYM_KEY": "k" * 40})
    # 6. --full-refresh with the usual key.
    state.build("full_refresh", "--full-refresh")
    # 7. A month within the same report years (the generator's next monthly files) added
    # to a copy of the warehouse and of its folder (the tests below read the folder as
    # step 6 left it), and the same files built from nothing.
    next_raw = work / "next_month_raw"
    shutil.copytree(raw, next_raw)
    add_month(next_raw, seed=7)
    for step, start in (("next_month", db), ("next_month_from_nothing", None)):
        step_db = work / f"{step}.duckdb"
        if start is not None:
            snapshot(start, step_db)
        result = make_dbt_runner(PROJECT, step_db, work)(
            "build", "--resource-type", "seed", "--resource-type", "model", raw_dir=next_raw)
        state.logs[step] = result.stdout
        state.copies[step] = step_db
    yield state


def changed_digit(content: bytes) -> bytes:
    """``content`` with the first digit of its last line changed (0 for any other digit,
    1 for 0): the same size, another row."""
    start = content.rstrip(b"\n").rfind(b"\n") + 1
    at = next(i for i in range(start, len(content)) if content[i:i + 1].isdigit())
    return content[:at] + (b"1" if content[at:at + 1] == b"0" else b"0") + content[at + 1:]


def rewrite_in_place(path: Path, content: bytes) -> None:
    """Write ``content`` (of the file's size) and set the modification time back."""
    before = path.stat()
    assert len(content) == before.st_size
    path.write_bytes(content)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def encoding_of(rows: str) -> str:
    """SQL: the encoding the file of the staged rows aliased ``rows`` was read in (staging
    records it once per file, in the listing `rpt_raw_files`)."""
    return ("(select files.source_encoding from quality.rpt_raw_files as files"
            f" where files.file_name = {rows}.source_file)")


def redeliver(source: Path, line: int, encoding: str, to: Path, **changes: str) -> None:
    """Write ``to``: the header and physical line ``line`` of raw file ``source`` (in
    ``encoding``, as `rpt_raw_files` names it), with the fields named in ``changes``
    changed (a header named as the intake compares headers: trimmed, in lower case). A
    value is either the new text or a callable of the old text."""
    text = source.read_bytes().decode("cp1252" if encoding == "windows-1252" else "utf-8")
    lines = [row.removesuffix("\r") for row in text.split("\n")]  # physical lines
    header = [name.strip().lstrip("\ufeff").strip().lower() for name in lines[0].split(";")]
    fields = lines[line - 1].split(";")
    for name, value in changes.items():
        at = header.index(name)
        fields[at] = value(fields[at]) if callable(value) else value
    to.write_text(f"{lines[0]}\n{';'.join(fields)}\n", encoding="utf-8")


def in_format(old: str, day: date) -> str:
    """``day`` in the format of ``old``, a date of the same raw file."""
    return day.isoformat() if old.strip()[4:5] == "-" else day.strftime("%d-%m-%Y")


def later_date(old: str) -> str:
    """14 March 2022 in the format of ``old``."""
    return in_format(old, date(2022, 3, 14))


def table_names(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> list[str]:
    return [name for name, in con.execute("""
        select table_name from information_schema.tables
        where table_catalog = ? and table_schema = ? and table_type = 'BASE TABLE'
        order by table_name""", [catalog, schema]).fetchall()]


def differences(first: Path, second: Path) -> dict[str, tuple[int, int, int]]:
    """Per table that differs: (rows of the first, rows only in the first, rows only in
    the second); a table missing on one side counts as differing too."""
    found: dict[str, tuple[int, int, int]] = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{first}' as first (read_only)")
        con.execute(f"attach '{second}' as second (read_only)")
        schemas = {name for name, in con.execute(
            "select distinct schema_name from duckdb_schemas() where database_name = 'first'"
            ).fetchall()}
        assert schemas == {*SCHEMAS, "main"}, "a schema the comparison does not know"
        assert table_names(con, "first", "main") == [
            "build_state", "int_bif__support_episodes__replaced_citizens",
            "int_bif__target_group_island_bounds__replaced_citizens",
            "int_bif__target_group_people__replaced_citizens", "raw_file_facts",
            "restated_citizens", "restatement_state"]
        for schema in SCHEMAS:
            tables_first = table_names(con, "first", schema)
            tables_second = table_names(con, "second", schema)
            assert tables_first, f"no tables in schema {schema}"
            for table in sorted(set(tables_first) ^ set(tables_second)):
                found[f"{schema}.{table}"] = (-1, -1, -1)
            for table in sorted(set(tables_first) & set(tables_second)):
                name = f'{schema}."{table}"'
                cols = ONLY_COLUMNS.get(f"{schema}.{table}", "*")
                count, = con.execute(f"select count(*) from first.{name}").fetchone()
                only_first, = con.execute(f"""select count(*) from (
                    select {cols} from first.{name}
                    except all select {cols} from second.{name})""").fetchone()
                only_second, = con.execute(f"""select count(*) from (
                    select {cols} from second.{name}
                    except all select {cols} from first.{name})""").fetchone()
                if only_first or only_second:
                    found[f"{schema}.{table}"] = (count, only_first, only_second)
    return found


def test_the_later_month_loads_only_its_files(life: Life) -> None:
    log = life.logs["later"]
    assert ("Raw extract 'bif_ydelsesforloeb': loading 1 new file(s) into"
            " base_bif__ydelsesforloeb: bif_ydelsesforloeb_20220114.csv") in log
    assert ("Raw extract 'sof_bevillinger': loading 1 new file(s) into"
            " base_sof__bevillinger: sof_bevillinger_20220114.csv") in log
    assert "Raw extract 'cpr_personer': no new file for base_cpr__personer" in log
    assert "rebuilding" not in log
    # The stg models stage the rows of the new files and set the status of the earlier
    # rows of their ids, not every row.
    assert ("Staging 'stg_bif__ydelsesforloeb': staging 1 new file(s)"
            " (bif_ydelsesforloeb_20220114.csv), setting the status of the earlier rows of"
            " the ids they name, and restaging the ids with an extraction date in the"
            " future") in log
    assert ("Staging 'stg_cpr__personer': no new file; restaging the ids with an extraction"
            " date in the future") in log
    assert "restaging every row" not in log
    # The citizen-level models restate the citizens of those ids, not every citizen; but
    # the month adds a report year (2021), so the models of spells per report year and
    # those that follow them restate every citizen.
    for model in RESTATED:
        if model in BY_REPORT_YEAR:
            assert (f"Restating '{model}': every citizen, because its SQL, a seed, var or"
                    " report calendar its rules read, or a model before it changed") in log
        else:
            assert (f"Restating '{model}': the citizens of the ids named by 1 new file(s)"
                    " (bif_ydelsesforloeb_20220114.csv) and of those with an extraction date"
                    " in the future") in log
    # So do the models by difference, which read the report periods and months, and the
    # SOF and HOI models that read the report years or months; the first two of the SOF
    # chain restate the citizens of the grants file.
    for model in (BY_DIFFERENCE, RANGES, *SOF_BY_REPORT_YEAR):
        assert (f"Restating '{model}': every citizen, because its SQL, a seed, var or"
                " report calendar its rules read, or a model before it changed") in log
    for model in RESTATED_SOF:
        if model not in SOF_BY_REPORT_YEAR:
            assert (f"Restating '{model}': the citizens of the ids named by 1 new file(s)"
                    " (sof_bevillinger_20220114.csv) and of those with an extraction date in"
                    " the future") in log
    assert log.count("every citizen") == len(BY_REPORT_YEAR) + 2 + len(SOF_BY_REPORT_YEAR)


def test_the_later_month_finds_its_citizens_once(life: Life) -> None:
    """The models that restate the month's citizens find them once per key: the first
    model of a chain writes the citizens of each new file (and those of each stg model's
    rows with an extraction date in the future) to `main.restated_citizens`, and the
    models after it read them there (had one written them too, a citizen would stand
    there twice under one key)."""
    with duckdb.connect(str(life.copies["later"]), read_only=True) as con:
        keys, twice = con.execute("""
            select (select count(distinct citizens_key) from main.restated_citizens),
                count(*) filter (where times > 1)
            from (select citizens_key, person_key, count(*) as times
                  from main.restated_citizens where person_key is not null
                  group by citizens_key, person_key)
            """).fetchone() or (0, 0)
        citizens = {name: con.execute("""
            select count(person_key) from main.restated_citizens where citizens_key = ?
            """, [hashlib.md5(f"file|{name}".encode()).hexdigest()]).fetchone()[0]
            for name in LATER_FILES}
        (everyone,) = con.execute(
            "select count(distinct person_key) from staging.stg_bif__ydelsesforloeb"
            ).fetchone() or (0,)
    # a key per new file and per stg model of the BIF and SOF chains and the register
    assert (keys, twice) == (len(LATER_FILES) + 4, 0)
    assert 0 < citizens["bif_ydelsesforloeb_20220114.csv"] < everyone
    assert citizens["sof_bevillinger_20220114.csv"] > 0


def test_a_restated_model_follows_its_parent(life: Life, built_small: SmallBuild,
                                              tmp_path: Path) -> None:
    """A citizen-level model built alone after a new month, before its parent, restates
    nobody (its parent has not seen the month); once the parent has, the next build
    restates the month's citizens, and the warehouse is the full build's. Another value
    of a var its rule reads restates every citizen."""
    db = snapshot(life.copies["earlier"], tmp_path / "warehouse.duckdb")
    run = make_dbt_runner(PROJECT, db, tmp_path)
    raw = tmp_path / "raw"
    shutil.copytree(life.raw, raw)
    alone = run("run", "--select", "base_bif__ydelsesforloeb", "stg_bif__ydelsesforloeb",
                "int_bif__support_episodes", raw_dir=raw).stdout
    assert ("Restating 'int_bif__support_episodes': the citizens of the ids named by 0 new"
            " file(s) and of those") in alone
    log = run("build", "--resource-type", "seed", "--resource-type", "model",
              raw_dir=raw).stdout
    assert ("Restating 'int_bif__support_episodes': the citizens of the ids named by 1 new"
            " file(s) (bif_ydelsesforloeb_20220114.csv)") in log
    assert differences(built_small.db, db) == {}
    other_var = run("run", "--select", "int_bif__support_episodes",
                    "--vars", "{episode_break_whole_months: 2}", raw_dir=raw).stdout
    assert ("Restating 'int_bif__support_episodes': every citizen, because its SQL, a seed,"
            " var or report calendar its rules read, or a model before it changed") in other_var


def test_the_later_month_sets_only_the_status_of_earlier_rows(life: Life) -> None:
    """An earlier row is not written again, only its status when the new file changes it:
    a value changed by hand in the warehouse before the month is added stays changed,
    in a row of an id the new file names as in a row of one it does not, and the named
    row's status changes from used to merged, as in the build of the month (the same as
    from nothing: `test_a_month_added_gives_the_full_build`)."""
    work = life.work / "named"
    work.mkdir()
    db = snapshot(life.copies["earlier"], work / "warehouse.duckdb")
    later = life.copies["later"]
    with duckdb.connect() as con:
        con.execute(f"attach '{later}' as later (read_only)")
        con.execute(f"attach '{life.copies['earlier']}' as earlier (read_only)")
        # an id used in the earlier file and delivered again, and used, in the new one
        named, = con.execute("""select min(spell_id) from later.staging.stg_bif__ydelsesforloeb
            where source_file = 'bif_ydelsesforloeb_20220114.csv' and row_status = 'used'
                and spell_id in (select spell_id from earlier.staging.stg_bif__ydelsesforloeb
                                 where source_file = 'bif_ydelsesforloeb_20210115.csv'
                                     and row_status = 'used')
            """).fetchone()
        other, = con.execute("""select min(spell_id) from later.staging.stg_bif__ydelsesforloeb
            where spell_id not in (select spell_id from later.staging.stg_bif__ydelsesforloeb
                                   where source_file = 'bif_ydelsesforloeb_20220114.csv'
                                       and spell_id is not null)
            """).fetchone()
    assert named is not None and other is not None
    with duckdb.connect(str(db)) as con:
        con.execute("""update staging.stg_bif__ydelsesforloeb set rejected_value = 'by hand'
            where spell_id in (?, ?)""", [named, other])
    make_dbt_runner(PROJECT, db, work)(
        "run", "--select", "base_bif__ydelsesforloeb", "stg_bif__ydelsesforloeb",
        raw_dir=life.raw)
    with duckdb.connect(str(db), read_only=True) as con:
        by_hand = dict(con.execute("""select spell_id, count(*) filter (
                where rejected_value is not distinct from 'by hand')
            from staging.stg_bif__ydelsesforloeb where spell_id in (?, ?)
            group by spell_id""", [named, other]).fetchall())
        con.execute(f"attach '{life.copies['earlier']}' as earlier (read_only)")
        con.execute(f"attach '{later}' as later (read_only)")
        statuses = con.execute("""select before.row_status, staged.row_status,
                month_build.row_status
            from staging.stg_bif__ydelsesforloeb as staged
            inner join earlier.staging.stg_bif__ydelsesforloeb as before
                using (source_file, source_line)
            inner join later.staging.stg_bif__ydelsesforloeb as month_build
                using (source_file, source_line)
            where staged.spell_id = ?""", [named]).fetchall()
    assert by_hand[named] > 0 and by_hand[other] > 0
    assert ("used", "merged", "merged") in statuses
    assert all(mine == month for _, mine, month in statuses)


def staged_both_ways(life: Life, raw: Path, extract: str, incremental: Path,
                     full_work: Path) -> Path:
    """Stage ``raw``, which adds one new file of ``extract`` (``bif__ydelsesforloeb``) to
    the files of step 6, into the warehouse ``incremental`` (a copy of step 6's) by the
    incremental path, and into another copy of step 6's warehouse, in ``full_work``, from
    nothing (``--full-refresh``); return that copy."""
    models = ["--select", f"base_{extract}", f"stg_{extract}"]
    log = make_dbt_runner(PROJECT, incremental, incremental.parent)(
        "run", *models, raw_dir=raw).stdout
    assert f"Staging 'stg_{extract}': staging 1 new file(s)" in log
    full = snapshot(life.copies["full_refresh"], full_work / "warehouse.duckdb")
    make_dbt_runner(PROJECT, full, full_work)("run", *models, "--full-refresh", raw_dir=raw)
    return full


def test_a_redelivered_relation_from_birth_supersedes_the_staged_row(
        life: Life, tmp_path: Path) -> None:
    """A custody relation from the child's birth has no start date (a null in its id):
    delivered again in a new file, it still supersedes the staged row, as in a build
    from nothing."""
    raw = tmp_path / "raw"
    shutil.copytree(life.raw, raw)
    incremental = snapshot(life.copies["full_refresh"],
                           tmp_path / "incremental" / "warehouse.duckdb")
    with duckdb.connect(str(incremental), read_only=True) as con:
        source_file, source_line, encoding = con.execute(f"""
            select source_file, source_line, {encoding_of("relations")}
            from staging.stg_sof__foraeldremyndighed as relations
            where starts_at_birth and row_status = 'used'
            order by source_file, source_line limit 1""").fetchone()
    redeliver(raw / source_file, source_line, encoding,
              raw / "sof_foraeldremyndighed_20220314.csv", udtraeksdato="14-03-2022")
    full = staged_both_ways(life, raw, "sof__foraeldremyndighed", incremental, tmp_path / "full")
    with duckdb.connect(str(incremental), read_only=True) as con:
        status, = con.execute("""select row_status from staging.stg_sof__foraeldremyndighed
            where source_file = ? and source_line = ?""", [source_file, source_line]).fetchone()
    assert status == "merged"
    assert differences(full, incremental) == {}


def test_a_redelivered_earlier_extraction_leaves_the_staged_row_used(
        life: Life, tmp_path: Path) -> None:
    """A new file that delivers an id again with an earlier extraction date does not
    supersede the staged row. The body stages the new row without the earlier ones; the
    post-hook, which sets the status of every row of the id, makes it merged and leaves
    the staged row used, as a build from nothing does."""
    raw = tmp_path / "raw"
    shutil.copytree(life.raw, raw)
    incremental = snapshot(life.copies["full_refresh"],
                           tmp_path / "incremental" / "warehouse.duckdb")
    with duckdb.connect(str(incremental), read_only=True) as con:
        source_file, source_line, encoding, spell_id, extraction_date = con.execute(f"""
            select source_file, source_line, {encoding_of("spells")}, spell_id,
                extraction_date
            from staging.stg_bif__ydelsesforloeb as spells
            where row_status = 'used' and start_date < extraction_date - 60
            order by extraction_date desc, source_file, source_line limit 1""").fetchone()
    new_file = "bif_ydelsesforloeb_20220314.csv"
    redeliver(raw / source_file, source_line, encoding, raw / new_file,
              udtraeksdato=lambda old: in_format(old, extraction_date - timedelta(days=1)))
    full = staged_both_ways(life, raw, "bif__ydelsesforloeb", incremental, tmp_path / "full")
    with duckdb.connect(str(incremental), read_only=True) as con:
        statuses = dict(con.execute("""select source_file, row_status
            from staging.stg_bif__ydelsesforloeb where spell_id = ?
                and source_file in (?, ?)""", [spell_id, source_file, new_file]).fetchall())
    assert statuses == {source_file: "used", new_file: "merged"}
    assert differences(full, incremental) == {}


def test_a_changed_seed_restages_every_row(life: Life, tmp_path: Path) -> None:
    """The stg models look seeds up on every row (the LAB groups): another seed content
    restages all of their rows."""
    project = copy_project(tmp_path / "project")
    seed = project / "seeds" / "lab_target_groups.csv"
    lines = seed.read_text(encoding="utf-8").splitlines(keepends=True)
    seed.write_text("".join([lines[0], lines[1].replace("Dagpengemodtagere", "Dagpenge"),
                             *lines[2:]]), encoding="utf-8")
    db = snapshot(life.copies["later"], tmp_path / "warehouse.duckdb")
    result = make_dbt_runner(project, db, tmp_path)(
        "build", "--select", "lab_target_groups", "base_bif__ydelsesforloeb",
        "stg_bif__ydelsesforloeb", "--resource-type", "seed", "--resource-type", "model",
        raw_dir=life.raw)
    assert ("Staging 'stg_bif__ydelsesforloeb': restaging every row, because the pseudonym"
            " key, the vars or the seeds its checks depend on changed") in result.stdout


def test_a_stg_model_records_its_files_and_restages_every_row_without_the_record(
        life: Life, tmp_path: Path) -> None:
    """A stg model records what it staged once per file (`main.restatement_state`), not
    on its rows; without that record a build restages every row, to the same rows."""
    db = snapshot(life.copies["later"], tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(db)) as con:
        columns = {name for (name,) in con.execute("""
            select column_name from information_schema.columns
            where table_schema = 'staging' and table_name = 'stg_bif__ydelsesforloeb'""")
            .fetchall()}
        assert not columns & {"file_fingerprint", "settings_probe", "source_encoding"}
        recorded = con.execute("""
            select source_file, file_fingerprint from main.restatement_state
            where model_name = 'stg_bif__ydelsesforloeb' order by source_file""").fetchall()
        based = con.execute("""
            select distinct source_file, file_fingerprint
            from staging.base_bif__ydelsesforloeb order by source_file""").fetchall()
        assert recorded == based and len(recorded) > 1
        con.execute("delete from main.restatement_state"
                    " where model_name = 'stg_bif__ydelsesforloeb'")
    result = make_dbt_runner(PROJECT, db, tmp_path)(
        "run", "--select", "stg_bif__ydelsesforloeb", raw_dir=life.raw)
    assert ("Staging 'stg_bif__ydelsesforloeb': restaging every row, because it holds no"
            " record of the files it staged") in result.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("""
            select count(*) from main.restatement_state
            where model_name = 'stg_bif__ydelsesforloeb'""").fetchone() == (len(based),)
    assert differences(life.copies["later"], db) == {}


def test_a_month_added_gives_the_full_build(life: Life, built_small: SmallBuild) -> None:
    assert differences(built_small.db, life.copies["later"]) == {}


def test_a_month_in_the_same_report_years_restates_only_its_citizens(life: Life) -> None:
    """The later month above adds a report year, so the models that read the report
    years or periods restate every citizen there; a month within them restates the
    month's citizens in every citizen-level model, and gives the full build."""
    log = life.logs["next_month"]
    for model in RESTATED:
        assert (f"Restating '{model}': the citizens of the ids named by 1 new file(s)"
                " (bif_ydelsesforloeb_20220214.csv) and of those with an extraction date"
                " in the future") in log
    for model in RESTATED_SOF:
        assert f"Restating '{model}': the citizens of the ids named by" in log
    assert COUNTS_CHANGES in log
    assert RANGES_CHANGES in log
    assert "every citizen" not in log
    assert differences(life.copies["next_month_from_nothing"], life.copies["next_month"]) == {}


def test_a_model_by_difference_built_again_alone_changes_nothing(
        life: Life, built_small: SmallBuild, tmp_path: Path) -> None:
    """Built again alone after a build that counted every change (its post-hook dropped
    the kept rows), a model by difference finds no change to count, and the warehouse is
    still the full build's."""
    db = snapshot(life.copies["full_refresh"], tmp_path / "warehouse.duckdb")
    log = make_dbt_runner(PROJECT, db, tmp_path)(
        "run", "--select", BY_DIFFERENCE, RANGES, raw_dir=life.raw).stdout
    assert COUNTS_CHANGES in log
    assert RANGES_CHANGES in log
    assert differences(built_small.db, db) == {}


def test_an_origin_changed_by_the_register_alone_is_counted_again(
        life: Life, tmp_path: Path) -> None:
    """The person register can change a citizen's origin without a new spell: the period
    counts, counting by difference, move that citizen's islands to the new origin's cells,
    as a build from nothing counts them."""
    raw = tmp_path / "raw"
    shutil.copytree(life.raw, raw)
    incremental = snapshot(life.copies["full_refresh"],
                           tmp_path / "incremental" / "warehouse.duckdb")
    with duckdb.connect(str(incremental), read_only=True) as con:
        source_file, source_line, encoding, origin = con.execute(f"""
            select register.source_file, register.source_line, {encoding_of("register")},
                people.origin_group
            from staging.stg_cpr__personer as register
            inner join intermediate.int_bif__target_group_people as people
                on people.person_number = cast('0x' || substr(register.person_key, 1, 15)
                                               as bigint)
            where register.row_status = 'used'
                and people.person_number in (
                    select person_number
                    from intermediate.int_bif__target_group_island_bounds)
            order by register.source_file, register.source_line limit 1""").fetchone()
    redeliver(raw / source_file, source_line, encoding, raw / "cpr_personer_20220314.csv",
              herkomst="Indvandrer fra vestligt land" if origin == "dansk"
              else "Dansk oprindelse",
              udtraeksdato="14-03-2022")
    log = make_dbt_runner(PROJECT, incremental, tmp_path / "incremental")(
        "build", "--resource-type", "seed", "--resource-type", "model", raw_dir=raw).stdout
    assert ("Restating 'int_bif__target_group_people': the citizens of the ids named by 1 new"
            " file(s) (cpr_personer_20220314.csv)") in log
    assert COUNTS_CHANGES in log
    assert "every citizen" not in log
    full = tmp_path / "full" / "warehouse.duckdb"
    full.parent.mkdir()
    make_dbt_runner(PROJECT, full, tmp_path / "full")(
        "build", "--resource-type", "seed", "--resource-type", "model", raw_dir=raw)
    assert differences(full, incremental) == {}
    # The change moved counts between cells.
    assert f"intermediate.{BY_DIFFERENCE}" in differences(life.copies["full_refresh"], full)


def test_a_changed_measure_and_relation_restate_the_custody_holders(
        life: Life, tmp_path: Path) -> None:
    """The SOF and HOI models restate by citizen: a child's measure delivered again with a
    period of one day restates the child's custody holders (it was a børnesag of theirs),
    and a custody relation delivered again ending on its first day restates its holder;
    the warehouse is the build from nothing of the same files, and the changes moved the
    holders' periods, years and HOI months."""
    raw = tmp_path / "raw"
    shutil.copytree(life.raw, raw)
    incremental = snapshot(life.copies["full_refresh"],
                           tmp_path / "incremental" / "warehouse.duckdb")
    with duckdb.connect(str(incremental), read_only=True) as con:
        # a measure of more than one report year that is the only børnesag of a holder
        measure = con.execute(f"""
            select grants.source_file, grants.source_line, {encoding_of("grants")}
            from staging.stg_sof__bevillinger as grants
            inner join intermediate.int_sof__person_intervention_periods as periods
                on grants.grant_id = periods.grant_id and periods.is_via_child
            where grants.row_status = 'used'
                and year(periods.start_date) < year(periods.effective_end_date)
                and year(periods.start_date) >= (
                    select min(year) from intermediate.int_report_years)
                and periods.person_key in (
                    select person_key from intermediate.int_sof__person_intervention_periods
                    where is_via_child group by person_key having count(*) = 1)
            order by grants.source_file, grants.source_line limit 1""").fetchone()
        # another relation, whose holder has a børnesag
        relation = con.execute(f"""
            select relations.source_file, relations.source_line, {encoding_of("relations")},
                (select min(year) from intermediate.int_report_years)
            from staging.stg_sof__foraeldremyndighed as relations
            where relations.row_status = 'used'
                and relations.parent_person_key in (
                    select person_key from intermediate.int_sof__person_intervention_periods
                    where is_via_child)
                and relations.child_person_key not in (
                    select grants.person_key from staging.stg_sof__bevillinger as grants
                    where grants.source_file = ? and grants.source_line = ?)
            order by relations.source_file, relations.source_line limit 1""",
            [measure[0], measure[1]] if measure else ["", 0]).fetchone()
    assert measure is not None and relation is not None
    # the measure ends on its first day; the relation on 1 July of the first report year
    redeliver(raw / measure[0], measure[1], measure[2], raw / "sof_bevillinger_20220314.csv",
              udtraeksdato=later_date)
    header, row = (raw / "sof_bevillinger_20220314.csv").read_text(encoding="utf-8").splitlines()
    names = [part.strip().lstrip("\ufeff").strip().lower() for part in header.split(";")]
    fields = row.split(";")
    fields[names.index("slutdato")] = fields[names.index("startdato")]
    (raw / "sof_bevillinger_20220314.csv").write_text(f"{header}\n{';'.join(fields)}\n",
                                                      encoding="utf-8")
    redeliver(raw / relation[0], relation[1], relation[2],
              raw / "sof_foraeldremyndighed_20220314.csv", udtraeksdato=later_date,
              slutdato=lambda old: in_format(old or "01-01-2000", date(relation[3], 7, 1)))
    log = make_dbt_runner(PROJECT, incremental, tmp_path / "incremental")(
        "build", "--resource-type", "seed", "--resource-type", "model", raw_dir=raw).stdout
    for model in RESTATED_SOF:
        assert (f"Restating '{model}': the citizens of the ids named by 2 new file(s)"
                " (sof_bevillinger_20220314.csv, sof_foraeldremyndighed_20220314.csv)") in log
    assert "every citizen" not in log
    full = tmp_path / "full" / "warehouse.duckdb"
    full.parent.mkdir()
    make_dbt_runner(PROJECT, full, tmp_path / "full")(
        "build", "--resource-type", "seed", "--resource-type", "model", raw_dir=raw)
    assert differences(full, incremental) == {}
    changed = differences(life.copies["full_refresh"], full)
    for model in ("int_sof__person_intervention_periods", "int_sof__person_intervention_years",
                  "int_hoi__person_months"):
        assert f"intermediate.{model}" in changed


def test_a_model_that_cannot_search_its_citizens_restates_every_citizen_alone(
        life: Life, built_small: SmallBuild, tmp_path: Path) -> None:
    """A model after the first of the SOF chain reads the citizens that model found in the
    same build: built alone after its parent has seen a new file, it finds none and
    restates every citizen; the warehouse is then the full build's."""
    db = snapshot(life.copies["earlier"], tmp_path / "warehouse.duckdb")
    run = make_dbt_runner(PROJECT, db, tmp_path)
    raw = tmp_path / "raw"
    shutil.copytree(life.raw, raw)
    chain = run("run", "--select", "base_sof__bevillinger", "stg_sof__bevillinger",
                "int_sof__grants", "int_sof__person_intervention_periods", raw_dir=raw).stdout
    assert ("Restating 'int_sof__person_intervention_periods': the citizens of the ids named"
            " by 1 new file(s) (sof_bevillinger_20220114.csv)") in chain
    alone = run("run", "--select", "int_sof__person_intervention_years", raw_dir=raw).stdout
    assert ("Restating 'int_sof__person_intervention_years': every citizen, because the"
            " citizens of its new files were not found earlier in this build") in alone
    run("build", "--resource-type", "seed", "--resource-type", "model", raw_dir=raw)
    assert differences(built_small.db, db) == {}


def test_a_changed_old_file_rebuilds_its_extract(life: Life, built_small: SmallBuild) -> None:
    for step in ("changed", "restored"):
        assert ("Raw extract 'bif_ydelsesforloeb': rebuilding base_bif__ydelsesforloeb from"
                " all 2 file(s), because bif_ydelsesforloeb_20210115.csv changed since it was"
                " loaded (another SHA-256)") in life.logs[step]
        assert "Raw extract 'sof_bevillinger': no new file" in life.logs[step]
        assert ("Staging 'stg_bif__ydelsesforloeb': restaging every row, because"
                " bif_ydelsesforloeb_20210115.csv was reloaded with other contents (another"
                " SHA-256)") in life.logs[step]
        for model, parent in RESTATED.items():
            line, = (text for text in life.logs[step].splitlines()
                     if f"Restating '{model}':" in text)
            assert f"Restating '{model}': every citizen, because" in line
            assert f"{parent} restaged or recomputed every row since it was built" in line
        # the models that follow the BIF chain too, through the parent that did
        for model in RESTATED_SOF:
            if model not in ("int_sof__grants", "int_sof__person_intervention_periods",
                             "int_sof__person_intervention_years"):
                assert f"Restating '{model}': every citizen, because" in life.logs[step]
    # The changed delivery has another row; delivered again as it was, the warehouse is
    # the full build's again.
    assert differences(built_small.db, life.copies["changed"]) != {}
    assert differences(built_small.db, life.copies["restored"]) == {}


def test_removed_files_rebuild_their_extracts(life: Life) -> None:
    log = life.logs["removed"]
    for name in LATER_FILES:
        extract = name.rsplit("_", 1)[0]
        assert (f"Raw extract '{extract}': rebuilding base_{extract.replace('_', '__', 1)}"
                f" from all 1 file(s), because {name} was loaded and is no longer in the raw"
                " folder") in log
        assert (f"Staging 'stg_{extract.replace('_', '__', 1)}': restaging every row, because"
                f" {name} was staged and is no longer in base_{extract.replace('_', '__', 1)}"
                ) in log
    # The same files as the first step's build from nothing.
    assert differences(life.copies["earlier"], life.copies["removed"]) == {}
    assert differences(life.copies["earlier"], life.copies["later"]) != {}


def test_another_pseudonym_key_rebuilds_every_extract(life: Life) -> None:
    log = life.logs["other_key"]
    for model in BASE_MODELS:
        assert f"rebuilding {model} from all" in log
    assert log.count("because the pseudonym key changed") == len(BASE_MODELS)
    for model in STG_MODELS:
        assert (f"Staging '{model}': restaging every row, because the pseudonym key, the vars"
                " or the seeds its checks depend on changed") in log
    with duckdb.connect() as con:
        con.execute(f"attach '{life.copies['removed']}' as before (read_only)")
        con.execute(f"attach '{life.copies['other_key']}' as after (read_only)")
        for model in BASE_MODELS:
            kept, = con.execute(f"""select count(*) from after.staging.{model}
                where key_probe in (select key_probe from before.staging.{model})""").fetchone()
            assert kept == 0, f"{model} kept rows of the old key"


def test_full_refresh_gives_the_full_build(life: Life, built_small: SmallBuild) -> None:
    assert "Raw extract" not in life.logs["full_refresh"]
    assert differences(built_small.db, life.copies["full_refresh"]) == {}


def test_the_comparison_sees_a_difference(life: Life, built_small: SmallBuild) -> None:
    """The comparison can fail: a staged row changed in a copy is found."""
    broken = snapshot(life.copies["later"], life.work / "broken.duckdb")
    with duckdb.connect(str(broken)) as con:
        con.execute("""update staging.stg_bif__ydelsesforloeb set row_status = 'merged'
            where source_line = (select min(source_line) from staging.stg_bif__ydelsesforloeb
                                 where row_status = 'used')
                and row_status = 'used'""")
    found = differences(built_small.db, broken)
    assert "staging.stg_bif__ydelsesforloeb" in found
