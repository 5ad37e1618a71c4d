"""The main screen: the search box, the matching papers and the frontier of the chosen pair."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from catalog.query.explore import Frontier, PaperRow
from catalog.query.pairs import PairRow
from catalog.query.select import Selection
from catalog.text import printable
from tui.screens.dialogs import ExportDialog, PairPicker
from tui.widgets.frontier_plot import LOG_MODES, FrontierPlot
from tui.widgets.paper_table import PaperTable

#: Rows fetched with a search's answer, either side of the cursor: more than a screenful, so
#: a new list is drawn whole at once.
FIRST_ROWS = 100


if TYPE_CHECKING:
    from tui.app import TradeoffsApp


class MainScreen(Screen[None]):
    """Search, list, plot."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("p", "pick_pair", "Pair"),
        Binding("s", "swap_axes", "Swap"),
        Binding("c", "clear_pair", "Clear pair", show=False),
        Binding("l", "toggle_log", "Log"),
        Binding("right_square_bracket", "step(1)", "Next point", show=False),
        Binding("left_square_bracket", "step(-1)", "Prev point", show=False),
        Binding("b", "bookmark", "Bookmark"),
        Binding("n", "note", "Note"),
        Binding("e", "export", "Export"),
        Binding("escape", "leave_search", "Back", show=False),
    ]

    app: TradeoffsApp  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.selection: Selection | None = None
        self.pair: str | None = None
        self.sort: tuple[str, bool] | None = None
        """The column the list is sorted by and whether descending; ``None``: best match first."""
        self._searching = False
        self._waiting: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search papers: words, tag:…, year:…, pair:x:y, is:bookmarked", id="search")
        with Horizontal(id="body"):
            yield PaperTable(id="papers")
            yield FrontierPlot(id="plot")
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        state = self.app.user_state
        self.pair = state.last_pair
        search = self.query_one("#search", Input)
        search.value = state.last_query
        table = self.query_one(PaperTable)
        table.reset(self.app.explorer.rows_for)
        self.search(state.last_query)
        table.focus()

    def reload(self) -> None:
        """Show the current query and pair again, from a reloaded catalog."""
        self.query_one(PaperTable).reset(self.app.explorer.rows_for)
        self.search(self.query_one("#search", Input).value)

    # Search ---------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.query_one(PaperTable).focus()

    def search(self, text: str) -> None:
        """Select the papers for ``text``: now, or when the search under way ends.

        One search runs at a time: a thread cannot be stopped, so searches started for every
        keystroke would only slow each other down. Keystrokes typed meanwhile wait, and only
        the last of them is searched for.
        """
        self._waiting = text
        if not self._searching:
            self._next_search()

    def _next_search(self) -> None:
        text, self._waiting = self._waiting, None
        if text is None:
            return
        self._searching = True
        keep = self.query_one(PaperTable).current_id()
        self.run_search(text, self.sort, list(self.app.user_state.bookmarks), keep, self.pair)

    @work(thread=True, group="search")
    def run_search(
        self,
        text: str,
        sort: tuple[str, bool] | None,
        bookmarks: list[str],
        keep: str | None,
        pair: str | None,
    ) -> None:
        """Select and sort the papers for ``text`` off the UI thread, with the rows that will be on
        screen first (those around ``keep``, the paper under the cursor) and the pair's points.
        Gives up between steps once a newer search waits."""
        explorer = self.app.explorer
        selection = explorer.select(text, bookmarks)
        if sort and not self._superseded():
            selection = replace(selection, ids=explorer.sort(selection.ids, *sort, bookmarks))
        if self._superseded():
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._search_ended)
            return
        where = 0
        if keep is not None:
            with suppress(ValueError):  # the paper is not in the new list
                where = selection.ids.index(keep)
        # The rows around the cursor, and the last ones: End is a key people press.
        ids = selection.ids
        rows = explorer.rows_for(ids[max(0, where - FIRST_ROWS) : where + FIRST_ROWS] + ids[-FIRST_ROWS:])
        frontier = explorer.frontier(pair, selection.ids) if not self._superseded() else None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_selection, selection, rows, text, sort, frontier)

    def _superseded(self) -> bool:
        """Whether the running search is moot: a newer one waits, or the screen is closing.
        (Read from the search's thread: at worst a step more is done.)"""
        return self._waiting is not None or get_current_worker().is_cancelled

    def _search_ended(self) -> bool:
        """Note that the running search ended; start the waiting one, if any (then True)."""
        self._searching = False
        if self._waiting is not None:
            self._next_search()
            return True
        return False

    def show_selection(
        self,
        selection: Selection,
        rows: dict[str, PaperRow],
        text: str,
        sort: tuple[str, bool] | None,
        frontier: Frontier | None,
    ) -> None:
        """Fill the list and redraw the plot for a finished search, unless a newer one waits."""
        if self._search_ended():
            return
        self.selection = selection
        self.app.user_state.last_query = text
        table = self.query_one(PaperTable)
        table.sorted_by = sort
        table.show(selection.ids, set(self.app.user_state.bookmarks), selection.words, rows)
        if frontier is None or frontier.pair != self.pair:  # the pair changed while the search ran
            self.redraw_plot()
        else:
            self.show_frontier(frontier)

    @on(PaperTable.SortRequested)
    def sort_requested(self, event: PaperTable.SortRequested) -> None:
        self.sort_by(event.column)

    def sort_by(self, column: str) -> None:
        """Sort the list by ``column``; sorting by it again reverses the order."""
        self.sort = (column, self.sort == (column, False))
        self.search(self.query_one("#search", Input).value)

    def listed_ids(self) -> list[str]:
        return self.selection.ids if self.selection else []

    def update_status(self, extra: str = "") -> None:
        if self.selection is None:
            return
        shown = len(self.selection.ids)
        parts = [f"{shown:,} paper{'' if shown == 1 else 's'}"]
        if self.pair:
            parts.append(f"pair {self.pair}")
        parts += list(self.selection.problems)
        if extra:
            parts.append(extra)
        self.query_one("#status", Static).update(printable("  ·  ".join(parts)))

    # Plot -----------------------------------------------------------------------------

    def redraw_plot(self) -> None:
        """Plot the current pair over the listed papers; the points are found off the UI thread
        (at 100,000 papers that takes a moment)."""
        self.find_frontier(self.pair, self.listed_ids())

    @work(thread=True, exclusive=True, group="frontier")
    def find_frontier(self, pair: str | None, ids: list[str]) -> None:
        frontier = self.app.explorer.frontier(pair, ids)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._found_frontier, frontier, ids)

    def _found_frontier(self, frontier: Frontier, ids: list[str]) -> None:
        # Shown only when still current: the pair or the list may have changed meanwhile.
        if frontier.pair == self.pair and ids is self.listed_ids():
            self.show_frontier(frontier)

    def show_frontier(self, frontier: Frontier) -> None:
        plot = self.query_one(FrontierPlot)
        plot.show(frontier.axes, frontier.points, frontier.message)
        if frontier.axes:
            plot.selected_paper = self.query_one(PaperTable).current_id()
        self.update_status()

    def action_pick_pair(self) -> None:
        self.find_pairs(self.listed_ids())

    @work(thread=True, exclusive=True, group="pairs")
    def find_pairs(self, ids: list[str]) -> None:
        """The listed papers' pairs, found off the UI thread; then the picker opens."""
        pairs = self.app.explorer.pairs(ids)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._open_picker, pairs)

    def _open_picker(self, pairs: list[PairRow]) -> None:
        def chosen(spec: str | None) -> None:
            if spec:
                self.pair = spec
                self.app.user_state.last_pair = spec
                self.redraw_plot()

        if self.app.screen is self:  # nothing else opened meanwhile
            self.app.push_screen(PairPicker(pairs, self.pair), chosen)

    def action_swap_axes(self) -> None:
        if self.pair:
            x, y = self.pair.split(":")
            self.pair = self.app.user_state.last_pair = f"{y}:{x}"
            self.redraw_plot()

    def action_clear_pair(self) -> None:
        self.pair = self.app.user_state.last_pair = None
        self.redraw_plot()

    def action_toggle_log(self) -> None:
        plot = self.query_one(FrontierPlot)
        plot.log_mode = (plot.log_mode + 1) % len(LOG_MODES)
        log_x, log_y = LOG_MODES[plot.log_mode]
        self.update_status(
            f"log scale: {'x ' if log_x else ''}{'y' if log_y else ''}".strip() if plot.log_mode else ""
        )

    def action_step(self, delta: int) -> None:
        plot = self.query_one(FrontierPlot)
        ordered = plot.ordered()
        if not ordered:
            return
        plot.cursor = 0 if plot.cursor is None else (plot.cursor + delta) % len(ordered)
        point = ordered[plot.cursor]
        self.query_one(PaperTable).move_to(point["paper_id"])
        mark = " ◆ on the frontier" if point["on_frontier"] else ""
        setting = f", {point['setting']}" if point.get("setting") else ""
        self.update_status(
            f"point {plot.cursor + 1}/{len(ordered)}: {point['method']}{setting} [{point['paper_id']}] "
            f"{point['x_objective']} {point['x']:g}, {point['y_objective']} {point['y']:g}{mark}"
        )

    # The selected paper ---------------------------------------------------------------

    @on(PaperTable.Highlighted)
    def paper_highlighted(self, event: PaperTable.Highlighted) -> None:
        self.query_one(FrontierPlot).selected_paper = event.paper_id

    @on(PaperTable.Selected)
    def paper_selected(self, event: PaperTable.Selected) -> None:
        self.app.open_paper(event.paper_id)

    def action_bookmark(self) -> None:
        paper_id = self.query_one(PaperTable).current_id()
        if paper_id:
            marked = self.app.toggle_bookmark(paper_id)
            self.query_one(PaperTable).set_mark(paper_id, marked)

    def action_note(self) -> None:
        paper_id = self.query_one(PaperTable).current_id()
        if paper_id:
            self.app.edit_note(paper_id)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        self.query_one(PaperTable).focus()

    def action_export(self) -> None:
        what = f"the {self.pair} points of the listed papers" if self.pair else "the listed papers"

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer:
                self.app.export_view(answer[0], answer[1], self.pair, self.listed_ids())

        self.app.push_screen(ExportDialog(what), chosen)
