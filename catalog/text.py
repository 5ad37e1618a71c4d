"""Text helpers shared by validation, search and import: numbers in prose, spacing, safe display."""

from __future__ import annotations

import re
from typing import Any

# A number as prose writes it: 7.59, 1,000, .5, 3 336 is two numbers (3 and 336) on purpose.
# That is ``(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)|(?<!\w)\.\d+``, written to
# begin with its first character rather than a look back, which finds numbers twice as fast
# (the look back moves behind that character; ``tests/test_text.py`` checks the two agree).
_NUMBER = re.compile(r"\d(?<![\w.]\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?(?!\d)|\.(?<!\w\.)\d+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_EVERY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_parts(text: str) -> tuple[int, int | None, int | None] | None:
    """The year, month and day of a date written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (None
    for what it does not say), or None when it is not written so. Whether it exists on the
    calendar is the caller's to check."""
    found = _DATE.fullmatch(text.strip())
    if not found:
        return None
    year, month, day = found.groups()
    return int(year), int(month) if month else None, int(day) if day else None


def numbers_in(text: str) -> list[tuple[float, int, int]]:
    """Every number written in ``text``, as (value, start, end), ignoring signs and units."""
    found = []
    for match in _NUMBER.finditer(text):
        found.append((float(match.group().replace(",", "")), match.start(), match.end()))
    return found


_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000}
#: Numbers prose writes in words: "ten times faster", "twice as slow", "halves the cost".
WORD_NUMBERS: dict[str, float] = {
    **{word: float(n) for n, word in enumerate(_UNITS, start=1)},
    **{word: float(n) for word, n in _TENS.items()},
    "twice": 2.0,
    "double": 2.0,
    "doubles": 2.0,
    "thrice": 3.0,
    "triple": 3.0,
    "triples": 3.0,
    "half": 0.5,
    "halves": 0.5,
}
_WORD = re.compile(r"\b(" + "|".join(WORD_NUMBERS) + r")\b", re.IGNORECASE)
# "an order of magnitude" is 10, "two orders of magnitude" 10 ** 2.
_MAGNITUDE = re.compile(r"\b(an?|one|two|three|four|five|six)\s+orders?\s+of\s+magnitude\b", re.IGNORECASE)


def word_numbers(text: str) -> set[float]:
    """The numbers ``text`` writes in words: ``ten`` times, ``twice``, ``an order of magnitude``."""
    found = {WORD_NUMBERS[m.group(1).lower()] for m in _WORD.finditer(text)}
    for match in _MAGNITUDE.finditer(text):
        count = match.group(1).lower()
        found.add(10.0 ** (1 if count in ("a", "an") else WORD_NUMBERS[count]))
    return found


def digit_numbers(text: str) -> set[float]:
    """The numbers ``text`` writes in digits, signs ignored (the values of ``numbers_in``)."""
    return {float(found.replace(",", "")) for found in _NUMBER.findall(text)}


def number_set(text: str) -> set[float]:
    """The numbers written in ``text``, in digits or in words, signs ignored."""
    return digit_numbers(text) | word_numbers(text)


def squash_space(text: str) -> str:
    """``text`` with every run of whitespace made one space, ends trimmed."""
    return " ".join(text.split())  # str.split breaks at exactly what the pattern \s+ matches


_NAME_UNSAFE = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f\u2028\u2029\udc80-\udcff]")


def shown_name(name: str) -> str:
    """A file name as text that prints on one line: control characters, line breaks and bytes
    that are not UTF-8 (Python holds those as surrogates) shown as escapes, ``\\n``, ``\\xff``."""
    if name.isprintable():
        return name
    return _NAME_UNSAFE.sub(_escape, name)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return match.group().encode("unicode_escape").decode("ascii")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters shown as escapes, not obeyed."""
    return _CONTROL.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def one_line(text: str) -> str:
    """``text`` on one line, safe to print on a terminal: every control character, tabs and line
    breaks included (``\\n``, ``\\t``, ``\\x1b``, ``\\x9b``, ``\\u2028``), shown as an escape."""
    return _EVERY_CONTROL.sub(_escaped, text)


def terminal_safe(value: Any) -> Any:
    """``value`` with every string in it (mapping keys too, in lists, tuples and mappings) passed
    through ``one_line``: records a terminal can be shown as they are. Other values stay as they are."""
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, dict):
        return {terminal_safe(k): terminal_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [terminal_safe(v) for v in value]
    if isinstance(value, tuple):
        return tuple(terminal_safe(v) for v in value)
    return value


# Markdown's inline markup: emphasis, code, links and images, HTML, tables, strikethrough,
# math (GitHub's ``$``), entities, and ``#`` (a heading where a block starts).
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[<>|~$#&])")
# What makes a block of a line's start: a list item (``- ``, ``+ ``, ``1. ``, ``1) ``), a rule
# or a heading's underline (``---``, ``===``). A number (``-40``, ``81.5``) is none of them.
_MARKDOWN_BLOCK = re.compile(r"^(?:(\d+)([.)])(?=\s|$)|([-+=])(?=\s|$|\3))")


def markdown_text(text: str) -> str:
    """``text`` as Markdown that shows it as written, wherever it stands in a line: every
    character of inline markup backslash-escaped (CommonMark lets any ASCII punctuation be),
    and a start that would begin a list or a heading escaped too. Line breaks are left to
    the caller."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", text)
    return _MARKDOWN_BLOCK.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)


_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # Not special, but the default (OT1) fonts print other glyphs for them.
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
# BibTeX counts every brace, escaped or not, so a lone ``\{`` unbalances an entry.
_BIBTEX = {**_LATEX, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}


def latex_text(text: str, *, bibtex: bool = False) -> str:
    """``text`` as LaTeX that typesets it as written: each special character (``\\ & % $ # _
    { } ~ ^``, and ``< > |``) as the command that prints it. ``bibtex``: braces as commands
    too, for a BibTeX field. Other characters (non-ASCII ones, control characters) are left
    as they are."""
    table = _BIBTEX if bibtex else _LATEX
    return "".join(table.get(char, char) for char in text)
