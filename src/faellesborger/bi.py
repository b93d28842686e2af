"""The BI tool's dashboard, provisioned from files in the repository (``make bi``).

``bi/dashboard/`` holds the dashboard in Apache Superset's import format (version 1: a
database, its datasets, the charts and the dashboard, each a YAML file). The database's
``sqlalchemy_uri`` there is a placeholder: :func:`write_bundle` puts the publication's
path in its place (the file behind ``<publish dir>/current``, so a new release is read on
the next query) and zips the folder for ``superset import-dashboards``.

Only the publication is ever registered: a path that is not a file named
``faellesborger_publication.duckdb`` under a ``current`` release is refused, and so is a
path with characters that a SQLAlchemy URL would read as syntax. docs/bi.md.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path
from typing import Any

import yaml

from faellesborger.publication import CURRENT, DATABASE_NAME

URI_PLACEHOLDER = "__PUBLICATION_URI__"
# What a path may hold to be spliced into a duckdb:/// URL unchanged (no ?, #, %, @, :).
SAFE_PATH = re.compile(r"[A-Za-z0-9/._+-]+")
BUNDLE_ROOT = "faellesborger_dashboard"


class BundleError(Exception):
    """The dashboard cannot be provisioned (no publication, a bad path, a bad file)."""


def publication_uri(publish: Path) -> str:
    """``duckdb:///`` + the absolute path of the current release's DuckDB file."""
    database = publish.absolute() / CURRENT / DATABASE_NAME
    if not database.is_file():
        raise BundleError(f"No publication at {database}: run `make build` first.")
    text = str(database)
    if not SAFE_PATH.fullmatch(text):
        raise BundleError(
            "The publication's path holds characters a database URL would misread "
            "(only letters, digits and / . _ + - are allowed): move the project or set "
            "FAELLESBORGER_PUBLISH_DIR.")
    return f"duckdb:///{text}"


def load_files(source: Path) -> dict[str, dict[str, Any]]:
    """Every YAML file under ``source``, by its path relative to ``source``."""
    files: dict[str, dict[str, Any]] = {}
    for path in sorted(source.rglob("*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(content, dict):
            raise BundleError(f"{path} is not a YAML mapping.")
        files[path.relative_to(source).as_posix()] = content
    if "metadata.yaml" not in files:
        raise BundleError(f"{source} has no metadata.yaml: not a Superset export folder.")
    return files


def fill_uri(files: dict[str, dict[str, Any]], uri: str) -> dict[str, dict[str, Any]]:
    """The files with every database's placeholder URI replaced by ``uri``. A database
    file with any other URI is refused: the dashboard reads the publication only."""
    databases = {name: content for name, content in files.items()
                 if name.startswith("databases/")}
    if not databases:
        raise BundleError("The dashboard folder registers no database.")
    filled = dict(files)
    for name, content in databases.items():
        if content.get("sqlalchemy_uri") != URI_PLACEHOLDER:
            raise BundleError(f"{name}: sqlalchemy_uri must be {URI_PLACEHOLDER}, filled "
                              "in with the publication's path.")
        filled[name] = {**content, "sqlalchemy_uri": uri}
    return filled


def write_bundle(source: Path, publish: Path, out: Path) -> Path:
    """Zip ``source``'s files, the database pointing at ``publish``'s current release, as
    ``out`` (Superset's dashboard import format)."""
    files = fill_uri(load_files(source), publication_uri(publish))
    files["metadata.yaml"] = {
        **files["metadata.yaml"],
        "timestamp": datetime.datetime.now(datetime.UTC).isoformat(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as bundle:
        for name, content in files.items():
            bundle.writestr(f"{BUNDLE_ROOT}/{name}",
                            yaml.safe_dump(content, allow_unicode=True, sort_keys=False))
    return out
