"""How a line of the paper list looks: its columns, their widths, one row drawn as a strip."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from catalog.query.explore import PaperRow
from tui.widgets.plain import plain

MATCH_STYLE = "bold underline"
#: The columns: key, header, width, right-aligned. The title takes the room the others leave;
#: below ``MIN_TITLE`` the pairs give way to it, down to ``MIN_PAIRS``.
COLUMNS = (
    ("title", "Title", 0, False),
    ("year", "Year", 4, True),
    ("pairs", "Pairs", 22, False),
    ("results", "Res", 3, True),
    ("mark", "★", 1, False),
)
KEYS = [key for key, *_ in COLUMNS]
MIN_TITLE, MIN_PAIRS = 28, 8
#: Each cell has a space of padding on either side.
PADDING = 1


def widths(total: int) -> list[int]:
    """Each column's width in cells, without its padding, in a line ``total`` cells wide."""
    fixed = sum(width for key, _, width, _ in COLUMNS if key not in ("title", "pairs"))
    room = total - fixed - 2 * PADDING * len(COLUMNS)
    pairs = max(min(room - MIN_TITLE, 22), MIN_PAIRS)
    title = max(room - pairs, 1)
    return [{"title": title, "pairs": pairs}.get(key, width) for key, _, width, _ in COLUMNS]


def spans(total: int) -> list[tuple[str, int, int]]:
    """Each column's key, and where it starts and ends, counted from the line's left edge."""
    out, start = [], 0
    for key, width in zip(KEYS, widths(total)):
        out.append((key, start, start + width + 2 * PADDING))
        start += width + 2 * PADDING
    return out


def cells(row: PaperRow, marks: set[str], words: tuple[str, ...]) -> list[Text]:
    """A paper's cells, whole: the title with the query's ``words`` highlighted."""
    title = plain(row.title)
    if words:
        title.highlight_words(words, style=MATCH_STYLE, case_sensitive=False)
    return [
        title,
        Text(str(row.year or "")),
        plain(", ".join(row.pairs)),
        Text(str(row.results)),
        Text("★" if row.id in marks else ""),
    ]


def fit(texts: Sequence[Text], sizes: Sequence[int]) -> list[Text]:
    """The cells cut to their columns' widths, with an ellipsis where cut."""
    fitted = []
    for text, size in zip(texts, sizes):
        text = text.copy()
        text.truncate(size, overflow="ellipsis")
        fitted.append(text)
    return fitted


def strip(texts: Sequence[Text], style: Style, sizes: Sequence[int], total: int, console: Console) -> Strip:
    """One line: the cells in their columns, on ``style``, ``total`` cells wide."""
    line = Text(style=style, no_wrap=True, end="")
    for text, (_, _, _, right), size in zip(fit(texts, sizes), COLUMNS, sizes):
        gap = " " * (size - text.cell_len)
        line.append(" " * PADDING)
        if right:
            line.append(gap)
        line.append_text(text)
        if not right:
            line.append(gap)
        line.append(" " * PADDING)
    # A console without colour (NO_COLOR) renders plain segments with no style at all.
    segments = [Segment(text, part or style) for text, part, _ in line.render(console)]
    return Strip(segments).adjust_cell_length(total, style)
