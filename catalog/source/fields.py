"""Typed reading of a tree's scalars (``catalog.source.tree``): each catalog field's text
converted by what the field is.

Scalars arrive as the text the author wrote. A text field keeps it exactly (``no`` stays
``no``); a number field accepts plain decimal notation only, the way abstracts write numbers;
a date field accepts ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and checks the date exists.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from catalog.errors import Problem
from catalog.source.tree import Mapping, Node, OddKey, Plain, describe, is_plain, written_tag
from catalog.source.yamlsafe import place
from catalog.text import date_parts

#: The largest count a field may hold (the largest known author list is about 5,000 names).
MAX_COUNT = 100_000
_DECIMAL = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")
_EXPONENT = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)[eE][-+]?\d+")
_NON_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)")


class FieldError(Exception):
    """A field's value is wrong; carries the problem with its place."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def text(file: str, node: Node, what: str) -> str:
    """The text of a scalar, exactly as written."""
    if not isinstance(node, str):
        raise FieldError(place(file, node, f"{what} should be text, not {describe(node)}"))
    tag = written_tag(node)
    if tag not in (None, "!!str"):
        raise FieldError(place(file, node, f"{what} should be text, not {tag} {str(node)!r}: remove the tag"))
    return str(node)


def number(file: str, node: Node, what: str) -> float:
    """A finite number written in plain decimal notation."""
    if type(node) is Plain and _DECIMAL.fullmatch(node.strip()):  # the usual case, quickly
        value = float(node)
        if math.isfinite(value):
            return value
    if not isinstance(node, str):
        raise FieldError(place(file, node, f"{what} should be a number, not {describe(node)}"))
    raw = node.strip()
    tag = written_tag(node)
    if tag is not None:
        raise FieldError(
            place(file, node, f"{what} should be a number written plainly, not tagged {tag}: remove the tag")
        )
    if not is_plain(node):
        raise FieldError(
            place(file, node, f"{what} should be a number, not the quoted text {raw!r}: remove the quotes")
        )
    if _NON_FINITE.fullmatch(raw):
        raise FieldError(place(file, node, f"{what} is {raw}: numbers must be finite"))
    if _EXPONENT.fullmatch(raw):
        raise FieldError(
            place(
                file,
                node,
                f"{what} is {raw}: write numbers in plain decimal notation (1000, not 1e3), "
                "as the source does",
            )
        )
    if not _DECIMAL.fullmatch(raw):
        raise FieldError(place(file, node, f"{what} should be a number, not {raw!r}"))
    value = float(raw)
    if not math.isfinite(value):
        raise FieldError(place(file, node, f"{what} is too large to be a finite number"))
    return value


def flag(file: str, node: Node, what: str) -> bool:
    """``true`` or ``false``, unquoted."""
    if is_plain(node) and node in ("true", "false"):
        return bool(node == "true")
    raise FieldError(place(file, node, f"{what} should be true or false, not {describe(node)}"))


def count(file: str, node: Node, what: str) -> int:
    """A positive whole number."""
    if not is_plain(node) or not re.fullmatch(r"[0-9]+", node):
        raise FieldError(place(file, node, f"{what} should be a whole number, not {describe(node)}"))
    digits = node.lstrip("0") or "0"
    value = int(digits) if len(digits) <= len(str(MAX_COUNT)) else MAX_COUNT + 1
    if not 1 <= value <= MAX_COUNT:
        raise FieldError(place(file, node, f"{what} should be between 1 and {MAX_COUNT}, not {_short(node)}"))
    return value


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def date(file: str, node: Node, what: str) -> str:
    """A date as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` that exists on the calendar."""
    raw = text(file, node, what).strip()
    parts = date_parts(raw)
    if parts is None:
        raise FieldError(
            place(file, node, f"{what} should be a date like 2024-05-23 or a year like 2024, not {raw!r}")
        )
    year, month, day = parts
    try:
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError as err:
        raise FieldError(place(file, node, f"{what} {raw} is not a real date ({err})")) from None
    return raw


def text_list(file: str, node: Node, what: str) -> tuple[str, ...]:
    """A list of text items; a single text is taken as a list of one."""
    if isinstance(node, str):
        return (text(file, node, what),)
    if not isinstance(node, list):
        raise FieldError(place(file, node, f"{what} should be a list of text, not {describe(node)}"))
    return tuple(text(file, item, f"each item of {what}") for item in node)


def mapping_items(file: str, node: Node, what: str) -> list[tuple[str, Node]]:
    """The (key, value) pairs of a mapping whose keys are text."""
    if not isinstance(node, dict):
        raise FieldError(
            place(file, node, f"{what} should be a mapping (key: value lines), not {describe(node)}")
        )
    items = list(node.items())
    if type(node) is Mapping and not node.odd:  # every key is text: the usual case, quickly
        return items
    for key, _ in items:
        if type(key) is OddKey:
            raise FieldError(place(file, key, f"keys of {what} should be plain text"))
    return items
