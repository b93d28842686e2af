"""The Superset dashboard bundle (`faellesborger bi-bundle`, docs/bi.md): it registers the
publication and nothing else, and its files hang together."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from faellesborger.bi import URI_PLACEHOLDER, BundleError, fill_uri, load_files, write_bundle

PROJECT = Path(__file__).resolve().parents[2]
SOURCE = PROJECT / "bi" / "dashboard"


def fake_publish_dir(root: Path) -> Path:
    release = root / "publish" / "releases" / "r1"
    release.mkdir(parents=True)
    (release / "faellesborger_publication.duckdb").write_bytes(b"")
    (root / "publish" / "current").symlink_to("releases/r1")
    return root / "publish"


def test_bundle_registers_the_current_publication_read_only(tmp_path: Path) -> None:
    publish = fake_publish_dir(tmp_path / "data")
    out = write_bundle(SOURCE, publish, tmp_path / "dashboard.zip")
    with zipfile.ZipFile(out) as bundle:
        files = {name.split("/", 1)[1]: yaml.safe_load(bundle.read(name))
                 for name in bundle.namelist()}
    databases = [content for name, content in files.items() if name.startswith("databases/")]
    assert len(databases) == 1
    database = databases[0]
    assert database["sqlalchemy_uri"] == (
        f"duckdb:///{publish.absolute()}/current/faellesborger_publication.duckdb")
    assert database["extra"]["engine_params"]["connect_args"] == {
        "read_only": True, "config": {"enable_external_access": False}}
    assert not any(database[flag] for flag in
                   ("allow_dml", "allow_file_upload", "allow_ctas", "allow_cvas"))


def test_every_reference_resolves() -> None:
    files = load_files(SOURCE)
    uuids = {kind: {content["uuid"] for name, content in files.items()
                    if name.startswith(kind + "/")}
             for kind in ("databases", "datasets", "charts", "dashboards")}
    for name, content in files.items():
        if name.startswith("datasets/"):
            assert content["database_uuid"] in uuids["databases"], name
        if name.startswith("charts/"):
            assert content["dataset_uuid"] in uuids["datasets"], name
    (dashboard,) = (content for name, content in files.items()
                    if name.startswith("dashboards/"))
    placed = {item["meta"]["uuid"] for item in dashboard["position"].values()
              if isinstance(item, dict) and item.get("type") == "CHART"}
    assert placed == uuids["charts"]
    assert len(placed) == 3


def test_no_publication_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="make build"):
        write_bundle(SOURCE, tmp_path / "publish", tmp_path / "dashboard.zip")


def test_a_path_a_url_would_misread_is_refused(tmp_path: Path) -> None:
    publish = fake_publish_dir(tmp_path / "a?b#c")
    with pytest.raises(BundleError, match="characters"):
        write_bundle(SOURCE, publish, tmp_path / "dashboard.zip")


def test_a_database_other_than_the_placeholder_is_refused() -> None:
    files = load_files(SOURCE)
    name = next(name for name in files if name.startswith("databases/"))
    files[name] = {**files[name], "sqlalchemy_uri": "duckdb:///data/faellesborger.duckdb"}
    with pytest.raises(BundleError, match=URI_PLACEHOLDER):
        fill_uri(files, "duckdb:///x")
