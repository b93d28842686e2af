"""The raw intake's line counts (src/faellesborger/raw_intake.py) against their definition."""

from __future__ import annotations

import random

import pytest

from faellesborger.raw_intake import UTF8_MULTIBYTE, WHITESPACE, _has_utf8_multibyte, line_counts


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


def test_line_counts_of_random_bytes() -> None:
    """Many short random texts over the bytes that matter (line ends, whitespace, data)."""
    alphabet = [b"\n", b"\r", b" ", b"\t", b"\x0b", b"\x0c", b"a", b";", b"\xe6", b"\x00"]
    generator = random.Random(20201)
    for _ in range(20_000):
        body = b"".join(generator.choices(alphabet, k=generator.randint(0, 12)))
        assert line_counts(body) == _by_definition(body), body


def test_utf8_multibyte_search_against_the_pattern() -> None:
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
