"""The query language of the search box and of every ``--query``: free words plus filters.

``tag:quantization``, ``tag:"LLM compression"``, ``year:2024``, ``year:2023-2025``,
``pair:fid:latency`` (papers that study or measure the pair), ``setting:hardware=A100``
(results measured under that condition: papers that have one, and only those points on a
plot) and ``is:bookmarked``. Anything
else is free text for the fuzzy search. Parsing is pure and never fails, whatever the text:
a malformed filter becomes a problem to show, and an unclosed quote runs to the end, as it
does while it is being typed. Applying a query is ``catalog.query.select``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_YEARS = re.compile(r"(\d{4})(?:-(\d{4}))?")

#: The filters, as written before the colon.
FILTERS = ("tag", "year", "pair", "setting", "is")


@dataclass(frozen=True)
class Query:
    """A parsed query: the free text and each filter, with what was wrong in it."""

    text: str = ""
    tags: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    pair: tuple[str, str] | None = None
    bookmarked: bool = False
    problems: tuple[str, ...] = ()
    conditions: tuple[tuple[str, str], ...] = ()
    """Conditions every selected result was measured under, as (key, value)."""

    @property
    def has_filters(self) -> bool:
        """Whether anything but free text was asked for."""
        return bool(self.tags or self.years or self.pair or self.bookmarked or self.conditions)


def tokens(raw: str) -> list[str]:
    """The words of ``raw``; double quotes group words (``tag:"LLM compression"``).

    A single quote groups only where it opens a word or a filter's value (``tag:'a b'``), so
    an apostrophe (``what's``) stays a letter. A quote left open runs to the end.
    """
    out: list[str] = []
    current: list[str] = []
    started = False
    closing: str | None = None
    for char in raw:
        if closing is not None:
            if char == closing:
                closing = None
            else:
                current.append(char)
            continue
        if char == '"' or (char == "'" and (not current or current[-1] == ":")):
            closing, started = char, True
        elif char.isspace():
            if started and current:
                out.append("".join(current))
            current, started = [], False
        else:
            current.append(char)
            started = True
    if current:
        out.append("".join(current))
    return out


def parse_query(raw: str) -> Query:
    """Split ``raw`` into free text and filters; malformed filters are reported, never raised."""
    words: list[str] = []
    tags: list[str] = []
    years: tuple[int, int] | None = None
    pair: tuple[str, str] | None = None
    bookmarked = False
    conditions: list[tuple[str, str]] = []
    problems: list[str] = []
    for token in tokens(raw):
        key, colon, value = token.partition(":")
        key = key.lower()
        if not colon or key not in FILTERS:
            words.append(token)
        elif not value:
            problems.append(f"{key}: needs a value, as in {_EXAMPLES[key]}")
        elif key == "tag":
            tags.append(value)
        elif key == "year":
            match = _YEARS.fullmatch(value)
            if not match:
                problems.append(f"year:{value} is not a year or a range like 2023-2025")
                continue
            low = int(match.group(1))
            high = int(match.group(2) or low)
            if high < low:
                problems.append(
                    f"year:{value} is an empty range: write the earlier year first (year:{high}-{low})"
                )
                continue
            years = (low, high)
        elif key == "pair":
            ends = value.split(":")
            if len(ends) == 2 and all(ends):
                pair = (ends[0], ends[1])
            else:
                problems.append(f"pair:{value} should be pair:X:Y, two objective ids")
        elif key == "setting":
            name, equals, wanted = value.partition("=")
            if equals and name.strip() and wanted.strip():
                conditions.append((name.strip(), wanted.strip()))
            else:
                problems.append(f"setting:{value} should be setting:KEY=VALUE, like setting:hardware=A100")
        elif value.lower() == "bookmarked":
            bookmarked = True
        else:
            problems.append(f"is:{value} is not a filter: is:bookmarked is the one there is")
    return Query(" ".join(words), tuple(tags), years, pair, bookmarked, tuple(problems), tuple(conditions))


_EXAMPLES = {
    "tag": "tag:quantization",
    "year": "year:2024",
    "pair": "pair:fid:latency",
    "setting": "setting:hardware=A100",
    "is": "is:bookmarked",
}
