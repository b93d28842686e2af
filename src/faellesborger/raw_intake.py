"""Raw intake: lists the raw folder and checks every file from its bytes, before any SQL.

The raw reader (``macros/raw/read_raw_extract.sql``) never hands a user-controlled name to a
glob and never lets a CSV reader decide what a line is. This module does the part SQL
cannot do safely:

- lists the raw folder with ``os.scandir`` and matches each entry to an extract
  (case-insensitive: the name starts with the extract's name and ends with ``.csv``; the
  longest matching extract name wins) or lists it as skipped with a reason;
- refuses names that cannot stand in SQL or in a DuckDB/Spark path safely (glob
  characters, backslash, backtick, control characters) and symbolic links that leave the
  raw folder or lead nowhere, with an error naming the file;
- decides each file's encoding: UTF-8 (byte-order mark allowed), else Windows-1252 only
  when the bytes decode strictly as Windows-1252 and hold no valid UTF-8 multi-byte
  sequence; a UTF-16/32 file (byte-order mark or NUL bytes) or a broken UTF-8 file is an
  error naming the file (and the line of the first invalid byte, never its content);
- counts, from the bytes and apart from any CSV parsing, the physical lines (a final line
  end starts no new line), the empty lines (nothing but an optional carriage return) and
  the whitespace-only lines, and keeps the header line's text for the header check;
- fingerprints each file by the SHA-256 of its bytes: the incremental staging base models
  (``macros/raw/incremental_raw.sql``) load a file again, and rebuild its extract, when
  the fingerprint of a file they loaded changes;
- cuts each file into chunks of whole lines of at most ``chunk_bytes`` (a line longer than
  that is a chunk of its own), so that DuckDB reads and splits a large file a chunk at a
  time (``faellesborger_read_bytes``) instead of holding the whole file, its text and its
  lines in memory at once.

It reaches DuckDB as three Python UDFs that the dbt-duckdb plugin registers on every
connection and cursor (:func:`register`): ``faellesborger_raw_listing(raw_dir,
extracts)`` returns the listing as JSON, ``faellesborger_read_bytes(path, start, end)``
returns one chunk's bytes, ``faellesborger_decode(content, encoding)`` decodes a
Windows-1252 file (DuckDB's ``decode`` only does UTF-8). Results are memoised
per (path, size, mtime_ns, ctime_ns, inode, device), so one dbt process reads a file's
bytes for its checks once, however many models list the folder.

A build keeps the facts for the next one (:func:`export_facts`, :func:`import_facts`;
the UDFs ``faellesborger_raw_facts_export()`` and ``faellesborger_raw_facts_import(json)``,
which ``macros/raw/raw_file_facts.sql`` calls at the end and the start of a build): a
file whose status is unchanged is not read again, only its header line. The status
includes the change time, which no user can set (writing or renaming a file sets it to
the present), and facts are kept only for files whose last change came well before they
were read (``TRUST_MARGIN_NS``), so that a change in the same clock tick as the reading
cannot hide. Kept facts hold no header (which a hostile file may fill with data), no
error, nothing of the file's content but its SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import numpy as np

# Characters that DuckDB's and Spark's file readers treat as patterns, or that cannot be
# written safely into SQL text or a log line.
UNSAFE_NAME = re.compile(r"[*?\[\]{}\\`\x00-\x1f\x7f]")
WHITESPACE = b" \t\r\x0b\x0c"
NEWLINE = 0x0A
# The largest chunk of whole lines DuckDB reads of a file at a time (bytes); the
# environment variable FAELLESBORGER_RAW_CHUNK_BYTES overrides it (the tests cut their
# small files into many chunks with it).
RAW_CHUNK_BYTES = 32 * 1024 * 1024
# The vectorised passes over a file's bytes work a block at a time, so that their
# temporary arrays stay small beside the file (a national extract runs to gigabytes).
SCAN_BLOCK_BYTES = 16 * 1024 * 1024
# The first byte of a line that may be empty or whitespace-only.
WHITESPACE_OR_NEWLINE = np.frombuffer(WHITESPACE + b"\n", dtype=np.uint8)
UTF8_BOM = b"\xef\xbb\xbf"
WIDE_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)
# A well-formed UTF-8 sequence of two to four bytes: a Windows-1252 file holds none.
UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _has_utf8_multibyte(body: bytes) -> bool:
    """Whether the bytes hold a well-formed UTF-8 sequence (UTF8_MULTIBYTE) anywhere.
    Only where one can start (a lead byte followed by a continuation byte, found for a
    block of bytes at once) is the pattern tried: a national Windows-1252 file has few
    such places, and a regular expression scanning every byte takes seconds."""
    octets = np.frombuffer(body, dtype=np.uint8)
    for offset in range(0, len(octets) - 1, SCAN_BLOCK_BYTES):
        # the block and the byte after it (the follower of the block's last byte)
        block = octets[offset:offset + SCAN_BLOCK_BYTES + 1]
        leads = np.flatnonzero((block[:-1] >= 0xC2) & (block[:-1] <= 0xF4))
        followers = block[leads + 1]
        starts = leads[(followers >= 0x80) & (followers <= 0xBF)] + offset
        if any(UTF8_MULTIBYTE.match(body, start) is not None for start in starts.tolist()):
            return True
    return False


def _line_ends(data: bytes | memoryview) -> np.ndarray:
    """The offsets of every line end (``\n``) in the bytes, found a block at a time."""
    octets = np.frombuffer(data, dtype=np.uint8)
    found = [np.flatnonzero(octets[offset:offset + SCAN_BLOCK_BYTES] == NEWLINE) + offset
             for offset in range(0, len(octets), SCAN_BLOCK_BYTES)]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)


class RawIntakeError(ValueError):
    """A raw folder that cannot be listed safely."""


@dataclass(frozen=True)
class FileFacts:
    """What the bytes of one file say, apart from any CSV parsing."""

    encoding: str | None  # "utf-8" or "windows-1252"; None with an error
    has_bom: bool
    file_bytes: int
    physical_lines: int
    empty_lines: int
    whitespace_lines: int
    header: str | None  # the first line, decoded, byte-order mark and line end stripped
    error: str | None  # what is wrong, without the path (the caller names the file)
    fingerprint: str  # SHA-256 of the bytes, hex
    # (first physical line, start byte, end byte) of each chunk (``line_chunks``)
    chunks: list[tuple[int, int, int]]


@dataclass(frozen=True)
class Entry:
    """One entry of the raw folder, read or skipped."""

    file_name: str
    path: str  # raw folder + "/" + name, as SQL must read it
    extract_name: str | None
    file_status: str  # "read", "skipped" or "error"
    skip_reason: str | None  # why skipped, or the error naming the file
    source_encoding: str | None
    has_bom: bool | None
    file_bytes: int | None
    physical_lines: int | None
    empty_lines: int | None
    whitespace_lines: int | None
    header: str | None
    file_fingerprint: str | None  # SHA-256 of the bytes (hex); None when not read
    line_chunks: list[tuple[int, int, int]] | None  # see FileFacts.chunks; None when not read


class StatKey(NamedTuple):
    """A file's status as the memo keys it, with the chunk size its facts were cut with."""

    real_path: str
    size: int
    mtime_ns: int
    ctime_ns: int  # the change time: set to the present by any write or rename
    inode: int
    device: int
    chunk_bytes: int

# Facts kept from an earlier build are trusted only for a file whose change time lies at
# least this long before its bytes were read: file times move in clock ticks, and a
# change in the tick of the reading would leave the same status behind.
TRUST_MARGIN_NS = 2_000_000_000
# How much of a file a build reads for the header line when it takes kept facts.
HEADER_READ_BYTES = 1024 * 1024


@dataclass(frozen=True)
class _Memoised:
    facts: FileFacts
    read_at_ns: int  # the time just before the file's status was taken and its bytes read


_MEMO: dict[StatKey, _Memoised] = {}
# dbt's threads list the folder at the same time (every staging base model does): one
# reads a file while the others wait for its memoised facts instead of reading it too.
_MEMO_LOCK = threading.Lock()


def _line_of(content: bytes, offset: int) -> int:
    return content.count(b"\n", 0, offset) + 1


def file_facts(content: bytes, chunk_bytes: int = RAW_CHUNK_BYTES) -> FileFacts:
    """Encoding, line counts, header and chunks of a file's bytes. The bytes are decoded
    chunk by chunk (each chunk ends at a line end, which no multi-byte sequence spans) and
    the text is not kept: only the file's bytes are held whole."""
    size = len(content)
    error: str | None = None
    encoding: str | None = None
    has_bom = content.startswith(UTF8_BOM)
    body_start = len(UTF8_BOM) if has_bom else 0
    body = memoryview(content)[body_start:]
    line_ends = _line_ends(content)  # found once, for the chunks and the line counts
    chunks = line_chunks(content, chunk_bytes, line_ends)
    for bom, name in WIDE_BOMS:
        if content.startswith(bom):
            error = f"is encoded as {name} (byte-order mark): deliver UTF-8 or Windows-1252"
            break
    else:
        if b"\x00" in content:
            nul_line = _line_of(content, content.index(b"\x00"))
            error = (f"holds NUL bytes (first on line {nul_line}):"
                     " it looks like UTF-16 or a binary file: deliver UTF-8 or Windows-1252")
    if error is None:
        bad_utf8 = _first_undecodable(content, body_start, chunks, "utf-8")
        if bad_utf8 is None:
            encoding = "utf-8"
        elif (not has_bom and _first_undecodable(content, 0, chunks, "cp1252") is None
              and not _has_utf8_multibyte(content)):
            encoding = "windows-1252"
        else:
            error = (f"is neither valid UTF-8 nor clean Windows-1252: the first byte that is"
                     f" not UTF-8 is on line {_line_of(content, bad_utf8)}")
    # a byte-order mark holds no line end: the body's line ends are the file's, shifted
    physical, empty, blank = line_counts(body, line_ends - body_start)
    header = _header(content, body_start, encoding) if physical else None
    return FileFacts(encoding, has_bom, size, physical, empty, blank, header, error,
                     hashlib.sha256(content).hexdigest(), chunks)


def _header(content: bytes, body_start: int, encoding: str | None) -> str | None:
    """The first line of ``content`` (which holds at least that line), decoded, the
    byte-order mark and the line end stripped; None without an encoding."""
    if encoding is None:
        return None
    first_end = content.find(b"\n", body_start)
    first = content[body_start:first_end if first_end >= 0 else len(content)]
    header = first.decode("cp1252" if encoding == "windows-1252" else encoding)
    return header[:-1] if header.endswith("\r") else header


def _first_undecodable(content: bytes, body_start: int, chunks: list[tuple[int, int, int]],
                       codec: str) -> int | None:
    """The offset of the first byte (from ``body_start`` on) that ``codec`` cannot decode,
    decoding a chunk at a time; None when every byte decodes. The same answer as
    decoding the bytes whole: the line ends between chunks are ASCII and end any
    multi-byte sequence in both."""
    for _, chunk_start, chunk_end in chunks:
        start = max(chunk_start, body_start)
        try:
            content[start:chunk_end].decode(codec)
        except UnicodeDecodeError as bad:
            return start + bad.start
    return None


def line_counts(body: bytes | memoryview,
                line_ends: np.ndarray | None = None) -> tuple[int, int, int]:
    """The physical lines of the bytes (split on ``\\n``; a final line end starts no new
    line), the empty ones (nothing but an optional ``\\r``) and the whitespace-only
    ones. Vectorised: the line ends are found a block at a time, and only the lines that
    start with a line end or whitespace (a handful, if any) are looked at one by one.
    ``line_ends``: the bytes' line ends when the caller has them (``_line_ends``)."""
    octets = np.frombuffer(body, dtype=np.uint8)
    if line_ends is None:
        line_ends = _line_ends(body)
    ends_with_newline = len(octets) > 0 and int(octets[-1]) == NEWLINE
    physical = len(line_ends) + (1 if len(octets) and not ends_with_newline else 0)
    starts = np.concatenate((np.zeros(1, dtype=np.intp), line_ends + 1))[:physical]
    # every start is inside the bytes: a start after a final line end is no line
    suspects = np.flatnonzero(np.isin(octets[starts], WHITESPACE_OR_NEWLINE))
    empty = blank = 0
    for index in suspects.tolist():
        start = int(starts[index])
        end = int(line_ends[index]) if index < len(line_ends) else len(octets)
        line = bytes(body[start:end])
        if line in (b"", b"\r"):
            empty += 1
        elif not line.strip(WHITESPACE):
            blank += 1
    return physical, empty, blank


def line_chunks(content: bytes, chunk_bytes: int,
                line_ends: np.ndarray | None = None) -> list[tuple[int, int, int]]:
    """The bytes cut into chunks of whole lines, as (first physical line, start byte, end
    byte) with the end exclusive: each chunk but the last ends just before a line end
    (``\n``), and the next starts just after it, so that splitting each chunk's text on
    ``\n`` gives exactly the file's lines, numbered from the chunk's first line. A chunk
    is cut at the last line end within ``chunk_bytes`` of its start (at the first line
    end after that when a line is longer). The last chunk runs to the end of the bytes,
    as a split of the whole file would. ``line_ends``: the bytes' line ends when the
    caller has them (``_line_ends``)."""
    size = len(content)
    if size <= chunk_bytes:
        return [(1, 0, size)]
    if line_ends is None:
        line_ends = _line_ends(content)
    chunks: list[tuple[int, int, int]] = []
    first_line, start = 1, 0
    while size - start > chunk_bytes:
        # the line ends within chunk_bytes of the start; else the first one after it
        cut = int(np.searchsorted(line_ends, start + chunk_bytes, side="right")) - 1
        if cut < 0 or line_ends[cut] < start:
            cut = int(np.searchsorted(line_ends, start, side="left"))
            if cut == len(line_ends):
                break
        end = int(line_ends[cut])
        chunks.append((first_line, start, end))
        # line_ends[cut] ends physical line cut + 1
        first_line, start = cut + 2, end + 1
    chunks.append((first_line, start, size))
    return chunks


def chunk_bytes_setting() -> int:
    """The chunk size: FAELLESBORGER_RAW_CHUNK_BYTES (a positive integer), else
    RAW_CHUNK_BYTES."""
    setting = os.environ.get("FAELLESBORGER_RAW_CHUNK_BYTES", "").strip()
    if not setting:
        return RAW_CHUNK_BYTES
    if not setting.isdigit() or int(setting) < 1:
        raise RawIntakeError("FAELLESBORGER_RAW_CHUNK_BYTES must be a positive number of bytes")
    return int(setting)


def _stat_key(path: str, chunk_bytes: int) -> StatKey:
    stat = os.stat(path)
    return StatKey(os.path.realpath(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns,
                   stat.st_ino, stat.st_dev, chunk_bytes)


def _facts_of(path: str, chunk_bytes: int) -> FileFacts:
    with _MEMO_LOCK:
        read_at_ns = time.time_ns()
        key = _stat_key(path, chunk_bytes)
        if key not in _MEMO:
            with open(path, "rb") as handle:
                _MEMO[key] = _Memoised(file_facts(handle.read(), chunk_bytes), read_at_ns)
        return _MEMO[key].facts


def file_fingerprint(path: str) -> str:
    """The SHA-256 (hex) of a file's bytes, from its memoised facts (read if need be)."""
    return _facts_of(path, chunk_bytes_setting()).fingerprint


def _trusted(key: StatKey, read_at_ns: int) -> bool:
    """Whether facts read at ``read_at_ns`` of a file with status ``key`` may be kept: its
    last change (``ctime_ns``) lies ``TRUST_MARGIN_NS`` or more before the reading."""
    return key.ctime_ns <= read_at_ns - TRUST_MARGIN_NS


def export_facts() -> str:
    """The memoised facts of the files this process read without error, and whose status
    allows keeping them, as JSON for the next build (UDF
    ``faellesborger_raw_facts_export``): per file its status key, when it was read, and
    its facts without the header."""
    with _MEMO_LOCK:
        kept = [{"key": list(key), "read_at_ns": memo.read_at_ns,
                 "facts": {**asdict(memo.facts), "header": None}}
                for key, memo in _MEMO.items()
                if memo.facts.error is None and _trusted(key, memo.read_at_ns)]
    return json.dumps(kept)


def _unchanged_key(item: dict[str, Any]) -> StatKey | None:
    """The status key of one file of kept facts (``export_facts``) when the file still has
    that status and the status allows keeping them; else None."""
    key = StatKey(*item["key"])
    try:
        unchanged = _stat_key(key.real_path, key.chunk_bytes) == key
    except OSError:
        return None
    return key if unchanged and _trusted(key, item["read_at_ns"]) else None


def unchanged_kept_files(kept_json: str | None) -> frozenset[str]:
    """The real paths of the files of kept facts (``export_facts``) that are unchanged:
    the files a build on that warehouse does not read again."""
    return frozenset(key.real_path for item in json.loads(kept_json or "[]")
                     if (key := _unchanged_key(item)) is not None)


def import_facts(kept_json: str | None) -> int:
    """Memoise the facts an earlier build kept (``export_facts``) for each file that is
    unchanged; the header is read anew from the file's first line. Returns how many
    files' facts were taken (UDF ``faellesborger_raw_facts_import``)."""
    taken = 0
    for item in json.loads(kept_json or "[]"):
        key = _unchanged_key(item)
        if key is None:
            continue
        kept = item["facts"]
        try:
            with open(key.real_path, "rb") as handle:
                start = handle.read(HEADER_READ_BYTES)
        except OSError:
            continue
        body_start = len(UTF8_BOM) if kept["has_bom"] else 0
        if start.find(b"\n", body_start) < 0 and len(start) < kept["file_bytes"]:
            continue  # a first line longer than the bytes read: read the whole file again
        # the kept fields by name (``export_facts`` wrote ``asdict``); JSON has no tuples
        facts = FileFacts(**{
            **kept, "error": None, "chunks": [tuple(chunk) for chunk in kept["chunks"]],
            "header": _header(start, body_start, kept["encoding"])
            if kept["physical_lines"] else None})
        with _MEMO_LOCK:
            _MEMO.setdefault(key, _Memoised(facts, item["read_at_ns"]))
        taken += 1
    return taken


def match_extract(name: str, extracts: list[str]) -> str | None:
    """The extract a file name belongs to: the longest extract name it starts with
    (case-insensitive), when it ends with ``.csv``."""
    lower = name.lower()
    if not lower.endswith(".csv"):
        return None
    found = [e for e in extracts if lower.startswith(e.lower())]
    return max(found, key=len) if found else None


def check_folder(raw_dir: str) -> None:
    """Refuse a raw folder path that DuckDB or Spark would read as a pattern."""
    if UNSAFE_NAME.search(raw_dir):
        raise RawIntakeError(
            "The raw folder's path holds a character that file readers take as a pattern"
            " or that cannot stand in SQL (* ? [ ] { } \\ ` or a control character):"
            " rename the folder")


def _unread(name: str, path: str, extract: str | None, reason: str) -> Entry:
    """An entry that is not read: skipped (no extract's file) or an error (an extract's)."""
    status = "error" if extract else "skipped"
    return Entry(name, path, extract, status, reason, None, None, None, None, None, None, None,
                 None, None)


def list_raw_folder(raw_dir: str, extracts: list[str]) -> list[Entry]:
    """Every entry of the raw folder, in name order, with what the reader makes of it."""
    check_folder(raw_dir)
    chunk_bytes = chunk_bytes_setting()
    folder = raw_dir.rstrip("/") or "/"
    if not os.path.isdir(folder):
        return []
    real_folder = os.path.realpath(folder)
    entries: list[Entry] = []
    with os.scandir(folder) as scan:
        found = sorted(scan, key=lambda e: e.name)
    for item in found:
        name = item.name
        path = f"{folder}/{name}"
        extract = match_extract(name, extracts)
        if name.startswith("."):
            entries.append(_unread(name, path, None, "hidden file"))
            continue
        if extract is None:
            kind = "a folder" if item.is_dir() else "not a raw extract's file name"
            entries.append(_unread(name, path, None, kind))
            continue
        where = f"Raw file {path} (extract '{extract}')"
        if UNSAFE_NAME.search(name):
            entries.append(_unread(name, path, extract,
                f"{where} has a name with a character that file readers take as a pattern or"
                " that cannot stand in SQL (* ? [ ] { } \\ ` or a control character):"
                " rename it"))
            continue
        if item.is_symlink():
            target = os.path.realpath(path)
            if not os.path.exists(target):
                entries.append(_unread(
                    name, path, extract, f"{where} is a symbolic link that leads nowhere"))
                continue
            if os.path.dirname(target) != real_folder:
                entries.append(_unread(name, path, extract,
                    f"{where} is a symbolic link to a file outside the raw folder: copy the"
                    " file into the folder instead"))
                continue
        if not os.path.isfile(path):
            entries.append(_unread(name, path, extract, f"{where} is not a regular file"))
            continue
        facts = _facts_of(path, chunk_bytes)
        status = "error" if facts.error else "read"
        entries.append(Entry(
            name, path, extract, status, f"{where} {facts.error}" if facts.error else None,
            facts.encoding, facts.has_bom, facts.file_bytes, facts.physical_lines,
            facts.empty_lines, facts.whitespace_lines, facts.header, facts.fingerprint,
            facts.chunks))
    return entries


def raw_listing(raw_dir: str, extracts: str) -> str:
    """The listing as JSON: ``{"error": ..., "files": [...]}`` (UDF
    ``faellesborger_raw_listing``); ``extracts`` is a comma-separated list of names."""
    names = [e.strip() for e in extracts.split(",") if e.strip()]
    try:
        files = [asdict(e) for e in list_raw_folder(raw_dir, names)]
        error = None
    except RawIntakeError as refused:
        files, error = [], str(refused)
    return json.dumps({"error": error, "files": files}, ensure_ascii=False)


def decode(content: bytes | None, encoding: str) -> str | None:
    """A file's text (UDF ``faellesborger_decode``); refuses anything but the encodings
    the listing decides."""
    if content is None:
        return None
    if encoding == "windows-1252":
        return content.decode("cp1252")
    if encoding == "utf-8":
        return content.decode("utf-8")
    raise ValueError(f"unsupported encoding {encoding!r}")


def read_bytes(path: str | None, start: int | None, end: int | None) -> bytes | None:
    """The bytes ``start`` (inclusive) to ``end`` (exclusive) of a file (UDF
    ``faellesborger_read_bytes``): one chunk of ``line_chunks``. A file shorter than the
    listing said (changed since) is an error naming the file, never a silent loss of
    its last lines."""
    if path is None or start is None or end is None:
        return None
    with open(path, "rb") as handle:
        handle.seek(start)
        content = handle.read(end - start)
    if len(content) != end - start:
        raise RawIntakeError(f"Raw file {path} changed while the build read it:"
                             " run the build again")
    return content


def register(connection: Any) -> None:
    """Register the UDFs on a DuckDB connection or cursor (once per object)."""
    from duckdb import sqltypes as duck

    existing = {row[0] for row in connection.execute(
        "select function_name from duckdb_functions()"
        " where function_name like 'faellesborger\\_%' escape '\\'").fetchall()}
    if "faellesborger_raw_listing" not in existing:
        connection.create_function(
            "faellesborger_raw_listing", raw_listing, [duck.VARCHAR, duck.VARCHAR],
            duck.VARCHAR, side_effects=True)
    if "faellesborger_read_bytes" not in existing:
        connection.create_function(
            "faellesborger_read_bytes", read_bytes, [duck.VARCHAR, duck.BIGINT, duck.BIGINT],
            duck.BLOB, side_effects=True)
    if "faellesborger_raw_facts_export" not in existing:
        connection.create_function(
            "faellesborger_raw_facts_export", export_facts, [], duck.VARCHAR,
            side_effects=True)
    if "faellesborger_raw_facts_import" not in existing:
        connection.create_function(
            "faellesborger_raw_facts_import", import_facts, [duck.VARCHAR], duck.INTEGER,
            side_effects=True)
    if "faellesborger_decode" not in existing:
        connection.create_function(
            "faellesborger_decode", decode, [duck.BLOB, duck.VARCHAR], duck.VARCHAR)
