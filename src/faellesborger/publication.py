"""The release of the publication: disclosure-controlled aggregates for BI tools.

The dbt-duckdb Python model ``rpt_publication_release`` calls :func:`release` at the end
of each build. A release is written whole, or not at all:

1. **Where.** The publish dir is env ``FAELLESBORGER_PUBLISH_DIR``, else ``publish`` beside
   the warehouse file (``data/faellesborger.duckdb`` publishes to ``data/publish``), so a
   build of another delivery (``FAELLESBORGER_DB=/tmp/x.duckdb``) never overwrites the
   default publication (:func:`publish_dir`).
2. **Held back.** The release's Hovedtotal fællesborgere (the disclosed grand total of
   Tabel 3, summed over the years of the current release) is compared with the current
   release's; when it falls by more than ``max_drop_share`` the release is not written
   and its status is ``held_back``, with both totals in the reason, unless
   ``allow_drop`` (:func:`drop_check`). The first release is never held back.
3. **Whole or nothing.** Every file (the DuckDB file and one Parquet file per table) is
   written into a hidden folder ``releases/.<id>.partial``, which is renamed to
   ``releases/<id>`` once complete; then the symlink ``current`` is swapped atomically
   (a new link under a temporary name, then ``os.replace``). On any failure (a full
   disk...) the partial folder is removed and ``current`` still points to the previous
   release. Releases beyond the newest ``keep`` are removed, never ``current``'s.
   A build whose rows equal the current release's (same ``release_id``) writes nothing:
   the current release stays, and the model's row is the one it had.

No path is ever spliced into SQL: files are opened through the Python API's arguments.
A reader holding a file of an earlier release open keeps reading it (POSIX keeps a
removed file's data while it is open); a new connection through ``current`` sees the new
release. Nothing here is personal, so files are world-readable (0644, folders 0755).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

DATABASE_NAME = "faellesborger_publication.duckdb"
RELEASES = "releases"
CURRENT = "current"
PUBLISH_DIR_VARIABLE = "FAELLESBORGER_PUBLISH_DIR"
TABEL3 = "rpt_publication_tabel3"
PARTIAL_SUFFIX = ".partial"
GLOB_CHARACTERS = "*?[]"
# How a BI tool opens the publication (docs/publication.md): read-only, and no file or
# network access from SQL, so a SQL user can neither ATTACH the warehouse nor read_csv
# the raw extracts. DuckDB refuses to switch external access back on while it runs.
BI_CONNECTION_CONFIG: dict[str, str | bool] = {"access_mode": "read_only",
                                               "enable_external_access": False}


class PublicationError(RuntimeError):
    """The publication cannot be written (its folder is unknown or unusable)."""


@dataclass(frozen=True)
class Release:
    """What became of one release: ``published`` or ``held_back`` (with the reason)."""

    release_id: str
    status: str
    reason: str
    publish_dir: Path
    release_dir: Path | None
    previous_total: int | None
    new_total: int

    @property
    def database_path(self) -> Path | None:
        return None if self.release_dir is None else self.release_dir / DATABASE_NAME

    @property
    def parquet_dir(self) -> Path | None:
        return None if self.release_dir is None else self.release_dir / "parquet"

    def as_frame(self, tables: int) -> pd.DataFrame:
        """The model's one row."""
        return pd.DataFrame({
            "release_id": [self.release_id],
            "status": [self.status],
            "reason": [self.reason],
            "previous_total": pd.array([self.previous_total], dtype="Int64"),
            "new_total": pd.array([self.new_total], dtype="Int64"),
            "publish_dir": [str(self.publish_dir)],
            "database_path": [None if self.database_path is None else str(self.database_path)],
            "parquet_dir": [None if self.parquet_dir is None else str(self.parquet_dir)],
            "tables": [tables],
        })


def publish_dir(warehouse: Path | None) -> Path:
    """Env ``FAELLESBORGER_PUBLISH_DIR``, else ``publish`` beside the warehouse file. A
    folder whose path holds a glob character is refused: DuckDB would read the release's
    Parquet files back as a pattern, not as the file written."""
    explicit = os.environ.get(PUBLISH_DIR_VARIABLE)
    if explicit:
        folder = Path(explicit).absolute()
    elif warehouse is None:
        raise PublicationError(
            f"The warehouse is not a file (in memory?): set {PUBLISH_DIR_VARIABLE}.")
    else:
        folder = warehouse.absolute().parent / "publish"
    if any(character in str(folder) for character in GLOB_CHARACTERS):
        raise PublicationError(
            f"The publish dir {folder!s} holds one of {GLOB_CHARACTERS!r}: choose another "
            f"folder ({PUBLISH_DIR_VARIABLE}).")
    return folder


def warehouse_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file of ``con``'s current database (None in memory)."""
    row = con.execute("select path from duckdb_databases() "
                      "where database_name = current_database()").fetchone()
    return Path(row[0]) if row and row[0] else None


def current_release(publish: Path) -> Path | None:
    """The folder ``current`` points to, if any."""
    link = publish / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def hovedtotal_by_year(tabel3: duckdb.DuckDBPyRelation) -> dict[int, int]:
    """Tabel 3's disclosed grand total of fællesborgere per year (withheld counts 0)."""
    frame = tabel3.filter("row_kind = 'total' and main_group_code is null").df()
    return {int(year): 0 if pd.isna(total) else int(total)
            for year, total in zip(frame["year"], frame["faellesborgere"], strict=True)}


def drop_check(previous: Mapping[int, int] | None, new: Mapping[int, int],
               max_drop_share: float, allow_drop: bool) -> tuple[str, str, int | None, int]:
    """``(status, reason, previous total, new total)``; the totals are over the years of
    the previous release (a year missing from the new one counts 0)."""
    if previous is None:
        return "published", "first release", None, sum(new.values())
    years = sorted(previous)
    old_total = sum(previous.values())
    new_total = sum(new.get(year, 0) for year in years)
    span = f"{years[0]}-{years[-1]}" if years else "no year"
    dropped = old_total > 0 and (old_total - new_total) / old_total > max_drop_share
    if not dropped:
        return ("published", f"Hovedtotal fællesborgere {span}: {old_total} before, "
                f"{new_total} now", old_total, new_total)
    reason = (f"Hovedtotal fællesborgere {span} falls from {old_total} to {new_total}, more "
              f"than the allowed share {max_drop_share:g} (var publication_max_drop_share)")
    if allow_drop:
        return "published", reason + "; published as allowed by var allow_publication_drop", \
            old_total, new_total
    return ("held_back", reason + "; not published: check the delivery, then build with "
            "--vars '{allow_publication_drop: true}' to publish it", old_total, new_total)


def content_id(tables: Mapping[str, duckdb.DuckDBPyRelation]) -> str:
    """SHA-256 of the published rows (order-independent): the same data, the same id."""
    content = hashlib.sha256()
    for name, relation in tables.items():
        rows = pd.util.hash_pandas_object(relation.df(), index=False)
        content.update(name.encode())
        content.update(b"".join(sorted(int(v).to_bytes(8, "little") for v in rows)))
    return content.hexdigest()


def write_parquet(relation: duckdb.DuckDBPyRelation, path: Path) -> None:
    """One table as a Parquet file (a seam for tests that simulate a full disk)."""
    relation.to_parquet(str(path))


def write_database(path: Path, parquet_files: Mapping[str, Path],
                   released_at: datetime.datetime, outcome: Release) -> None:
    """The publication DuckDB file: one table per Parquet file, and a ``release`` table
    with the release's time, id and the outcome of its drop check."""
    with duckdb.connect(str(path)) as con:
        for name, parquet in parquet_files.items():
            con.read_parquet(str(parquet)).create(name)
        con.execute("create table release (released_at timestamp, release_id varchar, "
                    "reason varchar, previous_total bigint, new_total bigint)")
        con.execute("insert into release values (?, ?, ?, ?, ?)",
                    [released_at, outcome.release_id, outcome.reason,
                     outcome.previous_total, outcome.new_total])
        con.execute("checkpoint")


def _write_release(folder: Path, tables: Mapping[str, duckdb.DuckDBPyRelation],
                   released_at: datetime.datetime, outcome: Release) -> None:
    parquet_dir = folder / "parquet"
    parquet_dir.mkdir(parents=True)
    files = {}
    for name, relation in tables.items():
        files[name] = parquet_dir / f"{name}.parquet"
        write_parquet(relation, files[name])
    write_database(folder / DATABASE_NAME, files, released_at, outcome)
    for path in (folder, parquet_dir):
        path.chmod(0o755)
    for path in (*files.values(), folder / DATABASE_NAME):
        path.chmod(0o644)


def _swap_current(publish: Path, target: Path) -> None:
    """Point ``current`` at ``target`` atomically (relative link, then os.replace)."""
    link = publish / CURRENT
    temporary = publish / f".{CURRENT}.{os.getpid()}.tmp"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(os.path.relpath(target, publish), temporary)
    try:
        os.replace(temporary, link)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _prune(publish: Path, keep: int) -> None:
    """Remove releases beyond the newest ``keep`` (never ``current``'s), and leftovers
    of publications that were killed (hidden ``.partial`` folders, stale links)."""
    releases = publish / RELEASES
    current = current_release(publish)
    names = sorted((p for p in releases.iterdir() if not p.name.startswith(".")),
                   key=lambda p: p.name, reverse=True)
    for old in names[max(keep, 1):]:
        if old.resolve() != current:
            shutil.rmtree(old)
    for leftover in releases.glob(f".*{PARTIAL_SUFFIX}"):
        shutil.rmtree(leftover, ignore_errors=True)
    for link in publish.glob(f".{CURRENT}.*.tmp"):
        link.unlink(missing_ok=True)
    # The layout before releases/ (one file and parquet/ at the top): a recipe still
    # pointing there must fail, not read a stale release forever.
    (publish / DATABASE_NAME).unlink(missing_ok=True)
    if (publish / "parquet").is_dir() and not (publish / "parquet").is_symlink():
        shutil.rmtree(publish / "parquet")


def _read_current(folder: Path) -> tuple[dict[int, int], tuple[str, str, int | None, int]]:
    """The current release's Hovedtotal per year and its stored (id, reason, totals)."""
    with duckdb.connect(str(folder / DATABASE_NAME), read_only=True) as con:
        totals = hovedtotal_by_year(con.table(TABEL3))
        row = con.execute(
            "select release_id, reason, previous_total, new_total from release").fetchone()
    if row is None:
        raise PublicationError(f"the release in {folder} has no release row")
    release_id, reason, previous, new = row
    return totals, (release_id, reason, previous, new)


def release(tables: Mapping[str, duckdb.DuckDBPyRelation], publish: Path, *,
            max_drop_share: float, allow_drop: bool, keep: int,
            now: datetime.datetime | None = None) -> Release:
    """Publish ``tables`` (name -> relation, Tabel 3 among them) into ``publish``. When
    the current release already holds exactly these rows, it stays current and is
    described as it was (the same data gives the same release, row for row)."""
    released_at = now or datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    release_id = content_id(tables)
    previous_dir = current_release(publish)
    previous = None
    if previous_dir is not None:
        previous, (stored_id, stored_reason, stored_previous, stored_new) = \
            _read_current(previous_dir)
        if stored_id == release_id:
            return Release(release_id, "published", stored_reason, publish,
                           publish / RELEASES / previous_dir.name, stored_previous, stored_new)
    new = hovedtotal_by_year(tables[TABEL3])
    status, reason, old_total, new_total = drop_check(previous, new, max_drop_share,
                                                      allow_drop)
    if status != "published":
        return Release(release_id, status, reason, publish, None, old_total, new_total)

    releases = publish / RELEASES
    for path in (publish, releases):
        if not path.is_dir():  # a folder someone else made keeps its modes
            path.mkdir(parents=True)
            path.chmod(0o755)
    name = f"{released_at:%Y%m%dT%H%M%S%fZ}-{release_id[:12]}"
    partial = releases / f".{name}{PARTIAL_SUFFIX}"
    final = releases / name
    outcome = Release(release_id, status, reason, publish, final, old_total, new_total)
    try:
        _write_release(partial, tables, released_at, outcome)
        os.rename(partial, final)
        _swap_current(publish, final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        if current_release(publish) != final.resolve():
            shutil.rmtree(final, ignore_errors=True)
        raise
    _prune(publish, keep)
    return outcome
