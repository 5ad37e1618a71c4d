"""Typed reading of scalar nodes: each catalog field's text converted by what the field is.

Scalars arrive as the text the author wrote. A text field keeps it exactly (``no`` stays
``no``); a number field accepts plain decimal notation only, the way abstracts write numbers;
a date field accepts ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and checks the date exists.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from catalog.errors import Problem
from catalog.source.yamlsafe import place, written_tag
from catalog.text import date_parts

#: The largest count a field may hold (the largest known author list is about 5,000 names).
MAX_COUNT = 100_000
_NULLS = {"", "~", "null", "Null", "NULL"}
_DECIMAL = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")
_EXPONENT = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)[eE][-+]?\d+")
_NON_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)")


class FieldError(Exception):
    """A field's value is wrong; carries the problem with its place."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def describe(node: Node) -> str:
    """How to name a node's type in a message."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"{node.value!r}"


def is_plain(node: Node) -> bool:
    """Whether a scalar is written plainly: without quotes, a block indicator or a tag."""
    # The C composer marks plain scalars with '' where the Python one uses None.
    return isinstance(node, ScalarNode) and not node.style and written_tag(node) is None


def is_null(node: Node) -> bool:
    """Whether a node is YAML's null (``~``, ``null`` or nothing), written plainly."""
    return is_plain(node) and node.value in _NULLS


def text(file: str, node: Node, what: str) -> str:
    """The text of a scalar, exactly as written."""
    if not isinstance(node, ScalarNode):
        raise FieldError(place(file, node, f"{what} should be text, not {describe(node)}"))
    tag = written_tag(node)
    if tag not in (None, "!!str"):
        raise FieldError(
            place(file, node, f"{what} should be text, not {tag} {node.value!r}: remove the tag")
        )
    value: str = node.value
    return value


def number(file: str, node: Node, what: str) -> float:
    """A finite number written in plain decimal notation."""
    if not isinstance(node, ScalarNode):
        raise FieldError(place(file, node, f"{what} should be a number, not {describe(node)}"))
    raw = node.value.strip()
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
    if is_plain(node) and isinstance(node, ScalarNode) and node.value in ("true", "false"):
        return bool(node.value == "true")
    raise FieldError(place(file, node, f"{what} should be true or false, not {describe(node)}"))


def count(file: str, node: Node, what: str) -> int:
    """A positive whole number."""
    if not is_plain(node) or not re.fullmatch(r"[0-9]+", node.value):
        raise FieldError(place(file, node, f"{what} should be a whole number, not {describe(node)}"))
    digits = node.value.lstrip("0") or "0"
    value = int(digits) if len(digits) <= len(str(MAX_COUNT)) else MAX_COUNT + 1
    if not 1 <= value <= MAX_COUNT:
        raise FieldError(
            place(file, node, f"{what} should be between 1 and {MAX_COUNT}, not {_short(node.value)}")
        )
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
    if isinstance(node, ScalarNode):
        return (text(file, node, what),)
    if not isinstance(node, SequenceNode):
        raise FieldError(place(file, node, f"{what} should be a list of text, not {describe(node)}"))
    return tuple(text(file, item, f"each item of {what}") for item in node.value)


def mapping_items(file: str, node: Node, what: str) -> list[tuple[ScalarNode, Node]]:
    """The (key, value) pairs of a mapping whose keys are text."""
    if not isinstance(node, MappingNode):
        raise FieldError(
            place(file, node, f"{what} should be a mapping (key: value lines), not {describe(node)}")
        )
    items = []
    for key, value in node.value:
        if not isinstance(key, ScalarNode):
            raise FieldError(place(file, key, f"keys of {what} should be plain text"))
        items.append((key, value))
    return items
