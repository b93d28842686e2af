"""The raw intake's line counts and chunks (src/faellesborger/raw_intake.py) against their
definition."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import time
from pathlib import Path

import pytest

from faellesborger import raw_intake
from faellesborger.raw_intake import (
    UTF8_BOM,
    UTF8_MULTIBYTE,
    WHITESPACE,
    _has_utf8_multibyte,
    file_facts,
    line_chunks,
    line_counts,
)


def _by_definition(body: bytes) -> tuple[int, int, int]:
    """Physical, empty and whitespace-only lines, by splitting the bytes on line ends."""
    lines = body.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # a final line end starts no new line
    empty = sum(1 for line in lines if line in (b"", b"\r"))
    blank = sum(1 for line in lines if line not in (b"", b"\r") and not line.strip(WHITESPACE))
    return len(lines), empty, blank


@pytest.mark.parametrize("body", [
    b"", b"\n", b"\r", b"\r\n", b"\n\n", b" ", b" \n", b"a", b"a\n", b"a\n\n", b"a\n \n",
    b"a\n\r\n\t\x0b\x0c\r", b"h;i\r\n1;2\r\n\r\n  \r\n3;4", b"\n\na", b"\x0c",
])
def test_line_counts_of_edge_cases(body: bytes) -> None:
    assert line_counts(body) == _by_definition(body)


@pytest.fixture(params=[1, 2, 3, raw_intake.SCAN_BLOCK_BYTES])
def scan_block(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """The vectorised scans with tiny blocks too, so that lines, sequences and line ends
    cross block boundaries."""
    monkeypatch.setattr(raw_intake, "SCAN_BLOCK_BYTES", request.param)
    return int(request.param)


def test_line_counts_of_random_bytes(scan_block: int) -> None:
    """Many short random texts over the bytes that matter (line ends, whitespace, data)."""
    alphabet = [b"\n", b"\r", b" ", b"\t", b"\x0b", b"\x0c", b"a", b";", b"\xe6", b"\x00"]
    generator = random.Random(20201)
    for _ in range(20_000):
        body = b"".join(generator.choices(alphabet, k=generator.randint(0, 12)))
        assert line_counts(body) == _by_definition(body), body


def test_utf8_multibyte_search_against_the_pattern(scan_block: int) -> None:
    """The search for a well-formed UTF-8 sequence finds one exactly where the pattern
    does, in random bytes around the lead and continuation ranges."""
    alphabet = [bytes([value]) for value in (
        0x41, 0x3B, 0x0A, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
        0xE0, 0xE6, 0xED, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xF8, 0xFF)]
    generator = random.Random(20202)
    found = 0
    for _ in range(20_000):
        body = b"".join(generator.choices(alphabet, k=generator.randint(0, 8)))
        expected = UTF8_MULTIBYTE.search(body) is not None
        found += expected
        assert _has_utf8_multibyte(body) == expected, body
    assert 0 < found < 20_000


def _lines_from_chunks(content: bytes, chunk_bytes: int) -> list[tuple[int, bytes]]:
    """(physical line, line) as the DuckDB reader makes them: each chunk split on line
    ends, numbered from its first line."""
    numbered: list[tuple[int, bytes]] = []
    chunks = line_chunks(content, chunk_bytes)
    for first_line, start, end in chunks:
        assert 0 <= start <= end <= len(content)
        numbered += [(first_line + index, line)
                     for index, line in enumerate(content[start:end].split(b"\n"))]
    # the chunks cover the bytes; between two chunks lies exactly one line end
    assert chunks[0][1] == 0 and chunks[-1][2] == len(content)
    for (_, _, end), (_, start, _) in itertools.pairwise(chunks):
        assert content[end:start] == b"\n"
    return numbered


def test_chunks_give_the_lines_of_the_whole_file() -> None:
    """Split chunk by chunk, a file gives the same numbered lines as split whole, for any
    chunk size: lines longer than a chunk, line ends at the cut, a final line end or
    none, empty lines."""
    alphabet = [b"\n", b"\r", b"a", b";", b"bb", b"\xe6"]
    generator = random.Random(20203)
    for _ in range(5_000):
        content = b"".join(generator.choices(alphabet, k=generator.randint(0, 40)))
        whole = list(enumerate(content.split(b"\n"), start=1))
        for chunk_bytes in (1, 2, 3, 5, 8, 64):
            assert _lines_from_chunks(content, chunk_bytes) == whole, (content, chunk_bytes)


def test_chunks_stay_within_their_size() -> None:
    """Each chunk holds at most chunk_bytes unless one line alone is longer."""
    content = b"".join(b"x" * (n % 7) + b"\n" for n in range(1_000))
    for first_line, start, end in line_chunks(content, 16):
        assert end - start <= 16
        assert content[start - 1:start] in (b"", b"\n")
        assert first_line == content.count(b"\n", 0, start) + 1
    assert len(line_chunks(content, 16)) > 100
    assert line_chunks(content, len(content)) == [(1, 0, len(content))]


def _facts_by_definition(content: bytes) -> tuple[str | None, str | None, str | None]:
    """Encoding, header and error from the bytes decoded whole."""
    has_bom = content.startswith(UTF8_BOM)
    body = content[len(UTF8_BOM):] if has_bom else content
    try:
        text: str | None = body.decode("utf-8")
        encoding: str | None = "utf-8"
        error = None
    except UnicodeDecodeError as bad:
        try:
            cp1252: str | None = body.decode("cp1252")
        except UnicodeDecodeError:
            cp1252 = None
        if cp1252 is not None and not has_bom and UTF8_MULTIBYTE.search(body) is None:
            text, encoding, error = cp1252, "windows-1252", None
        else:
            text, encoding = None, None
            line = body.count(b"\n", 0, bad.start) + 1
            error = ("is neither valid UTF-8 nor clean Windows-1252: the first byte that is"
                     f" not UTF-8 is on line {line}")
    header = None
    if text is not None and body:
        first = text.split("\n", 1)[0]
        header = first[:-1] if first.endswith("\r") else first
    return encoding, header, error


def test_file_facts_decoded_in_chunks_as_whole(scan_block: int) -> None:
    """Encoding, header, line counts and the line of the first bad byte are those of the
    bytes decoded whole, for any chunk size: UTF-8 sequences, Windows-1252 letters, bytes neither
    decodes, byte-order marks, line ends at the chunk boundaries."""
    alphabet = [b"\n", b"\r\n", b"a;", b" ", b"\r",
                b"\xc3\xa6", b"\xc3", b"\xe6", b"\x81", b"\xa6", b"\x80"]
    generator = random.Random(20204)
    for _ in range(3_000):
        content = b"".join(generator.choices(alphabet, k=generator.randint(0, 12)))
        if generator.random() < 0.2:
            content = UTF8_BOM + content
        expected = _facts_by_definition(content)
        for chunk_bytes in (1, 4, 1 << 20):
            facts = file_facts(content, chunk_bytes)
            assert (facts.encoding, facts.header, facts.error) == expected, (content, chunk_bytes)
            # the line counts are the body's (after any byte-order mark), by definition
            body = content[len(UTF8_BOM):] if content.startswith(UTF8_BOM) else content
            counts = (facts.physical_lines, facts.empty_lines, facts.whitespace_lines)
            assert counts == _by_definition(body), (content, chunk_bytes)


EXTRACTS = "bif_ydelsesforloeb,cpr_personer"


def _kept_folder(tmp_path: Path) -> Path:
    """A raw folder of two files (one Windows-1252 with a header of æ, one UTF-8 with a
    byte-order mark), listed once: the process memo holds their facts."""
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "bif_ydelsesforloeb_20220114.csv").write_bytes(
        "cpr;m\xe6lgruppe\r\n0101011234;2.1\r\n\r\n".encode("cp1252"))
    (folder / "cpr_personer_20220114.csv").write_bytes(UTF8_BOM + b"cpr;herkomst\n1;x\n")
    return folder


@pytest.fixture
def fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty memo, restored after the test; facts of files changed a moment ago are
    kept (no margin), unless a test sets one."""
    monkeypatch.setattr(raw_intake, "_MEMO", {})
    monkeypatch.setattr(raw_intake, "TRUST_MARGIN_NS", 0)


def _unreadable(content: bytes, chunk_bytes: int = 0) -> raw_intake.FileFacts:
    raise AssertionError("a file was read whole although its facts were kept")


@pytest.mark.usefixtures("fresh_memo")
def test_kept_facts_give_the_same_listing_without_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Facts kept by one build and taken by the next give the same listing, headers
    included, without reading the files whole; the kept JSON holds no header."""
    folder = _kept_folder(tmp_path)
    listed = raw_intake.raw_listing(str(folder), EXTRACTS)
    kept = raw_intake.export_facts()
    assert "m\\u00e6lgruppe" not in kept and "mælgruppe" not in kept and "herkomst" not in kept
    raw_intake._MEMO.clear()
    monkeypatch.setattr(raw_intake, "file_facts", _unreadable)
    assert raw_intake.import_facts(kept) == 2
    assert raw_intake.raw_listing(str(folder), EXTRACTS) == listed


@pytest.mark.usefixtures("fresh_memo")
def test_a_file_changed_since_is_read_again(tmp_path: Path) -> None:
    """A file rewritten after the facts were kept, with the same size and its
    modification time set back, is read again: its change time moved."""
    folder = _kept_folder(tmp_path)
    raw_intake.raw_listing(str(folder), EXTRACTS)
    kept = raw_intake.export_facts()
    changed = folder / "cpr_personer_20220114.csv"
    before = changed.stat()
    time.sleep(0.05)
    changed.write_bytes(UTF8_BOM + b"cpr;herkomst\n2;y\n")
    os.utime(changed, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert changed.stat().st_size == before.st_size
    raw_intake._MEMO.clear()
    assert raw_intake.import_facts(kept) == 1
    entries = {e["file_name"]: e for e in json.loads(
        raw_intake.raw_listing(str(folder), EXTRACTS))["files"]}
    fingerprint = hashlib.sha256(changed.read_bytes()).hexdigest()
    assert entries[changed.name]["file_fingerprint"] == fingerprint


@pytest.mark.usefixtures("fresh_memo")
def test_facts_of_a_file_changed_just_before_reading_are_not_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Facts of a file whose change time lies within the margin before its reading are
    neither kept nor, if kept by an older build, taken."""
    folder = _kept_folder(tmp_path)
    raw_intake.raw_listing(str(folder), EXTRACTS)
    kept = raw_intake.export_facts()
    monkeypatch.setattr(raw_intake, "TRUST_MARGIN_NS", 3_600 * 10**9)
    assert json.loads(raw_intake.export_facts()) == []
    raw_intake._MEMO.clear()
    assert raw_intake.import_facts(kept) == 0
