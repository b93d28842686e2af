"""The mark of a synthetic delivery: which raw folders the development key may be used on.

The generator writes ``SYNTHETIC_DELIVERY.sha256`` into every delivery it makes: one line
per CSV file it wrote, in the format of ``sha256sum`` (``<hex digest>  <file name>``), so
``sha256sum -c SYNTHETIC_DELIVERY.sha256`` checks it by hand too. A raw folder is the
shipped synthetic delivery when that file is there and every CSV file of the folder
(names compared case-insensitively, as the raw reader matches them) is listed in it with
its digest, and every listed file is there. A real file copied into a synthetic folder,
or a synthetic file edited by hand, makes it a delivery like any other: the build then
refuses the development pseudonymisation key (macro ``check_pseudonym_key``). The files'
digests are the raw listing's fingerprints (``raw_intake.file_fingerprint``): a build
reads each file once for both, or not at all when it kept the facts of an unchanged file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from faellesborger.raw_intake import file_fingerprint

MARKER_NAME = "SYNTHETIC_DELIVERY.sha256"
_CHUNK = 1 << 22


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_marker(out_dir: Path, file_names: Iterable[str]) -> Path:
    """Write the marker listing ``file_names`` (files in ``out_dir``) with their digests."""
    lines = [f"{_digest(out_dir / name)}  {name}\n" for name in sorted(file_names)]
    marker = out_dir / MARKER_NAME
    marker.write_text("".join(lines), encoding="utf-8")
    marker.chmod(0o600)
    return marker


def is_synthetic_delivery(raw_dir: str | Path) -> bool:
    """True when ``raw_dir`` holds exactly the CSV files its marker lists, unchanged."""
    folder = Path(raw_dir)
    marker = folder / MARKER_NAME
    if not marker.is_file() or marker.is_symlink():
        return False
    listed: dict[str, str] = {}
    for line in marker.read_text(encoding="utf-8", errors="replace").splitlines():
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64 or not name:
            return False
        listed[name] = digest
    csv_files = {entry.name for entry in folder.iterdir()
                 if entry.name.lower().endswith(".csv")}
    if csv_files != set(listed):
        return False
    # the digests the raw listing computes (and a build keeps) for the same files
    return all((folder / name).is_file() and not (folder / name).is_symlink()
               and file_fingerprint(str(folder / name)) == digest
               for name, digest in listed.items())
