"""The list of matching papers: every match, sortable by any column, drawn a screenful at a time.

A virtual list on Textual's Line API (``ScrollView`` + ``render_line``), not a ``DataTable``:
a DataTable keeps a styled row object for every row it lists (10k rows took about a second,
100k rows sixteen), and Textual has no lazy table. Here the list holds only the matching ids,
and the rows on screen are fetched from the catalog a chunk at a time, in a thread worker;
a row not fetched yet shows its id until it arrives. Scrolling, the scrollbar and the mouse
wheel come from ``ScrollView``; the cursor, paging and the fixed header are ours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, WorkerState

from catalog.query.explore import PaperRow
from catalog.store.store import is_damage
from tui.widgets.paper_lines import COLUMNS, KEYS, cells, fit, spans, strip, widths
from tui.widgets.plain import notify_plain

#: Rows fetched at once; and how far beyond the screen rows are fetched ahead of the cursor.
CHUNK = 200
MARGIN = 60
#: Rows kept; past this the cache starts again from what is on screen. And lines kept drawn.
MAX_CACHED = 20_000
STRIPS_CACHED = 500

Fetch = Callable[[Sequence[str]], dict[str, PaperRow]]

#: The list's own keys as the help lists them (its bindings are movements, not actions to offer).
HELP_KEYS = (
    ("↑ ↓ pgup pgdn home end", "move in the list (click a column's header to sort by it)"),
    ("enter", "open the selected paper: abstract, evidence, results, note"),
)


class PaperTable(ScrollView, can_focus=True):
    """Matching papers, one per line, with a cursor; only the lines on screen are ever drawn."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-table--header",
        "paper-table--cursor",
        "paper-table--even-row",
        "paper-table--pending",
    }

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another paper (``None``: the list is empty)."""

        paper_id: str | None

    @dataclass
    class Selected(Message):
        """The user opened a paper (enter, or a click on the highlighted line)."""

        paper_id: str

    @dataclass
    class SortRequested(Message):
        """The user clicked a column header: sort by it (again: the other way)."""

        column: str

    def __init__(self, fetch: Fetch | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fetch: Fetch = fetch or (lambda ids: {})
        """Where rows come from: the rows of some ids. Called from a worker thread, and on the
        UI thread for the screen a jump lands on."""
        self.ids: list[str] = []
        """Every listed paper's id, in list order."""
        self.cursor = 0
        """The index of the highlighted line."""
        self.sorted_by: tuple[str, bool] | None = None
        """The column the list is sorted by and whether descending, for the header's arrow."""
        self._rows: dict[str, PaperRow] = {}
        self._marks: set[str] = set()
        self._words: tuple[str, ...] = ()
        self._pending: set[int] = set()
        self._generation = 0  # which ``ids`` a chunk number refers to
        self._source = 0  # which ``fetch`` the cached rows came from
        self._strips: LRUCache[tuple[Any, ...], Strip] = LRUCache(STRIPS_CACHED)
        self._pass: _Pass | None = None

    # Data ------------------------------------------------------------------------------

    def reset(self, fetch: Fetch) -> None:
        """Take rows from ``fetch`` from now on (a reloaded catalog), forgetting the old ones."""
        self.fetch = fetch
        self._source += 1
        self._rows.clear()
        self._pending.clear()

    def show(
        self,
        ids: list[str],
        bookmarks: set[str],
        words: tuple[str, ...] = (),
        rows: dict[str, PaperRow] | None = None,
    ) -> None:
        """List ``ids`` (``rows`` holds some of them already), keeping the cursor on the same
        paper when it stays in the list."""
        current = self.current_id()
        self.ids, self._marks, self._words = ids, set(bookmarks), words
        self._generation += 1
        self._pending.clear()
        self._keep(rows or {})
        self.virtual_size = Size(0, len(ids) + 1)  # the header is the first line
        index = self.index_of(current) if current is not None else None
        self.cursor = index or 0
        self._scroll_to_cursor()
        self.refresh()
        if self.current_id() != current:
            self.post_message(self.Highlighted(self.current_id()))

    @property
    def row_count(self) -> int:
        """How many papers are listed."""
        return len(self.ids)

    @property
    def cached_rows(self) -> int:
        """How many rows the list holds (the rest are fetched when they come into view)."""
        return len(self._rows)

    @property
    def pending_on_screen(self) -> bool:
        """Whether a line on screen still waits for its row."""
        top = round(self.scroll_y)
        return any(pid not in self._rows for pid in self.ids[top : top + self.page_height])

    def current_id(self) -> str | None:
        """The id of the paper under the cursor."""
        return self.ids[self.cursor] if self.ids else None

    def index_of(self, paper_id: str) -> int | None:
        """Where ``paper_id`` is listed, if it is."""
        try:
            return self.ids.index(paper_id)
        except ValueError:
            return None

    def move_to(self, paper_id: str) -> None:
        """Put the cursor on ``paper_id``'s line, when it is listed."""
        index = self.index_of(paper_id)
        if index is not None:
            self._move(index)

    def set_mark(self, paper_id: str, marked: bool) -> None:
        """Show or hide the bookmark star of ``paper_id``."""
        if marked:
            self._marks.add(paper_id)
        else:
            self._marks.discard(paper_id)
        self.refresh()

    def cell(self, paper_id: str, column: str) -> Text | None:
        """What the list shows in ``column`` for ``paper_id``, once its row has been fetched."""
        row = self._rows.get(paper_id)
        if row is None:
            return None
        texts = fit(cells(row, self._marks, self._words), widths(self.scrollable_content_region.width))
        return texts[KEYS.index(column)]

    def _keep(self, rows: dict[str, PaperRow]) -> None:
        if len(self._rows) + len(rows) > MAX_CACHED:
            self._rows.clear()
        self._rows.update(rows)

    def _want(self, index: int) -> None:
        """Ask for the chunk holding line ``index`` unless it is here or on its way."""
        if not 0 <= index < len(self.ids) or self.ids[index] in self._rows:
            return
        chunk = index // CHUNK
        if chunk in self._pending:
            return
        self._pending.add(chunk)
        ids = self.ids[chunk * CHUNK : (chunk + 1) * CHUNK]
        self.call_later(self._load, ids, chunk, self._generation, self._source)

    @work(thread=True, group="paper-rows", exit_on_error=False)
    def _load(self, ids: list[str], chunk: int, generation: int, source: int) -> None:
        """Fetch one chunk of rows off the UI thread."""
        rows = self.fetch(ids)
        self.app.call_from_thread(self._arrived, rows, chunk, generation, source)

    def _arrived(self, rows: dict[str, PaperRow], chunk: int, generation: int, source: int) -> None:
        if source != self._source:
            return  # rows of a catalog that has since been reloaded
        if generation == self._generation:
            self._pending.discard(chunk)
        self._keep(rows)
        self.refresh()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        failed = event.worker.group == "paper-rows" and event.state == WorkerState.ERROR
        # A damaged cache is left to the screen, which has it built again.
        if failed and error is not None and not is_damage(error):
            notify_plain(self, f"Could not read the papers' rows: {error}", severity="error")

    # Cursor and keys -------------------------------------------------------------------

    @property
    def page_height(self) -> int:
        """How many lines of papers fit under the header."""
        return max(self.scrollable_content_region.height - 1, 1)

    def _move(self, index: int) -> None:
        """Put the cursor on line ``index``, in view; say so when the paper under it changed."""
        before, old = self.current_id(), self.cursor
        self.cursor = max(0, min(index, len(self.ids) - 1))
        self.refresh_line(old + 1)  # the header is line 0
        self.refresh_line(self.cursor + 1)
        self._scroll_to_cursor()
        if self.current_id() != before:
            self.post_message(self.Highlighted(self.current_id()))

    def _scroll_to_cursor(self) -> None:
        top, height = round(self.scroll_y), self.page_height
        if self.cursor < top:
            self._scroll_to_line(self.cursor)
        elif self.cursor >= top + height:
            self._scroll_to_line(self.cursor - height + 1)

    def _scroll_to_line(self, top: int) -> None:
        """Scroll now (not after the next frame) and fill the screen it lands on.

        Rows not fetched yet are fetched at once, on this thread: a jump (stepping through a
        plot's points, a page key) would otherwise draw a screenful of ids waiting for their
        rows. One screen of rows is a single small query."""
        self.scroll_to(y=top, animate=False, immediate=True)
        top = round(self.scroll_y)
        missing = [pid for pid in self.ids[top : top + self.page_height] if pid not in self._rows]
        if missing:
            self._keep(self.fetch(missing))

    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        """Move a page, the cursor keeping its place on screen."""
        step = max(self.page_height - 1, 1) * direction
        self._scroll_to_line(round(self.scroll_y) + step)
        self._move(self.cursor + step)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self.ids) - 1)

    def action_select(self) -> None:
        if self.ids:
            self.post_message(self.Selected(self.ids[self.cursor]))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self.column_at(offset.x)
            if column:
                self.post_message(self.SortRequested(column))
            return
        index = round(self.scroll_y) + offset.y - 1
        if index >= len(self.ids):
            return
        if index == self.cursor:
            self.action_select()
        else:
            self._move(index)

    # Drawing ---------------------------------------------------------------------------

    def column_x(self, column: str) -> int:
        """Where ``column`` starts, counted from the list's left edge."""
        return next(start for key, start, _ in spans(self.scrollable_content_region.width) if key == column)

    def column_at(self, x: int) -> str | None:
        """The column under ``x``, if any."""
        return next(
            (key for key, start, end in spans(self.scrollable_content_region.width) if start <= x < end), None
        )

    def _look(self) -> _Pass:
        width = self.scrollable_content_region.width
        return _Pass(
            width,
            widths(width),
            self.rich_style,
            *(self.get_component_rich_style(f"paper-table--{name}") for name in _PARTS),
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this pass shares, looked up once rather than per line.
        self._pass = self._look()
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def render_line(self, y: int) -> Strip:
        look = self._pass or self._look()
        if y == 0:
            header = []
            for (key, label, _, _), width in zip(COLUMNS, look.widths):
                said = label
                if self.sorted_by and self.sorted_by[0] == key:
                    arrow = "▼" if self.sorted_by[1] else "▲"
                    # The arrow is never cut: in a narrow column it takes the label's last place.
                    fits = len(label) + 2 <= width
                    said = f"{label} {arrow}" if fits else label[: max(width - 1, 0)] + arrow
                header.append(Text(said))
            return strip(header, look.base + look.header, look.widths, look.width, self.app.console)
        index = round(self.scroll_y) + y - 1
        if index >= len(self.ids):
            return Strip.blank(look.width, look.base)
        for wanted in (index, index - MARGIN, index + MARGIN):
            self._want(wanted)
        style = look.base
        if index % 2 == 0:
            style += look.even_row
        if index == self.cursor:
            style += look.cursor
        paper_id = self.ids[index]
        row = self._rows.get(paper_id)
        cache_key = (paper_id, row, style, look.width, paper_id in self._marks, self._words)
        drawn = self._strips.get(cache_key)
        if drawn is None:
            if row is None:
                texts = [Text(paper_id, style=look.pending), Text("…"), Text(""), Text(""), Text("")]
            else:
                texts = cells(row, self._marks, self._words)
            drawn = self._strips[cache_key] = strip(texts, style, look.widths, look.width, self.app.console)
        return drawn


_PARTS = ("header", "even-row", "cursor", "pending")


@dataclass(frozen=True)
class _Pass:
    """The widths and styles of one drawing of the list."""

    width: int
    widths: list[int]
    base: Style
    header: Style
    even_row: Style
    cursor: Style
    pending: Style
