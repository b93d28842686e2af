"""dbt-duckdb plugin: hands the pseudonymisation key to DuckDB as a session variable,
and registers the raw intake's UDFs (``faellesborger.raw_intake``) on every connection.

The keyed hash (macro ``duckdb__keyed_hash``) reads the key with
``getvariable('faellesborger_pseudonym_key')``, so the key never stands in the SQL that
dbt compiles, logs or keeps under ``target/``. Enabled in ``profiles/profiles.yml``.
"""

from __future__ import annotations

import os
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from faellesborger import raw_intake

KEY_VARIABLE = "FAELLESBORGER_PSEUDONYM_KEY"
DEVELOPMENT_KEY = "faellesborger-development-key-not-for-real-data"


def pseudonym_key() -> str:
    """The key from the environment, else the development key (announced by dbt)."""
    return os.environ.get(KEY_VARIABLE) or DEVELOPMENT_KEY


def _set_key(target: Any) -> None:
    literal = pseudonym_key().replace("'", "''")
    target.execute(f"set variable faellesborger_pseudonym_key = '{literal}'")


class Plugin(BasePlugin):  # type: ignore[misc]
    """Sets the key on every connection and cursor dbt-duckdb opens."""

    def configure_connection(self, conn: Any) -> None:
        _set_key(conn)
        raw_intake.register(conn)

    def configure_cursor(self, cursor: Any) -> None:
        _set_key(cursor)
        raw_intake.register(cursor)
