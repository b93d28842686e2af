"""Writes the publication (the rpt_publication_* models) as a read-only artefact for BI tools.

At the end of each build: ``<publish dir>/faellesborger_publication.duckdb`` (one table per
publication model, schema ``main``) and ``<publish dir>/parquet/<model>.parquet``. The
publish dir is env ``FAELLESBORGER_PUBLISH_DIR``, else ``publish`` in the working folder.

Every file is written under a temporary name in the same folder and moved into place with
``os.replace``: a dashboard holding the previous file open keeps reading the old inode, and
a new connection sees the new release. Nothing here is personal: only disclosure-controlled
aggregates, so the files are world-readable (0644) whatever the build's umask.

Returns one row describing the release, so the release is itself a tested model. Its
``release_id`` is a hash of the published rows (not a time), so rebuilding the same
delivery gives the same warehouse row for row; the release time is in the publication's
``release`` table.
"""

import datetime
import hashlib
import os
import uuid

import pandas as pd

DATABASE_NAME = "faellesborger_publication.duckdb"


def model(dbt, session):
    dbt.config(materialized="table")
    # dbt reads the dependencies from literal arguments, so each ref is spelled out.
    relations = {
        "rpt_publication_tabel3": dbt.ref("rpt_publication_tabel3"),
        "rpt_publication_tabel4": dbt.ref("rpt_publication_tabel4"),
        "rpt_publication_support_steps": dbt.ref("rpt_publication_support_steps"),
        "rpt_publication_hoi_target_group": dbt.ref("rpt_publication_hoi_target_group"),
    }

    publish_dir = os.path.abspath(os.environ.get("FAELLESBORGER_PUBLISH_DIR") or "publish")
    parquet_dir = os.path.join(publish_dir, "parquet")
    os.makedirs(parquet_dir, exist_ok=True)
    for folder in (publish_dir, parquet_dir):
        os.chmod(folder, 0o755)
    released_at = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    token = uuid.uuid4().hex

    for name, relation in relations.items():
        final = os.path.join(parquet_dir, f"{name}.parquet")
        temporary = os.path.join(parquet_dir, f".{name}.{token}.parquet")
        relation.to_parquet(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, final)

    database = os.path.join(publish_dir, DATABASE_NAME)
    temporary = os.path.join(publish_dir, f".{DATABASE_NAME}.{token}")
    alias = f"publication_{token}"
    session.execute(f"attach '{temporary}' as {alias}")
    try:
        for name, relation in relations.items():
            session.register(f"release_{name}", relation)
            session.execute(
                f"create table {alias}.main.{name} as select * from release_{name}")
            session.unregister(f"release_{name}")
        session.execute(
            f"create table {alias}.main.release as select "
            f"cast('{released_at.isoformat()}' as timestamp) as released_at")
        session.execute(f"checkpoint {alias}")
    finally:
        session.execute(f"detach {alias}")
    os.chmod(temporary, 0o644)
    os.replace(temporary, database)

    content = hashlib.sha256()
    for name, relation in relations.items():
        rows = pd.util.hash_pandas_object(relation.df(), index=False)
        content.update(name.encode())
        content.update(b"".join(sorted(int(v).to_bytes(8, "little") for v in rows)))
    return pd.DataFrame({
        "release_id": [content.hexdigest()],
        "database_path": [database],
        "parquet_dir": [parquet_dir],
        "tables": [len(relations)],
    })
