"""The main screen: the search box, the matching papers and the frontier of the chosen pair."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from catalog.explore import Selection
from catalog.query import QueryError
from catalog.text import printable
from tui.screens.dialogs import ExportDialog, NoteDialog, PairPicker
from tui.table import plural
from tui.widgets.frontier_plot import LOG_MODES, FrontierPlot
from tui.widgets.paper_table import MAX_ROWS, PaperTable

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
        self.run_search(state.last_query)
        self.query_one(PaperTable).focus()

    def reload(self) -> None:
        """Show the current query and pair again, from a reloaded catalog."""
        self.run_search(self.query_one("#search", Input).value)

    # Search ---------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.query_one(PaperTable).focus()

    @work(exclusive=True, thread=True, group="search")
    def run_search(self, text: str) -> None:
        """Select the papers for ``text`` off the UI thread; a newer search makes this one moot."""
        selection = self.app.explorer.select(text, list(self.app.user_state.bookmarks))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_selection, selection, text)

    def show_selection(self, selection: Selection, text: str) -> None:
        """Fill the list and redraw the plot for a finished search."""
        self.selection = selection
        self.app.user_state.last_query = text
        table = self.query_one(PaperTable)
        table.fill(selection.rows, set(self.app.user_state.bookmarks), selection.words)
        self.redraw_plot()

    def listed_ids(self) -> list[str]:
        return [r.id for r in self.selection.rows] if self.selection else []

    def update_status(self, extra: str = "") -> None:
        if self.selection is None:
            return
        shown = len(self.selection.rows)
        parts = [plural(shown, "paper") + (f" (first {MAX_ROWS} listed)" if shown > MAX_ROWS else "")]
        if self.pair:
            parts.append(f"pair {self.pair}")
        parts += list(self.selection.problems)
        if extra:
            parts.append(extra)
        self.query_one("#status", Static).update(printable("  ·  ".join(parts)))

    # Plot -----------------------------------------------------------------------------

    def redraw_plot(self) -> None:
        plot = self.query_one(FrontierPlot)
        if not self.pair:
            plot.show(None, [], "Press p to pick an objective pair.")
            self.update_status()
            return
        try:
            x, y, points = self.app.explorer.points(self.pair, self.listed_ids())
        except QueryError as err:
            plot.show(None, [], str(err))
            self.update_status()
            return
        message = "" if points else f"No listed paper reports both {x.spec} and {y.spec}."
        plot.show((x, y), points, message)
        plot.selected_paper = self.query_one(PaperTable).current_id()
        self.update_status()

    def action_pick_pair(self) -> None:
        def chosen(spec: str | None) -> None:
            if spec:
                self.pair = spec
                self.app.user_state.last_pair = spec
                self.redraw_plot()

        self.app.push_screen(PairPicker(self.app.explorer.pairs(self.listed_ids()), self.pair), chosen)

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

    @on(DataTable.RowHighlighted)
    def paper_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one(FrontierPlot).selected_paper = event.row_key.value

    @on(DataTable.RowSelected)
    def paper_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.open_paper(event.row_key.value)

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


__all__ = ["MainScreen", "NoteDialog"]
