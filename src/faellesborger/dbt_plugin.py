"""dbt-duckdb plugin: the pseudonymisation key, private build outputs, delivery checks.

- Hands the pseudonymisation key to DuckDB as a session variable: the keyed hash (macro
  ``duckdb__keyed_hash``) reads it with ``getvariable('faellesborger_pseudonym_key')``, so
  the key never stands in the SQL that dbt compiles, logs or keeps under ``target/``.
- Makes what the run writes readable by its owner only, whoever starts dbt and under
  whatever umask: the process umask becomes 077 before DuckDB creates the warehouse, and
  the warehouse file, its WAL, ``dbt.log`` and dbt's artefacts that already exist are
  chmod-ed to 0600 (their folders under ``target/`` to 0700). The publication sets its own,
  public modes.
- Registers the SQL functions of the raw intake (``faellesborger.raw_intake``: the raw
  folder's listing and checks, the chunk reader, the Windows-1252 decoder) and
  ``faellesborger_is_synthetic_delivery(raw_dir)``, which the key check (macro
  ``check_pseudonym_key``) asks before it lets the development key hash a delivery
  (``faellesborger.synthetic_marker``).

Enabled in ``profiles/profiles.yml``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from faellesborger import raw_intake
from faellesborger.synthetic_marker import is_synthetic_delivery

KEY_VARIABLE = "FAELLESBORGER_PSEUDONYM_KEY"
DEVELOPMENT_KEY = "faellesborger-development-key-not-for-real-data"
PRIVATE_UMASK = 0o077
# dbt's artefacts under the target path that hold compiled SQL, messages or results.
TARGET_ARTEFACTS = ("run_results.json", "manifest.json", "semantic_manifest.json",
                    "graph.gpickle", "graph_summary.json", "partial_parse.msgpack",
                    "catalog.json", "sources.json", "perf_info.json")
TARGET_FOLDERS = ("compiled", "run")


def pseudonym_key() -> str:
    """The key from the environment, else the development key (checked and announced by
    the macro ``check_pseudonym_key`` at the start of every run)."""
    return os.environ.get(KEY_VARIABLE) or DEVELOPMENT_KEY


def _set_key(target: Any) -> None:
    literal = pseudonym_key().replace("'", "''")
    target.execute(f"set variable faellesborger_pseudonym_key = '{literal}'")


def _register_functions(target: Any) -> None:
    """The project's SQL functions, once per connection (a cursor shares them)."""
    raw_intake.register(target)
    (exists,) = target.execute(
        "select count(*) from duckdb_functions()"
        " where function_name = 'faellesborger_is_synthetic_delivery'").fetchone()
    if not exists:
        target.create_function(
            "faellesborger_is_synthetic_delivery",
            lambda raw_dir: is_synthetic_delivery(raw_dir),
            ["VARCHAR"], "BOOLEAN", side_effects=True)


def _chmod(path: Path, mode: int) -> None:
    if path.exists() and not path.is_symlink():
        path.chmod(mode)


def _build_outputs(database: str | None) -> tuple[list[Path], list[Path]]:
    """The files and folders of this dbt invocation that hold person-level data or the SQL
    and messages about it: the warehouse file (and WAL), dbt.log, dbt's artefacts."""
    from dbt.flags import get_flags

    flags = get_flags()  # type: ignore[no-untyped-call]
    project_dir = Path(getattr(flags, "PROJECT_DIR", None) or ".")
    log_path = getattr(flags, "LOG_PATH", None)
    target_path = getattr(flags, "TARGET_PATH", None) or os.environ.get("DBT_TARGET_PATH")
    target = Path(target_path) if target_path else project_dir / "target"
    files = [target / name for name in TARGET_ARTEFACTS]
    if log_path:
        files.append(Path(log_path) / "dbt.log")
    if database and database != ":memory:":
        files += [Path(database), Path(database + ".wal")]
    return files, [target / name for name in TARGET_FOLDERS]


def protect_build_outputs(database: str | None) -> None:
    """umask 077 for the rest of the run; 0600/0700 on the outputs that already exist."""
    os.umask(PRIVATE_UMASK)
    files, folders = _build_outputs(database)
    for path in files:
        _chmod(path, 0o600)
    for folder in folders:
        if folder.is_dir() and not folder.is_symlink():
            folder.chmod(0o700)
            for root, directories, names in os.walk(folder):
                for name in directories:
                    _chmod(Path(root) / name, 0o700)
                for name in names:
                    _chmod(Path(root) / name, 0o600)


def configure_connection(conn: Any) -> None:
    """Sets the key and registers the project's functions on a DuckDB connection: what
    dbt's connections get, for tools that run compiled models outside dbt (the
    benchmark's profiler)."""
    _set_key(conn)
    _register_functions(conn)


class Plugin(BasePlugin):
    """Sets the key and the functions on every connection and cursor dbt-duckdb opens."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        protect_build_outputs(getattr(self.creds, "path", None))

    def configure_connection(self, conn: Any) -> None:
        configure_connection(conn)

    def configure_cursor(self, cursor: Any) -> None:
        # A cursor sees the functions of the connection it comes from (registered once in
        # configure_connection): probing duckdb_functions() on each of dbt's cursors, one
        # per node, cost about 0.1 s of CPU per node. The variable is per cursor.
        _set_key(cursor)
