"""Where the dbt project is: the folder with ``dbt_project.yml``, its seeds and its vars.

Nothing here looks at where the package itself is installed: the project is found from the
environment (``FAELLESBORGER_PROJECT_DIR``) or, else, by walking up from the current
directory to the first folder that holds ``dbt_project.yml``.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import yaml

PROJECT_DIR_ENV = "FAELLESBORGER_PROJECT_DIR"
PROJECT_FILE = "dbt_project.yml"


class ProjectNotFoundError(FileNotFoundError):
    """No dbt project (no ``dbt_project.yml``) where one was looked for."""


def project_dir(start: Path | None = None) -> Path:
    """The dbt project directory: ``$FAELLESBORGER_PROJECT_DIR``, else the first of
    ``start`` (default: the current directory) and its parents with ``dbt_project.yml``."""
    configured = os.environ.get(PROJECT_DIR_ENV)
    if configured:
        path = Path(configured).resolve()
        if not (path / PROJECT_FILE).is_file():
            raise ProjectNotFoundError(
                f"{PROJECT_DIR_ENV}={configured} has no {PROJECT_FILE}")
        return path
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise ProjectNotFoundError(
        f"no {PROJECT_FILE} in {here} or any folder above it: run from inside the "
        f"faellesborger project or set {PROJECT_DIR_ENV}")


def seed_path(name: str, project: Path | None = None) -> Path:
    """The seed file ``seeds/<name>.csv`` of the project."""
    path = (project or project_dir()) / "seeds" / f"{name}.csv"
    if not path.is_file():
        raise ProjectNotFoundError(f"no seed {path}")
    return path


def read_seed(name: str, project: Path | None = None) -> list[dict[str, str]]:
    """The rows of seed ``name`` as dictionaries of strings."""
    with seed_path(name, project).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def dbt_var(name: str, project: Path | None = None) -> object:
    """The value of var ``name`` in the project's ``dbt_project.yml`` (as YAML reads it;
    a Jinja expression stays its text)."""
    path = (project or project_dir()) / PROJECT_FILE
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    variables = config.get("vars", {}) if isinstance(config, dict) else {}
    if not isinstance(variables, dict) or name not in variables:
        raise KeyError(f"{path} has no var {name}")
    return variables[name]
