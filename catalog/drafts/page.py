"""Read the text of a papers listing page (as copied from a browser) into entries.

Such a page is blocks separated by blank lines: a title (one line), its abstract (a paragraph),
then usually a block of metadata::

      • 4 authors
    ·
    Nov 12, 2023

A date without a year is from the year the page was captured; a number after the date is an
upvote count. Header lines (site name, "Subscribe", ...) are single lines not followed by a
paragraph, so they are never taken for titles.

Lines end at ``\n``, ``\r\n`` or ``\r``; every other character (U+2028, U+0085, control
characters) is text and stays in the entry as the page has it. Titles and abstracts lose only
their leading and trailing whitespace.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from catalog.source.fields import MAX_COUNT

#: Largest page an import reads. A listing page of 1,000 papers is under 2 MB of text.
MAX_PAGE_BYTES = 20 * 1024 * 1024
#: Most papers one import turns into drafts; a bigger page is imported in parts.
MAX_PAGE_PAPERS = 1000

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
_LINE_END = re.compile(r"\r\n|\r|\n")


class PageError(Exception):
    """The page cannot be read: not a regular file, too big, or not UTF-8 text."""


def _check_stat(info: os.stat_result) -> None:
    """Refuse what is not a regular file, or is bigger than a page can be."""
    if stat.S_ISDIR(info.st_mode):
        raise PageError("this is a folder: give the file that holds the page's text")
    if not stat.S_ISREG(info.st_mode):
        raise PageError(
            "not a regular file (a pipe, socket or device): save the page's text to a file and import that"
        )
    if info.st_size > MAX_PAGE_BYTES:
        raise PageError(_too_big(info.st_size))


def _too_big(size: int) -> str:
    """What to say of a page of ``size`` bytes, over the limit."""
    return (
        f"the file is {size:,} bytes, over the {MAX_PAGE_BYTES:,} ({MAX_PAGE_BYTES // 2**20} MB) "
        "a listing page can be: check it is the page's text, or import the page in parts"
    )


def read_page(path: Path) -> str:
    """The text of the page file at ``path`` (a byte order mark opening it dropped): a regular
    file of UTF-8 text of at most ``MAX_PAGE_BYTES``. Raises ``PageError`` saying why not; a
    pipe or device is never read, so it cannot block or run on for ever."""
    try:
        _check_stat(os.stat(path))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise PageError(f"cannot read it ({err.strerror or err})") from None
    try:
        _check_stat(os.fstat(fd))  # what was opened, should the path have changed meanwhile
        data = _read_at_most(fd, MAX_PAGE_BYTES + 1)
    except OSError as err:
        raise PageError(f"cannot read it ({err.strerror or err})") from None
    finally:
        os.close(fd)
    if len(data) > MAX_PAGE_BYTES:
        raise PageError(_too_big(len(data)))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise PageError(f"cannot read it as UTF-8 text ({err})") from None


def _read_at_most(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes of the open file ``fd``, however big it has grown since its size was seen."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(fd, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


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
    except (ValueError, OverflowError):
        return None


def _count(digits: str) -> int | None:
    """An author count the catalog accepts (1 to ``MAX_COUNT``), or None."""
    if len(digits) > len(str(MAX_COUNT)):
        return None
    value = int(digits)
    return value if 1 <= value <= MAX_COUNT else None


def _metadata(block: str, year: int) -> tuple[int | None, str | None, bool]:
    """The block's author count, date, and whether the date's year was assumed."""
    authors = published = None
    assumed = False
    for line in block.splitlines():
        if m := _AUTHORS.fullmatch(line):
            authors = _count(m.group(1))
        elif (date := _parse_date(line, year)) is not None:
            published = date
            match = _DATE.fullmatch(line.strip())
            assumed = match is not None and match.group(3) is None
    return authors, published, assumed


def parse_page(text: str, year: int) -> list[PageEntry]:
    """The entries of a listing page; ``year`` is the year dates without one belong to."""
    blocks: list[tuple[int, str]] = []  # (first line, text)
    current: list[str] = []
    for number, line in enumerate(_LINE_END.split(text), start=1):
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
