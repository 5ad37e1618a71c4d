"""Small multiples: several plots laid out as panels, side by side as many as fit the width,
in rows of panels; and lines wrapped to that width.

Pure text in, text out: the panels are drawn by ``tui.plot``, each at the size given here.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

#: The narrowest a panel is drawn: below it the axes' ticks and titles no longer read.
PANEL_MIN_WIDTH = 40
#: The columns between two panels side by side.
GAP = 2
#: The lowest a panel is drawn, in rows of its frame.
PANEL_MIN_HEIGHT = 12

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Layout:
    """How many panels stand side by side, and each one's size."""

    columns: int
    rows: int
    """Rows of panels."""
    width: int
    """Each panel's width, in columns."""
    height: int
    """Each panel's height, in rows."""


def layout(count: int, width: int, height: int | None, screen_rows: int) -> Layout:
    """The layout of ``count`` panels in ``width`` columns: as many side by side as fit at
    least ``PANEL_MIN_WIDTH`` wide each (one at least, as wide as ``width``), then further rows.
    Each panel is ``height`` rows when given; otherwise the rows of panels share the screen's
    ``screen_rows``, none lower than ``PANEL_MIN_HEIGHT``."""
    columns = max(1, min(count, (width + GAP) // (PANEL_MIN_WIDTH + GAP)))
    rows = -(-count // columns)
    panel_width = (width - GAP * (columns - 1)) // columns
    if height is None:
        height = max(PANEL_MIN_HEIGHT, min(30, (screen_rows - 8) // rows - 2))
    return Layout(columns, rows, panel_width, height)


def visible_width(line: str) -> int:
    """How many columns ``line`` takes on a terminal, its colour codes taking none."""
    return len(_ANSI.sub("", line))


def side_by_side(panels: Sequence[str], columns: int, width: int) -> str:
    """The panels' text in rows of ``columns``, each panel padded to ``width`` columns and the
    panels of a row to the same number of lines; rows apart by a blank line."""
    out: list[str] = []
    for start in range(0, len(panels), columns):
        row = [panel.rstrip("\n").split("\n") for panel in panels[start : start + columns]]
        tall = max(len(lines) for lines in row)
        if out:
            out.append("")
        for i in range(tall):
            cells = [lines[i] if i < len(lines) else "" for lines in row]
            padded = [cell + " " * max(width - visible_width(cell), 0) for cell in cells]
            out.append((" " * GAP).join(padded).rstrip())
    return "\n".join(out) + "\n"


def wrapped(line: str, width: int, indent: str = "  ") -> list[str]:
    """``line`` in lines at most ``width`` wide, breaking between words where it can, each
    line after the first indented."""
    if len(line) <= width:
        return [line]
    return textwrap.wrap(
        line,
        width,
        subsequent_indent=indent,
        break_on_hyphens=False,
        replace_whitespace=False,
        drop_whitespace=True,
    ) or [line[:width]]
