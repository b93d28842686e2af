"""The package finds the dbt project (its seeds, its vars) from where it runs, not from
where it is installed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PROJECT

from faellesborger.project import (
    PROJECT_DIR_ENV,
    ProjectNotFoundError,
    dbt_var,
    project_dir,
    read_seed,
)
from faellesborger.quality import Thresholds


def test_found_by_walking_up_from_a_subfolder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PROJECT_DIR_ENV, raising=False)
    monkeypatch.chdir(PROJECT / "models" / "marts")
    assert project_dir() == PROJECT
    assert dbt_var("kanten_main_group") == "kanten"


def test_the_environment_wins_and_is_checked(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(PROJECT_DIR_ENV, str(PROJECT))
    assert project_dir() == PROJECT
    monkeypatch.setenv(PROJECT_DIR_ENV, str(tmp_path))
    with pytest.raises(ProjectNotFoundError, match=PROJECT_DIR_ENV):
        project_dir()


def test_outside_a_project_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.delenv(PROJECT_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProjectNotFoundError, match=r"dbt_project\.yml"):
        project_dir()


def test_the_quality_suites_follow_an_edited_seed(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    # a copy of the project whose analyst moved 6.10 into kanten
    (tmp_path / "dbt_project.yml").write_text((PROJECT / "dbt_project.yml").read_text())
    (tmp_path / "seeds").mkdir()
    for name in ("lab_main_groups", "sof_interventions"):
        (tmp_path / "seeds" / f"{name}.csv").write_text(
            (PROJECT / "seeds" / f"{name}.csv").read_text(encoding="utf-8"), encoding="utf-8")
    groups = (PROJECT / "seeds" / "lab_target_groups.csv").read_text(encoding="utf-8")
    assert "6.10," in groups
    edited = "\n".join(line.replace(",sygemeldt,", ",kanten,") if line.startswith("6.10,")
                       else line for line in groups.splitlines())
    (tmp_path / "seeds" / "lab_target_groups.csv").write_text(edited, encoding="utf-8")
    monkeypatch.setenv(PROJECT_DIR_ENV, str(tmp_path))

    assert "6.10" in Thresholds().kanten_lab_groups
    assert {row["lab_group_code"] for row in read_seed("lab_target_groups")} >= {"6.10"}
