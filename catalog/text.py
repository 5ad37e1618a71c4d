"""Text helpers shared by validation, search and import: numbers in prose, spacing, safe display."""

from __future__ import annotations

import re

# A number as prose writes it: 7.59, 1,000, .5, 3 336 is two numbers (3 and 336) on purpose.
_NUMBER = re.compile(r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])|(?<![\w\d])\.\d+")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def numbers_in(text: str) -> list[tuple[float, int, int]]:
    """Every number written in ``text``, as (value, start, end), ignoring signs and units."""
    found = []
    for match in _NUMBER.finditer(text):
        found.append((float(match.group().replace(",", "")), match.start(), match.end()))
    return found


def number_set(text: str) -> set[float]:
    """The numbers written in ``text``, signs ignored."""
    return {value for value, _, _ in numbers_in(text)}


def squash_space(text: str) -> str:
    """``text`` with every run of whitespace made one space, ends trimmed."""
    return _SPACE.sub(" ", text).strip()


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters shown as escapes, not obeyed."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
