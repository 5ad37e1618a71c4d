"""Read the text of a papers listing page (as copied from a browser) into entries.

Such a page is blocks separated by blank lines: a title (one line), its abstract (a paragraph),
then usually a block of metadata::

      • 4 authors
    ·
    Nov 12, 2023

A date without a year is from the year the page was captured; a number after the date is an
upvote count. Header lines (site name, "Subscribe", ...) are single lines not followed by a
paragraph, so they are never taken for titles.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_AUTHORS = re.compile(r"\s*•\s*(\d+)\s+authors?\s*")
_DATE = re.compile(
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (\d{1,2})(?:, (\d{4}))?(?: (\d+))?"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1
    )
}
_URL = re.compile(r"https?://[^\s)\]}>,;\"']+")
#: A paragraph at least this long (or with this many words) is an abstract, not a header line.
_MIN_ABSTRACT_CHARS = 200
_MIN_ABSTRACT_WORDS = 25


@dataclass(frozen=True)
class PageEntry:
    """One paper as the page lists it."""

    title: str
    abstract: str
    line: int
    authors_count: int | None = None
    published: str | None = None
    year_assumed: bool = False
    """Whether the page gave the date without a year, so ``published`` took the assumed one."""

    @property
    def code(self) -> tuple[str, ...]:
        """Links the abstract gives (to code, models or data), without trailing punctuation."""
        return tuple(dict.fromkeys(url.rstrip(".") for url in _URL.findall(self.abstract)))


def _is_paragraph(block: str) -> bool:
    text = block.strip()
    if "\n" in text or _AUTHORS.match(text) or _DATE.fullmatch(text):
        return False
    return len(text) >= _MIN_ABSTRACT_CHARS or len(text.split()) >= _MIN_ABSTRACT_WORDS


def _is_title(block: str) -> bool:
    text = block.strip()
    return bool(text) and "\n" not in text and not _AUTHORS.match(text) and not _DATE.fullmatch(text)


def _parse_date(text: str, year: int) -> str | None:
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    month, day = _MONTHS[match.group(1)[:3]], int(match.group(2))
    try:
        return dt.date(int(match.group(3) or year), month, day).isoformat()
    except ValueError:
        return None


def _metadata(block: str, year: int) -> tuple[int | None, str | None, bool]:
    """The block's author count, date, and whether the date's year was assumed."""
    authors = published = None
    assumed = False
    for line in block.splitlines():
        if m := _AUTHORS.fullmatch(line):
            authors = int(m.group(1))
        elif (date := _parse_date(line, year)) is not None:
            published = date
            match = _DATE.fullmatch(line.strip())
            assumed = match is not None and match.group(3) is None
    return authors, published, assumed


def parse_page(text: str, year: int) -> list[PageEntry]:
    """The entries of a listing page; ``year`` is the year dates without one belong to."""
    blocks: list[tuple[int, str]] = []  # (first line, text)
    current: list[str] = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, "\n".join(current)))
            current = []
    if current:
        blocks.append((start, "\n".join(current)))
    entries = []
    i = 0
    while i < len(blocks) - 1:
        (at, title), (_, abstract) = blocks[i], blocks[i + 1]
        if _is_title(title) and _is_paragraph(abstract):
            authors = published = None
            assumed = False
            step = 2
            if i + 2 < len(blocks) and _AUTHORS.match(blocks[i + 2][1].splitlines()[0]):
                authors, published, assumed = _metadata(blocks[i + 2][1], year)
                step = 3
            entries.append(PageEntry(title.strip(), abstract.strip(), at, authors, published, assumed))
            i += step
        else:
            i += 1
    return entries
