"""The main screen: the search box, the matching papers and the frontier of the chosen pair.

It is given the session when it is made and asks it everything: searches, pairs, points and
papers are found in thread workers, each over the explorer that was current when it started
(a reload swaps it; ``catalog_reloaded`` then asks again).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from functools import partial
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from catalog.errors import ExportError, QueryError
from catalog.query.explore import Explorer, Frontier, PaperRow
from catalog.query.pairs import PairRow, swapped
from catalog.query.points import mixed_note
from catalog.query.records import PaperRecord, PointRecord
from catalog.query.select import Selection
from catalog.views import View
from tui.screens.detail import DetailScreen
from tui.screens.dialogs import (
    AnswerDialog,
    ExportDialog,
    PairPicker,
    ProblemsScreen,
)
from tui.screens.questions import PageQuestions
from tui.screens.view_dialog import ViewDialog, find_point, missing_point, on_screen, opening
from tui.session import NotSaved, Session
from tui.table import plural
from tui.widgets.frontier_plot import LOG_MODES, FrontierPlot, log_line, point_line
from tui.widgets.paper_table import PaperTable
from tui.widgets.plain import notify_plain, plain

#: Rows fetched with a search's answer, either side of the cursor: more than a screenful, so
#: a new list is drawn whole at once.
FIRST_ROWS = 100


class MainScreen(PageQuestions):
    """Search, list, plot.

    Args:
        session: The explorer, the user's state and what can be done with them.
        typed: What the user typed while the catalog opened: the first search.
        view: A saved view to open on (``tradeoffs --view NAME``), instead of the last query
            and pair.
    """

    BINDINGS = [
        Binding(
            "slash",
            "focus_search",
            "Search",
            key_display="/",
            tooltip="search words and filters; enter or escape leaves the box",
        ),
        Binding("p", "pick_pair", "Pair", tooltip="pick an objective pair among the listed papers"),
        Binding("s", "swap_axes", "Swap", tooltip="swap the plot's axes"),
        Binding("c", "clear_pair", "Clear pair", show=False, tooltip="clear the pair: plot nothing"),
        Binding("l", "toggle_log", "Log scales", show=False, tooltip="log scales: none, x, y, both"),
        Binding(
            "right_square_bracket",
            "step(1)",
            "Next point",
            show=False,
            key_display="]",
            tooltip="step to the plot's next point; the list follows to its paper",
        ),
        Binding(
            "left_square_bracket",
            "step(-1)",
            "Previous point",
            show=False,
            key_display="[",
            tooltip="step to the plot's previous point",
        ),
        Binding(
            "right_curly_bracket",
            "step_frontier(1)",
            "Next on the frontier",
            show=False,
            key_display="}",
            tooltip="step to the next point of the frontier, skipping the dominated ones",
        ),
        Binding(
            "left_curly_bracket",
            "step_frontier(-1)",
            "Previous on the frontier",
            show=False,
            key_display="{",
            tooltip="step to the previous point of the frontier",
        ),
        Binding(
            "h",
            "toggle_hull",
            "Hull",
            show=False,
            tooltip="join this pair's frontier by its convex hull (two points can be mixed), or by steps",
        ),
        Binding(
            "t",
            "step_time",
            "Time",
            show=False,
            tooltip="step the plot through time: the frontier as of each date it moved, then today",
        ),
        Binding(
            "w",
            "why",
            "Why",
            show=False,
            tooltip="why the current point is on the frontier or not: what dominates it, and by how much",
        ),
        Binding(
            "v",
            "show_view",
            "Share view",
            show=False,
            tooltip="this view's command line (copied to the clipboard where the terminal allows), "
            "and a name to save it under for tradeoffs --view NAME",
        ),
        Binding(
            "g",
            "grid_pair",
            "Grid",
            show=False,
            tooltip="add this pair to the grid of pairs drawn side by side (again: take it out)",
        ),
        Binding(
            "G",
            "show_grid",
            "Show grid",
            show=False,
            tooltip="the grid: each of its pairs drawn for the listed papers, side by side",
        ),
        Binding(
            "y",
            "groups",
            "Groups",
            show=False,
            tooltip="one frontier per group (paper, tag or a condition) of this pair, drawn apart, "
            "and how many of each group's frontier points the whole frontier hides",
        ),
        Binding(
            "a",
            "budgets",
            "Budgets",
            show=False,
            tooltip="the best second objective at budgets of the first: the frontier's own points",
        ),
        Binding(
            "B",
            "bundle",
            "Bundle",
            show=False,
            tooltip="write this pair's frontier as a folder to share: points as CSV, Markdown and LaTeX, "
            "the plot as text and SVG, BibTeX, and a README with each point's evidence",
        ),
        Binding(
            "m",
            "claims_map",
            "Claims map",
            show=False,
            tooltip="the claims map: the listed papers' gains against their own baselines, quality "
            "against cost, speed or size, win-win apart from trade-offs",
        ),
        Binding("b", "bookmark", "Bookmark", tooltip="bookmark the selected paper (again: remove it)"),
        Binding("n", "note", "Note", tooltip="write a note on the selected paper (ctrl+s saves it)"),
        Binding(
            "e",
            "export",
            "Export",
            tooltip="export what is on screen: the pair's points or the papers",
        ),
        Binding("escape", "leave_search", "Back", show=False, tooltip="leave the search box for the list"),
        Binding(
            "exclamation_mark",
            "show_problems",
            "Problems",
            key_display="!",
            tooltip="list the catalog files left out for their problems",
        ),
        Binding(
            "down",
            "to_list",
            "List",
            key_display="↓",
            tooltip="from the search box to the list, where these keys act",
            priority=True,  # over the search box's own (scrolling) use of ↓
        ),
    ]

    #: The actions of letter keys: while the search box has focus, letters are typed there,
    #: so these are hidden from the footer until the list has focus again.
    LIST_ACTIONS = frozenset(
        {
            "pick_pair",
            "swap_axes",
            "clear_pair",
            "toggle_log",
            "step",
            "step_frontier",
            "bookmark",
            "note",
            "export",
            "show_view",
        }
    )

    def __init__(self, session: Session, typed: str = "", view: View | None = None, **kwargs: Any) -> None:
        super().__init__(session, **kwargs)
        self.typed = typed
        """What was typed before the screen opened: its first search."""
        self.view = view
        """The saved view the screen opened on, if any."""
        self._view_point: tuple[str, str | None] | None = None
        """The saved view's point, selected once its plot is drawn."""
        self.mixed = ""
        """What the plot's points differ on (``mixed_note``), when they do."""
        self.selection: Selection | None = None
        """The papers the last finished search selected."""
        self._hull_pairs: set[str] = set(session.state.hull_pairs)
        self.grid: list[str] = []
        """The pairs of the grid (``g`` adds the current one), drawn side by side by ``G``."""
        self.as_of: str | None = None
        """The date the plot is drawn as of (``t`` steps it), or None: today."""
        self._moments: tuple[str, list[str]] | None = None
        self.pair: str | None = None
        """The pair plotted, as written (``x:y``), or None."""
        self.sort: tuple[str, bool] | None = None
        """The column the list is sorted by and whether descending; ``None``: best match first."""
        self._searching = False
        self._waiting: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search papers: words, tag:…, year:…, pair:x:y, is:bookmarked", id="search")
        yield Static("", id="broken")
        with Horizontal(id="body"):
            yield PaperTable(id="papers")
            yield FrontierPlot(id="plot")
        yield Static("", id="status")
        yield Footer(compact=True)  # every key it shows fits 80 columns

    def on_mount(self) -> None:
        state = self.session.state
        # A pair kept from another catalog is not this one's to plot: it stays in the state,
        # for when that catalog is opened again, until a pair is chosen here.
        known = state.last_pair and self.session.explorer.knows_pair(state.last_pair)
        self.pair = state.last_pair if known else None
        query = state.last_query
        if self.view is not None:
            query = self.open_view(self.view)
        self.set_class(self.pair is None, "-no-pair")
        self.show_left_out()
        search = self.query_one("#search", Input)
        # What was typed while the catalog opened is the first search; else the view's or the last.
        search.value = self.typed or query
        table = self.query_one(PaperTable)
        table.reset(self.session.explorer.rows_for)
        self.search(search.value)
        # Typing at launch searches, as in fzf or a browser's address bar; the footer names
        # the key to the list, where letters are commands. The query kept from last time is
        # selected, so typing replaces it (and an arrow key keeps it).
        search.focus()
        if self.typed:
            search.cursor_position = len(self.typed)
        else:
            self.call_after_refresh(search.select_all)

    def searching(self) -> bool:
        """Whether the search box has focus (and letters are typed into it)."""
        return self.focused is self.query_one("#search", Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the search box has focus, the letter keys' actions are hidden, and ↓ is shown."""
        if not self.is_mounted:
            return True
        if action in self.LIST_ACTIONS or action == "focus_search":
            return not self.searching()
        if action in ("leave_search", "to_list"):
            return self.searching()
        if action == "show_problems":
            return bool(self.session.explorer.store.skipped) and not self.searching()
        return True

    #: Below this many columns the plot goes under the list (and away while there is no pair).
    NARROW = 110

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.NARROW, "-narrow")

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def show_left_out(self) -> None:
        """A banner, there until the catalog is whole, when files were left out for problems."""
        skipped = self.session.explorer.store.skipped
        banner = self.query_one("#broken", Static)
        banner.display = bool(skipped)
        if skipped:
            files = len({p.file for p in skipped})
            banner.update(
                f"{plural(files, 'catalog file')} with problems left out; the rest is loaded. "
                "Press ! (in the list) to see them."
            )

    def action_show_problems(self) -> None:
        """List the files left out for their problems."""
        skipped = self.session.explorer.store.skipped
        if skipped:
            self.app.push_screen(ProblemsScreen(skipped, left_out=True))

    def catalog_reloaded(self) -> None:
        """Show the current query and pair again, from the session's reloaded catalog."""
        self.query_one(PaperTable).reset(self.session.explorer.rows_for)
        self.show_left_out()
        self.search(self.query_one("#search", Input).value)

    # Views ----------------------------------------------------------------------------

    def open_view(self, view: View) -> str:
        """Take the pair, scales, hull, date and point of a saved view, saying what of it this
        catalog cannot show; returns its query, the first search."""
        opened = opening(view, self.session.explorer.knows_pair)
        self.pair = opened.pair  # a view with no pair (or none this catalog knows) plots none
        if opened.pair is not None:
            self.session.state.last_pair = opened.pair
            if view.hull:
                self._hull_pairs.add(opened.pair)
        self.query_one(FrontierPlot).log_mode = opened.log_mode
        self.as_of = opened.as_of if self.pair else None
        self._view_point = opened.point
        if opened.unmet:
            notify_plain(
                self,
                "The view opened without what it could not show: " + "; ".join(opened.unmet) + ".",
                severity="warning",
                timeout=15,
            )
        return view.query

    def _select_view_point(self, plot: FrontierPlot, paper: str, method: str | None) -> None:
        """Step to the saved view's point, once, on the first plot of its pair."""
        self._view_point = None
        ordered = plot.ordered()
        found = find_point(ordered, paper, method)
        if found is None:
            notify_plain(self, missing_point(paper, method), severity="warning", timeout=15)
            return
        plot.cursor = found
        self._stepped_to(plot, ordered)

    def current_view(self) -> View:
        """What the screen shows, as a view: the command line can say it, and a name keep it."""
        plot = self.query_one(FrontierPlot)
        point = plot.ordered()[plot.cursor] if plot.cursor is not None and plot.points else None
        query = self.query_one("#search", Input).value
        return on_screen(self.pair, query, self.as_of, plot.log_mode, self.pair in self._hull_pairs, point)

    def action_show_view(self) -> None:
        """Show this view's command line (copied to the clipboard), and offer to save it."""
        view = self.current_view()
        names, moved_aside = self.session.view_names()
        if moved_aside:
            notify_plain(self, moved_aside, title="Views file", severity="warning", timeout=15)

        def chosen(name: str | None) -> None:
            if not name:
                return
            try:
                saved = self.session.name_view(name, view)
            except NotSaved as err:
                notify_plain(self, str(err), severity="error", timeout=10)
                return
            self.tell(saved)

        self.app.push_screen(ViewDialog(view, names), chosen)

    # Search ---------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.action_leave_search()

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
        explorer = self.session.explorer
        self.run_search(explorer, text, self.sort, self.session.bookmarks(), keep, self.pair, self.as_of)

    @work(thread=True, group="search", name="search", exit_on_error=False)
    def run_search(
        self,
        explorer: Explorer,
        text: str,
        sort: tuple[str, bool] | None,
        bookmarks: list[str],
        keep: str | None,
        pair: str | None,
        as_of: str | None = None,
    ) -> None:
        """Select and sort the papers for ``text`` off the UI thread, with the rows that will be on
        screen first (those around ``keep``, the paper under the cursor); the plot of ``pair``
        (as of ``as_of``) follows once the list is shown. Gives up between steps once a newer
        search waits.

        Only the first rows are ranked before the list is shown; the rest of a long list is
        ranked after, and its order replaces the provisional one (``_ranked_all``)."""
        selection = explorer.select(text, bookmarks, first=None if sort else FIRST_ROWS)
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
        # The list first; the plot follows, found by its own worker (``redraw_plot``).
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_selection, selection, rows, text, sort, None)
        if not selection.settled:
            ranked = None if self._superseded() else explorer.select(text, bookmarks)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._ranked_all, selection, ranked)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A search that failed has ended too, so the next one can run. (The base screen's own
        # handler, which Textual also calls, says what failed.)
        if event.worker.group == "search" and event.state == WorkerState.ERROR:
            self._search_ended()

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
        """Fill the list and redraw the plot for a finished search, unless a newer one waits.
        (A selection not ``settled`` yet ends its search once the rest is ranked.)"""
        if self._search_ended() if selection.settled else self._waiting is not None:
            return
        self.selection = selection
        self.session.state.last_query = text
        table = self.query_one(PaperTable)
        table.sorted_by = sort
        table.show(selection.ids, set(self.session.bookmarks()), selection.words, rows)
        if frontier is None or (frontier.pair, frontier.as_of) != (
            self.pair,
            self.as_of,
        ):  # changed meanwhile
            self.redraw_plot()
        else:
            self.show_frontier(frontier)

    def _ranked_all(self, shown: Selection, ranked: Selection | None) -> None:
        """Put the whole list of a search shown first ranked only at the top in its order; the
        cursor stays on its paper. Then the next search, if one waits, runs."""
        if self._search_ended() or ranked is None or self.selection is not shown:
            return
        self.query_one(PaperTable).show(list(ranked.ids), set(self.session.bookmarks()), ranked.words)
        # The same list object, reordered: a plot being found for it is still the current one.
        shown.ids[:] = ranked.ids
        self.selection = replace(ranked, ids=shown.ids)

    @on(PaperTable.SortRequested)
    def sort_requested(self, event: PaperTable.SortRequested) -> None:
        self.sort_by(event.column)

    def sort_by(self, column: str) -> None:
        """Sort the list by ``column``; sorting by it again reverses the order."""
        self.sort = (column, self.sort == (column, False))
        self.search(self.query_one("#search", Input).value)

    def listed_ids(self) -> list[str]:
        """The listed papers' ids, in list order."""
        return self.selection.ids if self.selection else []

    def update_status(self, extra: str = "") -> None:
        """Say how many papers are listed, the pair, what is wrong with the query, and ``extra``."""
        if self.selection is None:
            return
        shown = len(self.selection.ids)
        parts = [plural(shown, "paper")]
        if self.pair:
            parts.append(f"pair {self.pair}")
        if self.pair and self.as_of:
            parts.append(f"as of {self.as_of} (t: later)")
        parts += list(self.selection.problems)
        if self.mixed and self.pair:
            parts.append(self.mixed)
        if extra:
            parts.append(extra)
        self.query_one("#status", Static).update(plain("  ·  ".join(parts)))

    # Plot -----------------------------------------------------------------------------

    def redraw_plot(self) -> None:
        """Plot the current pair over the listed papers; the points are found off the UI thread
        (at 100,000 papers that takes a moment)."""
        conditions = self.selection.query.conditions if self.selection else ()
        # While no pair is chosen a narrow screen gives the list the room (see app.tcss).
        self.set_class(self.pair is None, "-no-pair")
        self.find_frontier(self.session.explorer, self.pair, self.listed_ids(), conditions, self.as_of)

    @work(thread=True, exclusive=True, group="frontier", name="frontier", exit_on_error=False)
    def find_frontier(
        self,
        explorer: Explorer,
        pair: str | None,
        ids: list[str],
        conditions: tuple[tuple[str, str], ...],
        as_of: str | None = None,
    ) -> None:
        """The pair's points among ``ids``, found off the UI thread; then the plot shows them."""
        frontier = explorer.frontier(pair, ids, conditions, as_of)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._found_frontier, frontier, ids)

    def _found_frontier(self, frontier: Frontier, ids: list[str]) -> None:
        # Shown only when still current: the pair or the list may have changed meanwhile.
        if frontier.pair == self.pair and ids is self.listed_ids():
            self.show_frontier(frontier)

    def show_frontier(self, frontier: Frontier) -> None:
        """Plot ``frontier`` (the pair's points among the listed papers), marking the selected
        paper's points; the explorer reduces them to the plot's size when they are many."""
        plot = self.query_one(FrontierPlot)
        reduce = None
        if frontier.axes is not None:
            ids = list(frontier.paper_ids) if frontier.paper_ids is not None else self.listed_ids()
            reduce = partial(self.session.explorer.plot_data, frontier, ids)
        plot.show(frontier, reduce)
        plot.hull = frontier.pair in self._hull_pairs
        self.mixed = mixed_note(frontier.mixed)
        if frontier.axes:
            plot.selected_paper = self.query_one(PaperTable).current_id()
        self.update_status()
        if self._view_point is not None and frontier.pair == self.pair:
            self._select_view_point(plot, *self._view_point)

    def action_pick_pair(self) -> None:
        """Find the listed papers' pairs, then let the user pick one."""
        self.find_pairs(self.session.explorer, self.listed_ids())

    @work(thread=True, exclusive=True, group="pairs", name="pairs", exit_on_error=False)
    def find_pairs(self, explorer: Explorer, ids: list[str]) -> None:
        """The listed papers' pairs, found off the UI thread; then the picker opens."""
        pairs = explorer.pairs(ids)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._open_picker, pairs)

    def _open_picker(self, pairs: list[PairRow]) -> None:
        def chosen(spec: str | None) -> None:
            if spec:
                self.pair = spec
                self.session.state.last_pair = spec
                self.redraw_plot()

        if self.is_current:  # nothing else opened meanwhile
            self.app.push_screen(PairPicker(pairs, self.pair), chosen)

    def action_swap_axes(self) -> None:
        """Swap the plotted pair's axes; say so when the pair is not written X:Y."""
        if not self.pair:
            self.update_status("no pair to swap: press p to pick one")
            return
        spec = swapped(self.pair)
        if spec is None:
            notify_plain(
                self,
                f"Cannot swap {self.pair!r}: a pair is written X:Y. Press p to pick one.",
                severity="warning",
            )
            return
        self.pair = self.session.state.last_pair = spec
        self.as_of = None
        self.redraw_plot()

    def action_clear_pair(self) -> None:
        """Plot nothing."""
        self.pair = self.session.state.last_pair = None
        self.as_of = None
        self.redraw_plot()

    def action_toggle_log(self) -> None:
        """Cycle the log scales: none, x, y, both."""
        plot = self.query_one(FrontierPlot)
        plot.log_mode = (plot.log_mode + 1) % len(LOG_MODES)
        self.update_status(log_line(plot.log_mode))

    def action_step(self, delta: int) -> None:
        """Step ``delta`` points along x; the list follows to the point's paper."""
        plot = self.query_one(FrontierPlot)
        ordered = plot.ordered()
        if not ordered:
            return
        plot.cursor = 0 if plot.cursor is None else (plot.cursor + delta) % len(ordered)
        self._stepped_to(plot, ordered)

    def action_step_frontier(self, delta: int) -> None:
        """Step ``delta`` points along the frontier only (at 10,000 papers, most points are not on it)."""
        plot = self.query_one(FrontierPlot)
        ordered = plot.ordered()
        on = [i for i, p in enumerate(ordered) if p["on_frontier"]]
        if not on:
            return
        if plot.cursor is None:
            plot.cursor = on[0] if delta > 0 else on[-1]
        else:
            later = [i for i in on if (i - plot.cursor) * delta > 0]
            plot.cursor = (
                (min(later) if delta > 0 else max(later)) if later else (on[0] if delta > 0 else on[-1])
            )
        self._stepped_to(plot, ordered)

    def action_toggle_hull(self) -> None:
        """Join the pair's frontier by its hull, or by its steps again: a choice kept per pair,
        for next time too."""
        if self.pair is None:
            notify_plain(self, "Pick a pair first (p).")
            return
        hull = self.pair not in self._hull_pairs
        try:
            self.tell(self.session.set_hull(self.pair, hull))
        except NotSaved as err:  # still drawn so for now; said, so it is not expected next time
            notify_plain(self, str(err), severity="error", timeout=10)
        self._hull_pairs ^= {self.pair}
        self.query_one(FrontierPlot).hull = hull

    def action_step_time(self) -> None:
        """Draw the frontier as of the next date it moved (after the last one: today)."""
        if self.pair is None:
            notify_plain(self, "Pick a pair first (p).")
            return
        conditions = self.selection.query.conditions if self.selection else ()
        key = f"{self.pair}\0{id(self.selection)}"
        if self._moments is None or self._moments[0] != key:
            self.find_moments(self.session.explorer, self.pair, self.listed_ids(), conditions, key)
            return
        self._next_moment(self._moments[1])

    @work(thread=True, exclusive=True, group="moments", name="moments", exit_on_error=False)
    def find_moments(
        self, explorer: Explorer, pair: str, ids: list[str], conditions: tuple[tuple[str, str], ...], key: str
    ) -> None:
        """The dates the frontier moved, found off the UI thread; then the plot steps to the first."""
        moments = explorer.moments(pair, ids, conditions)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._moments_found, key, moments)

    def _moments_found(self, key: str, moments: list[str]) -> None:
        self._moments = (key, moments)
        if not moments:
            notify_plain(
                self, "No listed paper with a date reports both: the plot has no past to step through."
            )
            return
        self._next_moment(moments)

    def _next_moment(self, moments: list[str]) -> None:
        if self.as_of is None:
            self.as_of = moments[0]
        else:
            later = [m for m in moments if m > self.as_of]
            self.as_of = later[0] if later else None  # after the last: today
        self.redraw_plot()

    def action_why(self) -> None:
        """Explain the current point: what dominates it, and the improvement it needs."""
        plot = self.query_one(FrontierPlot)
        if self.pair is None or not plot.points:
            self.notify("Pick a pair with points first (p).", markup=False)
            return
        if plot.cursor is None:
            self.notify("Step to a point first ([ and ], { and }, or a click on the plot).", markup=False)
            return
        conditions = self.selection.query.conditions if self.selection else ()
        point = plot.ordered()[plot.cursor]
        hull = self.pair in self._hull_pairs
        self.explain_point(self.session.explorer, self.pair, self.listed_ids(), conditions, point, hull)

    @work(thread=True, exclusive=True, group="why", name="why", exit_on_error=False)
    def explain_point(
        self,
        explorer: Explorer,
        pair: str,
        ids: list[str],
        conditions: tuple[tuple[str, str], ...],
        point: PointRecord,
        hull: bool,
    ) -> None:
        """Find the explanation off the UI thread (it looks at every point of the pair)."""
        lines = explorer.why(pair, ids, conditions, point, hull=hull)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.app.push_screen, AnswerDialog(f"Why, on {pair}", lines))

    @on(FrontierPlot.PointClicked)
    def point_clicked(self, event: FrontierPlot.PointClicked) -> None:
        """A click on the plot selects the point and its paper, as stepping to it would."""
        plot = self.query_one(FrontierPlot)
        plot.cursor = event.index
        self._stepped_to(plot, plot.ordered())

    def _stepped_to(self, plot: FrontierPlot, ordered: list[PointRecord]) -> None:
        """The list follows to the stepped point's paper, and the status line names the point."""
        assert plot.cursor is not None
        point = ordered[plot.cursor]
        self.query_one(PaperTable).move_to(point["paper_id"])
        self.update_status(f"point {plot.cursor + 1}/{len(ordered)}: {point_line(point)}")

    # The selected paper ---------------------------------------------------------------

    @on(PaperTable.Highlighted)
    def paper_highlighted(self, event: PaperTable.Highlighted) -> None:
        self.query_one(FrontierPlot).selected_paper = event.paper_id

    @on(PaperTable.Selected)
    def paper_selected(self, event: PaperTable.Selected) -> None:
        self.open_paper(self.session.explorer, event.paper_id)

    @work(thread=True, exclusive=True, group="paper", name="open paper", exit_on_error=False)
    def open_paper(self, explorer: Explorer, paper_id: str) -> None:
        """Read one paper's whole record off the UI thread; then its detail opens."""
        paper = explorer.paper(paper_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_paper, paper)

    def _show_paper(self, paper: PaperRecord) -> None:
        if self.is_current:  # nothing else opened meanwhile
            self.app.push_screen(DetailScreen(self.session, paper), lambda _: self._paper_closed(paper["id"]))

    def _paper_closed(self, paper_id: str) -> None:
        """Back from a paper: its row shows the bookmark made or removed there."""
        self.query_one(PaperTable).set_mark(paper_id, paper_id in self.session.bookmarks())

    def action_bookmark(self) -> None:
        """Bookmark the selected paper, or remove its bookmark."""
        paper_id = self.query_one(PaperTable).current_id()
        if paper_id:
            marked = self.toggle_bookmark(paper_id)
            if marked is not None:
                self.query_one(PaperTable).set_mark(paper_id, marked)

    def action_note(self) -> None:
        """Write a note on the selected paper."""
        paper_id = self.query_one(PaperTable).current_id()
        if paper_id:
            self.edit_note(paper_id)

    def action_focus_search(self) -> None:
        """Move to the search box."""
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        """Leave the search box for the list, at once: keys typed right after go to the list
        (``focus()`` would move it only after the keys already waiting)."""
        self.set_focus(self.query_one(PaperTable))

    def action_to_list(self) -> None:
        """Go down from the search box to the list."""
        self.action_leave_search()

    def action_export(self) -> None:
        """Ask for a format and a file, then export what is on screen."""
        pair, ids = self.pair, self.listed_ids()
        conditions = self.selection.query.conditions if self.selection else ()
        what = f"the {pair} points of the listed papers" if pair else "the listed papers"

        def chosen(answer: tuple[str, str, bool] | None) -> None:
            if answer:
                fmt, target, frontier_only = answer
                self.run_export(self.session, fmt, target, pair, ids, conditions, frontier_only)

        self.app.push_screen(ExportDialog(what, for_pair=pair is not None), chosen)

    @work(thread=True, group="export", name="export", exit_on_error=False)
    def run_export(
        self,
        session: Session,
        fmt: str,
        target: str,
        pair: str | None,
        ids: list[str],
        conditions: tuple[tuple[str, str], ...],
        frontier_only: bool = False,
    ) -> None:
        """Write what was on screen off the UI thread; then say what was written, or why not."""
        severity: SeverityLevel = "information"
        try:
            message = session.export(fmt, target, pair, ids, conditions, frontier_only).said
        except (ExportError, QueryError) as err:
            message, severity = f"Export failed: {err}", "error"
        self.app.call_from_thread(notify_plain, self, message, severity=severity, timeout=10)
