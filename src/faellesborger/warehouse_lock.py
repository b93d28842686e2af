"""One clear sentence when another process holds the warehouse file.

DuckDB lets one process write a database file, or several read it; a notebook or a SQL
client (DBeaver) that keeps a connection open holds a lock, and every later open of the
file fails with ``IO Error: Could not set lock on file "<file>": Conflicting lock is held
in <program> (PID <n>)``. :func:`locked_message` turns such an error, wherever it sits in
an exception's chain or a dbt message, into one sentence: which program holds the file
and what to do. Only the file name, the program and the PID are taken from the error; no
SQL and no data is printed.
"""

from __future__ import annotations

import re
from pathlib import Path

LOCK_PATTERN = re.compile(
    r'Could not set lock on file "(?P<file>[^"]+)": '
    r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
# The same error without the file name (a shortened message).
HOLDER_PATTERN = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def locked_sentence(text: str, warehouse: str | Path | None = None) -> str | None:
    """The sentence for a DuckDB lock conflict in ``text``, or None when there is none."""
    match = LOCK_PATTERN.search(text) or HOLDER_PATTERN.search(text)
    if match is None:
        return None
    groups = match.groupdict()
    where = groups.get("file") or (str(warehouse) if warehouse is not None else "")
    what = f"The warehouse {where}" if where else "The warehouse"
    return (f"{what} is held open by {match['program']} (PID {match['pid']}): close that "
            f"program or its connection to the file (in a notebook: con.close()), or use "
            f"another warehouse file with FAELLESBORGER_DB=..., then run the command again.")


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        todo += [current.__cause__, current.__context__]
    return seen


def locked_message(error: BaseException, warehouse: str | Path | None = None) -> str | None:
    """The sentence when ``error`` (or an exception it was raised from) is a lock conflict."""
    for link in _chain(error):
        for text in (str(link), *(str(argument) for argument in link.args)):
            sentence = locked_sentence(text, warehouse)
            if sentence:
                return sentence
    return None
