"""Shared fixtures: a small synthetic delivery and a dbt runner on a scratch warehouse."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from faellesborger.cli import generate

PROJECT = Path(__file__).resolve().parents[2]
DBT = PROJECT / ".venv" / "bin" / "dbt"
# dbt with dbt-spark, from the separate Spark venv (`make venv-spark`; marker `spark`).
SPARK_DBT = PROJECT / ".venv-spark" / "bin" / "dbt"
SMALL_SCALE = 0.02


@pytest.fixture(scope="session")
def small_delivery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A delivery at 2 % of the calibrated size (same rules, same dirt)."""
    out = tmp_path_factory.mktemp("raw") / "raw"
    generate(out, seed=7, scale=SMALL_SCALE)
    return out


DbtRunner = Callable[..., subprocess.CompletedProcess[str]]

# dbt's saved parse of the project (target/partial_parse.msgpack), per worker process and
# profile (Spark, or DuckDB with the warehouse file's name): a test's dbt run starts from
# the saved parse of the first run with its profile, so dbt parses again only what differs
# (dbt checks that itself: the files' checksums, the environment variables a file read
# while parsed, the command-line vars) instead of the whole project (about 12 s a run).
# dbt keys a saved parse on the profile's connection (for DuckDB the warehouse's path)
# and on the command-line vars, so the runner hands the raw folder over in
# FAELLESBORGER_RAW_DIR and runs DuckDB's dbt in the warehouse's folder, naming the file
# by its name alone.
_SAVED_PARSES: dict[str, bytes] = {}


def make_dbt_runner(project: Path, db: Path, work: Path, *, spark: bool = False) -> DbtRunner:
    """Run dbt in ``project`` against warehouse ``db``, with target, logs and the
    publication (env FAELLESBORGER_PUBLISH_DIR) under ``work``. With ``spark``, dbt of
    .venv-spark on target `spark` instead, its tables and metastore in ``work``/spark.
    A run of the project itself starts from an earlier run's saved parse (above)."""

    def run(*args: str, raw_dir: Path | None = None, check: bool = True,
            extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        # Hand-made deliveries are test data: the development key is allowed on them
        # explicitly (a test of the refusal sets FAELLESBORGER_ALLOW_DEVELOPMENT_KEY='').
        env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
               "FAELLESBORGER_ALLOW_DEVELOPMENT_KEY": "yes",
               "FAELLESBORGER_DB": str(db) if spark else db.name,
               "SPARK_BUILD_DIR": str(work / "spark"),
               "FAELLESBORGER_PUBLISH_DIR": str(work / "publish"),
               **({"FAELLESBORGER_RAW_DIR": str(raw_dir)} if raw_dir is not None else {}),
               **(extra_env or {})}
        command = [str(SPARK_DBT if spark else DBT), *args,
                   *(["--target", "spark"] if spark else []),
                   "--profiles-dir", str(project / "profiles"),
                   "--project-dir", str(project), "--target-path", str(work / "target"),
                   "--log-path", str(work / "logs")]
        saved = work / "target" / "partial_parse.msgpack"
        key = "spark" if spark else db.name
        db.parent.mkdir(parents=True, exist_ok=True)
        if project == PROJECT and key in _SAVED_PARSES and not saved.exists():
            saved.parent.mkdir(parents=True, exist_ok=True)
            saved.write_bytes(_SAVED_PARSES[key])
            saved.chmod(0o600)  # as the plugin keeps dbt's own artefacts
        result = subprocess.run(command, cwd=project if spark else db.parent, env=env,
                                capture_output=True, text=True, check=False)
        if project == PROJECT and key not in _SAVED_PARSES and saved.exists():
            _SAVED_PARSES[key] = saved.read_bytes()
        if check and result.returncode != 0:
            raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}")
        return result

    return run


def copy_project(destination: Path) -> Path:
    """A copy of the dbt project (models, macros, seeds, tests, profiles) to edit freely."""
    for name in ("models", "macros", "seeds", "tests", "analyses", "profiles"):
        source = PROJECT / name
        if source.exists():
            shutil.copytree(source, destination / name,
                            ignore=shutil.ignore_patterns("python", "__pycache__"))
    shutil.copy(PROJECT / "dbt_project.yml", destination / "dbt_project.yml")
    return destination


DEFAULT_DB = PROJECT / "data" / "faellesborger.duckdb"


@dataclass
class SmallBuild:
    db: Path
    work: Path  # target/, logs/ and publish/ of the build
    run: DbtRunner
    default_db_before: float | None  # mtime of the default warehouse before the build


@pytest.fixture(scope="session")
def built_small(tmp_path_factory: pytest.TempPathFactory, small_delivery: Path) -> SmallBuild:
    """The small delivery built, with all tests, into a scratch warehouse."""
    work = tmp_path_factory.mktemp("build")
    db = work / "warehouse.duckdb"
    before = DEFAULT_DB.stat().st_mtime if DEFAULT_DB.exists() else None
    run = make_dbt_runner(PROJECT, db, work)
    run("build", "--exclude", "tag:published_figures", raw_dir=small_delivery)
    return SmallBuild(db, work, run, before)
