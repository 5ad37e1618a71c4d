"""The ``tradeoffs`` app: search the catalog, pick an objective pair, see the frontier, read the paper.

The app owns one ``Explorer`` (the catalog's answers) and the user's state, and passes them to
its screens. Slow work (opening the catalog, searching) runs in thread workers that post back.

Watching the catalog's files for changes means listing and statting every one of them: at
100,000 files that takes most of a second. So it stays off the way to the first screen (the
store hands over the fingerprint it checked when opening), and looks are spaced by how long
one takes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from catalog import export
from catalog.errors import CatalogError, QueryError
from catalog.query.explore import Explorer
from catalog.state import UserState, load_state, update_state
from catalog.store.store import fingerprint, open_store
from tui.screens.detail import DetailScreen
from tui.screens.dialogs import HelpScreen, LoadingScreen, NoteDialog, ProblemsScreen
from tui.screens.main import MainScreen


class TradeoffsApp(App[None]):
    """Explore papers that report trade-offs between objectives."""

    CSS_PATH = "app.tcss"
    TITLE = "tradeoffs"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("r", "reload", "Reload", show=False),
    ]

    #: How often the catalog files are checked for changes, in seconds, at least; and at most
    #: this share of the time goes to checking.
    WATCH_SECONDS = 2.0
    WATCH_SHARE = 0.1

    def __init__(self, catalog_paths: list[Path], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.catalog_paths = catalog_paths
        self.explorer: Explorer
        self.user_state = UserState()
        self.loaded_fingerprint: str | None = None
        """The catalog files' fingerprint as loaded."""
        self.change_noticed = False

    def on_mount(self) -> None:
        self.push_screen(LoadingScreen())
        self.user_state, problem = load_state()
        if problem:
            self.notify(problem, severity="warning", timeout=10)
        self.load_catalog()

    @work(thread=True, exclusive=True, group="load")
    def load_catalog(self) -> None:
        """Open (or build) the catalog off the UI thread, reporting progress."""

        def progress(done: int, total: int) -> None:
            self.call_from_thread(self._progress, f"reading catalog files: {done:,} of {total:,}")

        try:
            store = open_store(self.catalog_paths, on_progress=progress)
            self.call_from_thread(self._progress, "indexing for search")
            explorer = Explorer(store)
        except CatalogError as err:
            self.call_from_thread(self.switch_screen, ProblemsScreen(err.problems))
            return
        self.loaded_fingerprint = store.fingerprint
        self.call_from_thread(self._loaded, explorer, store.notices)

    def _progress(self, message: str) -> None:
        if isinstance(self.screen, LoadingScreen):
            self.screen.progress(message)

    def _loaded(self, explorer: Explorer, notices: list[str]) -> None:
        self.explorer = explorer
        for notice in notices:
            self.notify(notice, severity="warning")
        self.switch_screen(MainScreen())
        self.set_timer(self.WATCH_SECONDS, self.watch_catalog)

    # Catalog files changing under the app ----------------------------------------------

    @work(thread=True, exclusive=True, group="watch")
    def watch_catalog(self) -> None:
        """Notice when a catalog file changes on disk, and offer to reload; then look again later."""
        start = time.monotonic()
        changed = False
        if self.loaded_fingerprint is not None and not self.change_noticed:
            changed = fingerprint(self.catalog_paths) != self.loaded_fingerprint
        if changed and not self.change_noticed:
            self.change_noticed = True
            self.call_from_thread(
                self.notify,
                "The catalog changed on disk: press r to reload it.",
                title="Catalog changed",
                timeout=30,
            )
        wait = max(self.WATCH_SECONDS, (time.monotonic() - start) / self.WATCH_SHARE)
        if not get_current_worker().is_cancelled:  # the app is closing
            self.call_from_thread(self.set_timer, wait, self.watch_catalog)

    @work(thread=True, exclusive=True, group="load")
    def action_reload(self) -> None:
        """Load the catalog again; when it fails, the last good catalog stays on screen."""
        seen = fingerprint(self.catalog_paths)
        try:
            store = open_store(self.catalog_paths)
            explorer = Explorer(store)
        except CatalogError as err:
            first = err.problems[0] if err.problems else ""
            self.loaded_fingerprint = seen  # do not nag again until the files change again
            self.change_noticed = False
            message = (
                f"Reload failed: {len(err.problems)} problem(s), first: {first}. The last good catalog stays."
            )
            self.call_from_thread(self.notify, message, severity="error", timeout=30)
            return
        self.loaded_fingerprint = store.fingerprint
        self.change_noticed = False
        self.call_from_thread(self._reloaded, explorer)

    def _reloaded(self, explorer: Explorer) -> None:
        self.explorer = explorer
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.reload()
        self.notify("Catalog reloaded.")

    # Shared actions ---------------------------------------------------------------------

    def open_paper(self, paper_id: str) -> None:
        """Show one paper's detail."""
        self.push_screen(DetailScreen(self.explorer.paper(paper_id)))

    def toggle_bookmark(self, paper_id: str) -> bool:
        """Bookmark or unbookmark a paper, saving at once; returns whether it is bookmarked."""
        # Toggle what this copy shows; another copy may have changed the file meanwhile.
        wanted = not self.user_state.is_bookmarked(paper_id)
        if not self.change_state(lambda state: state.set_bookmark(paper_id, wanted)):
            return not wanted
        self.notify("Bookmarked." if wanted else "Bookmark removed.")
        return wanted

    def edit_note(self, paper_id: str, on_saved: Callable[[], None] | None = None) -> None:
        """Open the note editor for a paper; the note is saved when the editor is saved."""
        title = self.explorer.title(paper_id)

        def done(text: str | None) -> None:
            if text is None:
                return
            if self.change_state(lambda state: state.set_note(paper_id, text)):
                self.notify("Note saved.")
            if on_saved:
                on_saved()

        self.push_screen(NoteDialog(title, self.user_state.notes.get(paper_id, "")), done)

    def change_state(self, change: Callable[[UserState], object]) -> bool:
        """Apply ``change`` to the saved state (merging with other running copies); False if it failed."""
        # The view (query, pair) is this copy's own until it quits; keep it across the merge.
        view = (self.user_state.last_query, self.user_state.last_pair)
        try:
            self.user_state, _ = update_state(change)
            self.user_state.last_query, self.user_state.last_pair = view
        except OSError as err:
            self.notify(f"Could not save your bookmarks and notes: {err}", severity="error", timeout=10)
            return False
        return True

    def export_view(self, fmt: str, target: str, pair: str | None, paper_ids: list[str]) -> None:
        """Write what is on screen (the pair's points, or the listed papers) to ``target``."""
        store = self.explorer.store
        path = Path(target).expanduser()
        try:
            records, points = export.gather(store, fmt, pair, paper_ids)
            export.write(store, fmt, records, points, path)
        except (OSError, QueryError) as err:
            self.notify(f"Export failed: {err}", severity="error", timeout=10)
            return
        self.notify(f"Wrote {len(records)} records to {path}")

    def save_view(self) -> None:
        """Keep the last query and pair for next time."""
        query, pair = self.user_state.last_query, self.user_state.last_pair

        def remember(state: UserState) -> None:
            state.last_query, state.last_pair = query, pair

        self.change_state(remember)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        if any(isinstance(s, MainScreen) for s in self.screen_stack):
            self.save_view()
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and search filters", self.action_help)
        yield SystemCommand("Reload catalog", "Read the catalog files again (r)", self.action_reload)
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is not None and screen is main:
            for title, help_text, action in (
                ("Search", "Focus the search box (/)", main.action_focus_search),
                ("Pick pair", "Choose the objective pair to plot (p)", main.action_pick_pair),
                ("Swap axes", "Swap x and y (s)", main.action_swap_axes),
                ("Clear pair", "Plot nothing (c)", main.action_clear_pair),
                ("Log scales", "Cycle log scales: none, x, y, both (l)", main.action_toggle_log),
                ("Next point", "Step to the next point of the plot (])", lambda: main.action_step(1)),
                ("Previous point", "Step to the previous point ([)", lambda: main.action_step(-1)),
                ("Bookmark", "Bookmark the selected paper (b)", main.action_bookmark),
                ("Note", "Write a note on the selected paper (n)", main.action_note),
                ("Export", "Export what is on screen (e)", main.action_export),
            ):
                yield SystemCommand(title, help_text, action)
        if isinstance(screen, DetailScreen):
            yield SystemCommand("Bookmark", "Bookmark this paper (b)", screen.action_bookmark)
            yield SystemCommand("Note", "Write a note on this paper (n)", screen.action_note)
            yield SystemCommand(
                "Open link", "Open the paper's link in the browser (o)", screen.action_open_link
            )
