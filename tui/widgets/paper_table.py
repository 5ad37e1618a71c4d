"""The list of matching papers: a table sortable by any column."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from catalog.explore import PaperRow
from catalog.text import printable
from tui.table import clip

MATCH_STYLE = "bold underline"
#: Rows shown at once; a larger selection is cut, and the status line says so.
MAX_ROWS = 2000
COLUMNS = (("title", "Title"), ("year", "Year"), ("pairs", "Pairs"), ("results", "Res"), ("mark", "★"))
#: Room the other columns take, with their padding; the title gets the rest.
OTHER_COLUMNS_WIDTH = 4 + 22 + 3 + 1 + 4 * 2


def sort_key(value: object) -> tuple[int, float, str]:
    """Order cells of any type: numbers by value, then text (titles, marks) alphabetically."""
    if isinstance(value, (int, float)):
        return (0, float(value), "")
    return (1, 0.0, str(value).lower())


class PaperTable(DataTable):
    """Matching papers, one per row, keyed by paper id."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._sort: tuple[str, bool] | None = None
        self._shown: tuple[list[PaperRow], set[str], tuple[str, ...]] = ([], set(), ())
        self._room = 0

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    def fill(self, rows: list[PaperRow], bookmarks: set[str], words: tuple[str, ...] = ()) -> None:
        """Show ``rows`` (at most ``MAX_ROWS``), keeping the cursor on the same paper when it stays."""
        current = self.current_id()
        self._shown = (rows, bookmarks, words)
        self.clear()
        room = self._room = self.title_room()
        for r in rows[:MAX_ROWS]:
            pairs = clip(", ".join(r.pairs), 22)
            mark = "★" if r.id in bookmarks else ""
            title = Text(clip(printable(r.title), room))
            title.highlight_words(words, style=MATCH_STYLE, case_sensitive=False)
            self.add_row(title, r.year or "", pairs, r.results, mark, key=r.id)
        if self._sort:
            self.sort(self._sort[0], key=sort_key, reverse=self._sort[1])
        if current is not None:
            self.move_to(current)

    def title_room(self) -> int:
        """How many characters of a title fit beside the other columns."""
        return max(self.size.width - OTHER_COLUMNS_WIDTH - 2, 16)

    def on_resize(self) -> None:
        # Refill only when the titles' room changed: a scrollbar coming or going resizes the
        # table too, and refilling for it would loop.
        if self._shown[0] and self.title_room() != self._room:
            self.fill(*self._shown)

    def current_id(self) -> str | None:
        """The id of the paper under the cursor."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def move_to(self, paper_id: str) -> None:
        """Put the cursor on ``paper_id``'s row, when it is listed."""
        with suppress(RowDoesNotExist):  # the paper is not in this list
            self.move_cursor(row=self.get_row_index(paper_id))

    def set_mark(self, paper_id: str, marked: bool) -> None:
        """Show or hide the bookmark star of ``paper_id``."""
        with suppress(RowDoesNotExist, CellDoesNotExist):  # the paper is not listed
            self.update_cell(paper_id, "mark", "★" if marked else "")
        rows, marks, words = self._shown
        self._shown = (rows, (marks | {paper_id}) if marked else (marks - {paper_id}), words)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(event.column_key.value or "")

    def sort_by(self, column: str) -> None:
        """Sort by ``column``; sorting by it again reverses the order."""
        reverse = self._sort == (column, False)
        self._sort = (column, reverse)
        self.sort(column, key=sort_key, reverse=reverse)
