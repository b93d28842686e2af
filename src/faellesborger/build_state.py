"""The state of the warehouse's last build, as the on-run hooks record it.

Every `dbt run`, `build`, `seed` or `snapshot` appends rows to ``main.build_state``
(macros/build_state.sql): ``running`` when it starts, then ``complete`` (every node
succeeded and every model of the project was built), ``partial`` (every node succeeded,
but a selection was built: staging and marts may come from different deliveries) or
``failed`` (a node failed or was skipped). A build killed with ``kill -9`` never writes
its second row, so its ``running`` row stays the last one.

Readers of the warehouse (``faellesborger tabel3``, ``figures``, ``quality``) refuse a
warehouse whose last row is not ``complete`` (:func:`check_complete`). The publication
step runs inside a build and has its own rule (:func:`check_publishable`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

STATE_TABLE = "main.build_state"
COMPLETE = "complete"
RUNNING = "running"


class Connection(Protocol):
    """The part of a DuckDB connection this module uses."""

    def execute(self, query: str, parameters: Any = ...) -> Any: ...


class IncompleteBuildError(RuntimeError):
    """The warehouse's last build did not complete: its marts are not to be read."""


@dataclass(frozen=True)
class BuildEvent:
    """One row of ``main.build_state``."""

    invocation_id: str
    event_at: datetime
    status: str
    models_selected: int | None
    models_total: int | None
    models_failed: int | None


def build_events(con: Connection) -> list[BuildEvent]:
    """Every recorded event, the latest first; empty when none was recorded."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'main' and table_name = 'build_state'").fetchone()[0]
    if not exists:
        return []
    rows = con.execute(
        f"select invocation_id, event_at, status, models_selected, models_total, "
        f"models_failed "
        f"from {STATE_TABLE} order by event_at desc, "
        f"case when status = '{RUNNING}' then 1 else 0 end").fetchall()
    return [BuildEvent(*row) for row in rows]


def _describe(event: BuildEvent | None) -> str:
    if event is None:
        return ("it holds no build state (main.build_state): it was built before build "
                "states were recorded, or a build never got past its start")
    when = f"{event.event_at:%Y-%m-%d %H:%M:%S}"
    if event.status == RUNNING:
        return (f"its last build (invocation {event.invocation_id}, started {when}) never "
                "finished: it was stopped or is still running, so staging and marts may "
                "come from different deliveries")
    if event.status == "partial":
        return (f"its last build (invocation {event.invocation_id}, {when}) built a "
                f"selection ({event.models_selected} of {event.models_total} models), so "
                "its marts may come from different deliveries")
    return (f"its last build (invocation {event.invocation_id}, {when}) failed "
            f"({event.models_failed} models failed or skipped; see its run_results.json)")


def check_complete(con: Connection, what: str = "the warehouse") -> None:
    """Raise :class:`IncompleteBuildError` unless the last build completed."""
    events = build_events(con)
    latest = events[0] if events else None
    if latest is None or latest.status != COMPLETE:
        raise IncompleteBuildError(
            f"Refusing to read {what}: {_describe(latest)}. Run a full `dbt build` "
            "(or `make build`) first.")


def check_publishable(con: Connection) -> None:
    """For the publication step, which runs inside a build: its own build's ``running``
    row is the latest. A build of every model may publish whatever came before it; a
    selection may publish only on top of a warehouse whose previous build finished with
    every model built (``complete``, ``partial``, or ``failed`` on data tests only), never
    on top of one that was killed or whose models failed: its tables may come from two
    deliveries."""
    events = build_events(con)
    if not events or events[0].status != RUNNING:
        raise IncompleteBuildError(
            "Refusing to publish: this build recorded no `running` state "
            "(on-run-start hook record_build_start missing from dbt_project.yml?).")
    current = events[0]
    if current.models_selected == current.models_total:
        return
    earlier = [e for e in events if e.invocation_id != current.invocation_id]
    previous = earlier[0] if earlier else None
    usable = previous is not None and (
        previous.status in (COMPLETE, "partial")
        or (previous.status == "failed" and previous.models_failed == 0))
    if not usable:
        raise IncompleteBuildError(
            "Refusing to publish from a selection of the models: the warehouse's previous "
            f"build did not build every model ({_describe(previous)}). Run a full `dbt build`.")
