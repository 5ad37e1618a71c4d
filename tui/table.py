"""Plain-text tables that fit the terminal, for the command line's ``table`` output.

No Rich and no Textual here: headless commands stay quick to start. Catalog text is shown
with control characters (line breaks too) escaped, so a title cannot move the cursor or
recolour the terminal.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from catalog.text import one_line


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


#: The widest line the tool lays out for, whatever ``COLUMNS`` claims.
WIDEST = 1000


def terminal_width(default: int = 100) -> int:
    """The terminal's width, or ``COLUMNS``, or ``default`` when output is not a terminal (at
    least 20, at most ``WIDEST``)."""
    return max(20, min(shutil.get_terminal_size((default, 24)).columns, WIDEST))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    return one_line(str(value))


def _fit(
    widths: list[int], total: int, gap: int, keep: Sequence[int] = (), first: Sequence[int] = ()
) -> list[int]:
    """Shrink the widest columns until the row fits ``total`` characters: those in ``first``
    down to 20 characters before any other; then the others down to 16; then the ``keep``
    columns (text to type again, such as a pair's ids: a longer cell then goes on a line of
    its own, whole) down to 20; then the others as far as 6."""
    widths = list(widths)
    others = [i for i in range(len(widths)) if i not in keep]
    for group, floor in ((list(first), 20), (others, 16), (list(keep), 20), (others, 6)):
        while sum(widths) + gap * (len(widths) - 1) > total:
            wide = [i for i in group if widths[i] > floor]
            if not wide:
                break
            widths[max(wide, key=lambda i: widths[i])] -= 1
    return widths


def plural(count: int, word: str) -> str:
    """``3 points``, ``1 point``, ``3,000 papers``."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def format_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    width: int | None = None,
    colour: bool = False,
    align_right: Sequence[int] = (),
    keep: Sequence[int] = (),
    shrink_first: Sequence[int] = (),
) -> str:
    """``rows`` under ``headers`` in aligned columns no wider than ``width``; the columns in
    ``keep`` are never cut, those in ``shrink_first`` give way before the others."""
    cells = [[_cell(v) for v in row] for row in rows]
    natural = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    widths = _fit(natural, width or terminal_width(), gap=2, keep=keep, first=shrink_first)
    bold, reset = ("\x1b[1m", "\x1b[0m") if colour else ("", "")

    def line(values: Sequence[str]) -> str:
        whole = [values[i] for i in keep if len(values[i]) > widths[i]]
        if whole:  # never cut: said whole on its own line, the row under it
            values = ["" if i in keep and len(v) > widths[i] else v for i, v in enumerate(values)]
        parts = []
        for i, (value, w) in enumerate(zip(values, widths)):
            text = clip(value, w)
            parts.append(text.rjust(w) if i in align_right else text.ljust(w))
        return "".join(f"{text}\n" for text in whole) + "  ".join(parts).rstrip()

    out = [bold + line(headers) + reset]
    out += [line(r) for r in cells]
    return "\n".join(out) + "\n"


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    stream: TextIO | None = None,
    align_right: Sequence[int] = (),
    keep: Sequence[int] = (),
    shrink_first: Sequence[int] = (),
) -> None:
    """Print a table to ``stream`` (stdout), coloured only where colour is wanted."""
    stream = stream or sys.stdout
    stream.write(
        format_table(
            headers,
            rows,
            colour=use_colour(stream),
            align_right=align_right,
            keep=keep,
            shrink_first=shrink_first,
        )
    )
