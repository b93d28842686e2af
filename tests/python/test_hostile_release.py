"""The publication and the readers
of the warehouse under hostile users, faults and absurd deliveries.

Each test starts from a copy of the small build (`built_small`), so that killing or
breaking a build never touches the shared one.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from conftest import DBT, PROJECT, SmallBuild, make_dbt_runner

from faellesborger import publication
from faellesborger.cli import main
from faellesborger.publication import BI_CONNECTION_CONFIG, DATABASE_NAME

TABLES = ("rpt_publication_tabel3", "rpt_publication_tabel4",
          "rpt_publication_support_steps", "rpt_publication_hoi_target_group",
          "rpt_publication_target_group_statistics",
          "rpt_publication_target_group_characteristics", "rpt_publication_benefit_duration",
          "rpt_publication_sof_interventions_by_lab_group", "rpt_publication_hoi_people",
          "rpt_publication_hoi_followup", "rpt_publication_year_transitions")


def scratch_copy(build: SmallBuild, folder: Path, *, with_publish: bool = True) -> Path:
    """A copy of the small warehouse (and its publication, links kept) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "warehouse.duckdb"
    shutil.copy(build.db, db)
    if with_publish:
        shutil.copytree(build.work / "publish", folder / "publish", symlinks=True)
    return db


def current_target(publish: Path) -> str:
    return os.readlink(publish / "current")


def released(publish: Path) -> tuple[str, str]:
    """(released_at, release_id) of the current release, read through `current`."""
    with duckdb.connect(str(publish / "current" / DATABASE_NAME), read_only=True) as con:
        at, release_id = con.execute("select released_at, release_id from release").fetchone()
    return str(at), release_id


def default_publications() -> dict[Path, float | None]:
    """mtime of every default publication folder of the project (old and new layout)."""
    folders = (PROJECT / "publish", PROJECT / "data" / "publish")
    return {f: (f.stat().st_mtime if f.exists() else None) for f in folders}


# Finding 6 ------------------------------------------------------------------------------


def test_bi_settings_refuse_the_warehouse_and_raw_files(built_small: SmallBuild,
                                                        small_delivery: Path) -> None:
    database = built_small.work / "publish" / "current" / DATABASE_NAME
    raw_file = sorted(small_delivery.glob("cpr_personer_*.csv"))[0]
    quoted = str(built_small.db).replace("'", "''")
    raw_quoted = str(raw_file).replace("'", "''")
    # The settings the recipes in docs/publication.md use.
    assert BI_CONNECTION_CONFIG == {"access_mode": "read_only",
                                    "enable_external_access": False}
    with duckdb.connect(str(database), config=BI_CONNECTION_CONFIG) as con:
        assert con.execute("select count(*) from rpt_publication_tabel3").fetchone()[0] > 0
        for statement in (f"attach '{quoted}' as warehouse (read_only)",
                          f"select * from read_csv('{raw_quoted}')",
                          f"select * from '{raw_quoted}'",
                          "copy rpt_publication_tabel3 to '/tmp/leak.csv'"):
            with pytest.raises(duckdb.Error, match=r"(?i)disabled|permission"):
                con.execute(statement)
        # ... and a SQL user cannot switch it back on.
        with pytest.raises(duckdb.Error):
            con.execute("set enable_external_access = true")
    # The old recipes (read-only only) let a SQL user reach both: the test can fail.
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute(f"attach '{quoted}' as warehouse (read_only)")
        assert con.execute("select count(*) from warehouse.staging.stg_cpr__personer"
                           ).fetchone()[0] > 0
        assert con.execute(f"select count(*) from read_csv('{raw_quoted}')").fetchone()[0] > 0


# Findings 17 and 19 -----------------------------------------------------------------------


def test_a_killed_build_is_refused_by_readers_and_keeps_the_publication(
        built_small: SmallBuild, small_delivery: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    db = scratch_copy(built_small, tmp_path / "w")
    publish = tmp_path / "w" / "publish"
    link_before, release_before = current_target(publish), released(publish)
    defaults_before = default_publications()
    logs = tmp_path / "logs"
    env = {k: v for k, v in os.environ.items() if k != "FAELLESBORGER_PUBLISH_DIR"}
    env.update(DBT_SEND_ANONYMOUS_USAGE_STATS="false", FAELLESBORGER_DB=str(db))
    command = [str(DBT), "build", "--exclude", "tag:published_figures",
               "--profiles-dir", str(PROJECT / "profiles"), "--project-dir", str(PROJECT),
               "--target-path", str(tmp_path / "target"), "--log-path", str(logs),
               "--vars", f"{{raw_dir: '{small_delivery}'}}"]
    build = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and build.poll() is None:
            log = logs / "dbt.log"
            if log.exists() and "OK created sql incremental model staging.stg_" in log.read_text(
                    encoding="utf-8", errors="replace"):
                break
            time.sleep(0.2)
        assert build.poll() is None, "the build ended before a staging model was built"
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()

    # Every reader refuses the half-built warehouse, with a clear message.
    assert main(["tabel3", "--db", str(db), "--year", "2020"]) == 1
    assert "never finished" in capsys.readouterr().out
    assert main(["figures", "--db", str(db), "--year", "2020",
                 "--out", str(tmp_path / "fig")]) == 1
    assert "never finished" in capsys.readouterr().out
    assert not (tmp_path / "fig").exists()
    assert main(["quality", "--db", str(db), "--docs", str(tmp_path / "docs")]) == 1
    assert "never finished" in capsys.readouterr().out
    # The publication is still the previous release, whole.
    assert current_target(publish) == link_before
    assert released(publish) == release_before
    # The publication step itself refuses to publish the half-built marts.
    run = make_dbt_runner(PROJECT, db, tmp_path / "again")
    result = run("run", "--select", "rpt_publication_release", check=False,
                 extra_env={"FAELLESBORGER_PUBLISH_DIR": str(publish)})
    assert result.returncode != 0
    assert "Refusing to publish" in result.stdout
    assert current_target(publish) == link_before
    # Finding 19: the build of /tmp/.../warehouse.duckdb never touched the project's.
    assert default_publications() == defaults_before


def test_the_publication_follows_the_warehouse_file(built_small: SmallBuild,
                                                    small_delivery: Path,
                                                    tmp_path: Path) -> None:
    db = scratch_copy(built_small, tmp_path / "elsewhere", with_publish=False)
    defaults_before = default_publications()
    env = {k: v for k, v in os.environ.items() if k != "FAELLESBORGER_PUBLISH_DIR"}
    command = [str(DBT), "run", "--select", "rpt_publication_release",
               "--profiles-dir", str(PROJECT / "profiles"), "--project-dir", str(PROJECT),
               "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, check=False,
                            env={**env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                                 "FAELLESBORGER_DB": str(db),
                                 "FAELLESBORGER_RAW_DIR": str(small_delivery)})
    assert result.returncode == 0, result.stdout[-4000:]
    publish = tmp_path / "elsewhere" / "publish"
    assert (publish / "current" / DATABASE_NAME).is_file()
    assert default_publications() == defaults_before
    assert publication.publish_dir(db) == publish
    assert publication.publish_dir(PROJECT / "data" / "faellesborger.duckdb") \
        == PROJECT / "data" / "publish"


def test_a_publish_dir_that_reads_as_a_pattern_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAELLESBORGER_PUBLISH_DIR", str(tmp_path / "publish[1]"))
    with pytest.raises(publication.PublicationError, match=r"publish\[1\]"):
        publication.publish_dir(None)
    monkeypatch.delenv("FAELLESBORGER_PUBLISH_DIR")
    with pytest.raises(publication.PublicationError, match="in memory"):
        publication.publish_dir(None)


# Finding 16 (second half) ------------------------------------------------------------------


def test_a_release_whose_figures_collapse_is_held_back_unless_allowed(
        built_small: SmallBuild, tmp_path: Path) -> None:
    db = scratch_copy(built_small, tmp_path / "w")
    publish = tmp_path / "w" / "publish"
    link_before, release_before = current_target(publish), released(publish)
    with duckdb.connect(str(publish / "current" / DATABASE_NAME), read_only=True) as con:
        old_total = sum(publication.hovedtotal_by_year(
            con.table("rpt_publication_tabel3")).values())
    # A delivery whose fællesborgere fall to a tenth (as an empty extract would to zero).
    with duckdb.connect(str(db)) as con:
        con.execute("update marts.rpt_tabel3 set faellesborgere = faellesborgere // 10")
    run = make_dbt_runner(PROJECT, db, tmp_path)
    select = ("--select", "rpt_publication_tabel3", "rpt_publication_release")
    extra = {"FAELLESBORGER_PUBLISH_DIR": str(publish)}

    held = run("build", *select, check=False, extra_env=extra)
    assert held.returncode != 0, "a held-back release must fail the build"
    assert "accepted_values_rpt_publication_release_status" in held.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        status, reason, previous, new, path = con.execute(
            "select status, reason, previous_total, new_total, database_path "
            "from marts.rpt_publication_release").fetchone()
    assert (status, previous, path) == ("held_back", old_total, None)
    assert new < old_total * 0.5
    assert f"from {old_total} to {new}" in reason and "allow_publication_drop" in reason
    assert current_target(publish) == link_before
    assert released(publish) == release_before

    # A dashboard holds the current release open while the allowed one is published.
    reader = duckdb.connect(str(publish / "current" / DATABASE_NAME), read_only=True)
    try:
        allowed = run("build", *select, "--vars", "{allow_publication_drop: true}",
                      check=False, extra_env=extra)
        assert allowed.returncode == 0, allowed.stdout[-4000:]
        # It keeps reading the release it opened; new connections see the new one.
        assert reader.execute("select release_id from release").fetchone()[0] \
            == release_before[1]
    finally:
        reader.close()
    assert released(publish)[1] != release_before[1]
    with duckdb.connect(str(db), read_only=True) as con:
        status, reason = con.execute(
            "select status, reason from marts.rpt_publication_release").fetchone()
    assert status == "published" and "allowed by var allow_publication_drop" in reason
    assert current_target(publish) != link_before
    with duckdb.connect(str(publish / "current" / DATABASE_NAME), read_only=True) as con:
        assert sum(publication.hovedtotal_by_year(
            con.table("rpt_publication_tabel3")).values()) == new


def test_drop_check_rule() -> None:
    assert publication.drop_check(None, {2020: 0}, 0.5, False)[0] == "published"
    assert publication.drop_check({2020: 100}, {2020: 50}, 0.5, False)[0] == "published"
    status, reason, old, new = publication.drop_check({2020: 100, 2021: 100}, {2021: 90},
                                                      0.5, False)
    assert (status, old, new) == ("held_back", 200, 90)
    assert "2020-2021" in reason
    assert publication.drop_check({2020: 100}, {2020: 0}, 0.5, True)[0] == "published"


# Finding 18 --------------------------------------------------------------------------------


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, duckdb.DuckDBPyRelation]:
    return {name: con.table(f"marts.{name}") for name in TABLES}


def test_a_full_disk_while_publishing_leaves_the_previous_release(
        built_small: SmallBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = scratch_copy(built_small, tmp_path, with_publish=False)
    publish = tmp_path / "publish"
    with duckdb.connect(str(db)) as con:
        first = publication.release(_tables(con), publish, max_drop_share=0.5,
                                    allow_drop=False, keep=2)
        assert first.status == "published"
        link_before, release_before = current_target(publish), released(publish)
        # The next delivery differs a little; the disk fills after the first file.
        con.execute("update marts.rpt_publication_hoi_target_group "
                    "set citizens = citizens + 10 where citizens is not null")
        written: list[Path] = []
        real_write = publication.write_parquet

        def write_until_full(relation: duckdb.DuckDBPyRelation, path: Path) -> None:
            if written:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
            real_write(relation, path)
            written.append(path)

        monkeypatch.setattr(publication, "write_parquet", write_until_full)
        with pytest.raises(OSError, match="No space left"):
            publication.release(_tables(con), publish, max_drop_share=0.5,
                                allow_drop=False, keep=2)
    assert written and not written[0].exists(), "the partial file was left behind"
    assert current_target(publish) == link_before
    assert released(publish) == release_before
    assert [p.name for p in (publish / "releases").iterdir()] == [Path(link_before).name]
    assert sorted(p.name for p in publish.iterdir()) == ["current", "releases"]
    with duckdb.connect(str(publish / "current" / DATABASE_NAME), read_only=True) as con:
        for name in TABLES:
            same = con.execute(
                f"select count(*) from (select * from {name} except all "
                f"select * from read_parquet(?))",
                [str(publish / "current" / "parquet" / f"{name}.parquet")]).fetchone()
            assert same == (0,), f"{name}: the release is mixed"


def test_old_releases_are_pruned_but_never_the_current_one(built_small: SmallBuild,
                                                           tmp_path: Path) -> None:
    db = scratch_copy(built_small, tmp_path, with_publish=False)
    publish = tmp_path / "publish"
    with duckdb.connect(str(db)) as con:
        for _ in range(4):
            done = publication.release(_tables(con), publish, max_drop_share=0.5,
                                       allow_drop=False, keep=2)
            con.execute("update marts.rpt_publication_hoi_target_group "
                        "set citizens = citizens + 10 where citizens is not null")
        # The same rows again: no new release, the current one described as it was.
        con.execute("update marts.rpt_publication_hoi_target_group "
                    "set citizens = citizens - 10 where citizens is not null")
        same = publication.release(_tables(con), publish, max_drop_share=0.5,
                                   allow_drop=False, keep=2)
    assert same == done
    names = sorted(p.name for p in (publish / "releases").iterdir())
    assert len(names) == 2
    assert done.release_dir is not None and current_target(publish).endswith(names[-1])
    assert (publish / "current" / "parquet").stat().st_mode & 0o777 == 0o755
    assert (publish / "current" / DATABASE_NAME).stat().st_mode & 0o777 == 0o644


# Finding 20 (the rounding guard; the parts are pinned by _publication__unit_tests.yml) -----


def test_rounding_steps_that_cannot_protect_a_withheld_cell_are_refused(
        tmp_path: Path) -> None:
    run = make_dbt_runner(PROJECT, tmp_path / "warehouse.duckdb", tmp_path)
    result = run("compile", "--select", "rpt_publication_tabel3",
                 "--vars", "{rounding_fine_step: 1}", check=False)
    assert result.returncode != 0
    assert "rounding_fine_step = 1 is below 2 x rounding_suppress_below" in result.stdout
