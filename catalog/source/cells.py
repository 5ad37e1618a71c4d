"""The cells of a table's row: the row split as its source lays it out, each cell read by its column.

A row is kept exactly as the source writes it, and its numbers are read from it: a value's cell
must hold exactly one number (units and markup around it are fine: ``**2.4 GB**``), an empty
cell or a dash means no value. Plain functions over text, so the rules are tested on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from catalog.model import Value
from catalog.text import numbers_in

ColumnKind = Literal["method", "value", "condition", "skip"]
#: Cells meaning "no value here".
#: (With an en dash and an em dash; ``n/c``: not computed.)
EMPTY = {"", "-", "\u2013", "\u2014", "n/a", "N/A", "NA", "n/c"}
_ID = re.compile(r"[a-z][a-z0-9_]*")
_MINUS = ("-", "\u2212", "\u2013")  # a hyphen, a minus sign, an en dash


@dataclass(frozen=True)
class Column:
    """What one cell of every row is."""

    kind: ColumnKind
    name: str = ""
    """The value's objective (``kind`` value) or the condition's key (``kind`` condition)."""
    benchmark: str | None = None


def parse_column(written: str) -> Column | None:
    """A column as written in ``columns``: ``method``, ``-``, ``=key`` or an axis (None: none of them)."""
    text = written.strip()
    if text == "method":
        return Column("method")
    if text == "-":
        return Column("skip")
    if text.startswith("="):
        return Column("condition", text[1:])
    oid, _, benchmark = text.partition("/")
    if not _ID.fullmatch(oid) or (benchmark and not _ID.fullmatch(benchmark)):
        return None
    return Column("value", oid, benchmark or None)


_HTML_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>")
_HTML_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&quot;": '"', "&#39;": "'"}


def _html_cells(row: str) -> list[str]:
    """The text of each ``<td>`` (or ``<th>``) of an HTML table row, its tags left out."""
    cells = []
    for match in _HTML_CELL.finditer(row):
        text = _HTML_TAG.sub("", match.group(1))
        for entity, char in _HTML_ENTITIES.items():
            text = text.replace(entity, char)
        cells.append(" ".join(text.split()))
    return cells


def split_row(row: str, split: str | None = None, columns: int = 0) -> list[str]:
    """The cells of ``row``, trimmed: split on ``split`` (``html``: the text of each ``<td>``;
    ``words``: on runs of spaces, the first cell taking the words beyond the ``columns``, as
    text extracted from a PDF lays a row out), or as a Markdown table row (``| a | b |``)."""
    if split == "html":
        return _html_cells(row)
    if split == "words":
        words = row.split()
        extra = len(words) - columns
        return [" ".join(words[: extra + 1]), *words[extra + 1 :]] if extra > 0 else words
    text = row.strip()
    if split is None:
        split = "|"
        if text.startswith("|"):
            text = text[1:]
        if text.endswith("|") and not text.endswith("\\|"):
            text = text[:-1]
    elif split == "&":
        text = text.removesuffix("\\\\").rstrip()  # a LaTeX row ends with \\
    return [cell.strip() for cell in text.split(split.replace("\\t", "\t"))]


@dataclass(frozen=True)
class ReadRow:
    """What a row's cells say: its method, its values and conditions, or what is wrong with it."""

    method: str | None
    values: tuple[Value, ...]
    conditions: tuple[tuple[str, str], ...]
    problems: tuple[str, ...]


_SUPERSCRIPTS = str.maketrans(
    "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b\u207a", "0123456789-+"
)
# A number in scientific notation as tables write it: 4.6E9, 1.6e23, 1.6·10²³, 3 x 10^21.
_SCIENTIFIC = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:[eE]([-+]?\d+)|[\u00b7\u00d7x*]\s*10\s*"
    r"(?:\^\s*([-+]?\d+)|([\u207b\u207a]?[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+)))"
)


def _scientific(match: re.Match[str]) -> float:
    """The number a match of ``_SCIENTIFIC`` writes, exactly as written (``1.6·10²³`` is 1.6e23)."""
    exponent = next(e for e in match.groups()[1:] if e is not None).translate(_SUPERSCRIPTS)
    return float(f"{match.group(1)}e{int(exponent)}")


def cell_number(cell: str) -> float | str | None:
    """The one number in ``cell`` (its sign kept), None for an empty cell, or why it has none.

    Scientific notation counts as one number, as the table writes it: ``1.6·10²³`` is 1.6e23.
    """
    if cell.strip("*_ ") in EMPTY:
        return None
    scientific = list(_SCIENTIFIC.finditer(cell))
    if len(scientific) == 1:
        match = scientific[0]
        if not numbers_in(cell[: match.start()] + " " + cell[match.end() :]):
            number = _scientific(match)
            return -number if cell[: match.start()].rstrip("*_$ ").endswith(_MINUS) else number
    found = numbers_in(cell)
    if len(found) != 1:
        return f"the cell {cell!r} holds {len(found)} numbers: a value's cell holds one"
    number, start, _ = found[0]
    before = cell[:start].rstrip("*_$ ")
    if before.endswith(_MINUS) and not before[:-1].rstrip().endswith(tuple("0123456789")):
        number = -number
    return number


def row_numbers(row: str) -> set[float]:
    """Every number a row writes, signs ignored, scientific notation read whole (``4.6E9``)."""
    found = {value for value, _, _ in numbers_in(row)}
    found.update(_scientific(match) for match in _SCIENTIFIC.finditer(row))
    return found


def read_cells(columns: list[Column], cells: list[str]) -> ReadRow:
    """Read each cell by its column (``cells`` as many as ``columns``)."""
    method = None
    values: list[Value] = []
    conditions: list[tuple[str, str]] = []
    problems: list[str] = []
    for column, cell in zip(columns, cells):
        if column.kind == "method":
            method = cell.strip("*_ ") or None
        elif column.kind == "condition":
            if cell.strip("*_ ") not in EMPTY:
                conditions.append((column.name, cell.strip("*_ ")))
        elif column.kind == "value":
            number = cell_number(cell)
            if isinstance(number, str):
                problems.append(number)
            elif number is not None:
                values.append(Value(column.name, number, "absolute", column.benchmark))
    return ReadRow(method, tuple(values), tuple(conditions), tuple(problems))
