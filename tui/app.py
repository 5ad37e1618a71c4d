"""The ``tradeoffs`` app: search the catalog, pick an objective pair, see the frontier, read the paper.

The app opens the catalog, makes the ``Session`` (the explorer and the user's state) and hands
it to each screen it makes; screens never reach back into the app. What stays here is what
belongs to the whole program: loading and reloading the catalog, watching its files, the help,
the command palette and quitting (which keeps the view for next time).

Watching the catalog's files for changes means listing and statting every one of them: at
100,000 files that takes most of a second. So it stays off the way to the first screen (the
store hands over the fingerprint it checked when opening), and looks are spaced by how long
one takes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import get_current_worker

from catalog.errors import CatalogError, StoreError
from catalog.paths import no_home_notice
from catalog.query.diff import reload_summary
from catalog.query.explore import Explorer
from catalog.state import UserState, load_state
from catalog.store.store import REBUILT_NOTICE, Store, discard_cache, fingerprint, is_damage, open_store
from catalog.text import one_line
from catalog.views import View
from tui.keys import KeySection, palette_commands
from tui.screens.base import SessionScreen
from tui.screens.detail import DetailScreen
from tui.screens.dialogs import LoadingScreen, ProblemsScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.session import NotSaved, Session
from tui.widgets.paper_table import HELP_KEYS
from tui.widgets.plain import notify_plain, plain


class TradeoffsApp(App[None]):
    """Explore papers that report trade-offs between objectives.

    Args:
        catalog_paths: The catalog's files and folders.
        view: The view to open on (``tradeoffs --view NAME``), or None: the last query and pair.
    """

    CSS_PATH = "app.tcss"
    TITLE = "tradeoffs"
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="quit, keeping the query and the pair for next time"),
        Binding(
            "question_mark", "help", "Help", key_display="?", tooltip="this help: the keys and the filters"
        ),
        Binding(
            "r",
            "reload",
            "Reload catalog",
            show=False,
            tooltip="reload the catalog after its files changed",
        ),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a text box has focus its letters are typed, not commands: hide their keys."""
        return not (action in ("quit", "help", "reload") and isinstance(self.focused, Input))

    #: How often the catalog files are checked for changes, in seconds, at least; and at most
    #: this share of the time goes to checking.
    WATCH_SECONDS = 2.0
    WATCH_SHARE = 0.1

    def __init__(self, catalog_paths: list[Path], view: View | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.catalog_paths = catalog_paths
        """The catalog's files and folders."""
        self.view = view
        """The view the first screen opens on, if any."""
        self.session: Session | None = None
        """The explorer and the user's state, once the catalog has loaded."""
        self._state = UserState()
        self.loaded_fingerprint: str | None = None
        """The catalog files' fingerprint as loaded."""
        self.change_noticed = False
        """Whether the user was told the files changed (they are not told again until a reload)."""
        self._rebuilding = False

    @property
    def user_state(self) -> UserState:
        """The user's state: the session's once the catalog has loaded, as read before that."""
        return self.session.state if self.session is not None else self._state

    def on_mount(self) -> None:
        self.push_screen(LoadingScreen())
        self._state, problem = load_state()
        if problem:
            notify_plain(self, problem, severity="warning", timeout=10)
        if home := no_home_notice():
            notify_plain(self, home.removeprefix("note: "), severity="warning", timeout=20)
        self.load_catalog()

    @work(thread=True, exclusive=True, group="load", name="load catalog")
    def load_catalog(self) -> None:
        """Open (or build) the catalog off the UI thread, reporting progress."""

        def progress(done: int, total: int) -> None:
            self.call_from_thread(self._progress, f"reading catalog files: {done:,} of {total:,}")

        try:
            # Every file that can be read is opened; the others are named in a banner.
            store, explorer = self._open(progress, skip_broken=True)
        except CatalogError as err:
            self.call_from_thread(self.switch_screen, ProblemsScreen(err.problems))
            return
        except StoreError as err:  # nowhere to build the database: say why and what to do, and stay
            self.call_from_thread(self._progress, one_line(str(err)))
            return
        self.loaded_fingerprint = store.fingerprint
        self.call_from_thread(self._loaded, explorer, store.notices)

    def _open(
        self, progress: Callable[[int, int], None] | None = None, skip_broken: bool = False
    ) -> tuple[Store, Explorer]:
        """Open the catalog and index it for search; a cache found damaged is built again."""
        for attempt in (1, 2):
            store = open_store(self.catalog_paths, on_progress=progress, skip_broken=skip_broken)
            if progress:
                self.call_from_thread(self._progress, "indexing for search")
            try:
                return store, Explorer(store)
            except Exception as err:
                if attempt == 2 or not is_damage(err):
                    raise
                discard_cache(self.catalog_paths)
                store.notices.append(REBUILT_NOTICE)
        raise AssertionError("unreachable")

    def on_session_screen_cache_damaged(self, message: SessionScreen.CacheDamaged) -> None:
        """A query found the cache damaged: build it again, once, and reload."""
        if self._rebuilding:
            return
        self._rebuilding = True  # the reload removes the damaged cache first, off this thread
        notify_plain(self, "The catalog's cache was damaged: building it again.", severity="warning")
        self.action_reload()

    def _progress(self, message: str) -> None:
        if isinstance(self.screen, LoadingScreen):
            self.screen.progress(message)

    def _loaded(self, explorer: Explorer, notices: list[str]) -> None:
        self.session = Session(explorer, self._state, catalog_paths=self.catalog_paths)
        for notice in notices:
            notify_plain(self, notice, severity="warning")
        typed = self.screen.typed if isinstance(self.screen, LoadingScreen) else ""
        self.switch_screen(MainScreen(self.session, typed=typed, view=self.view))
        self.set_timer(self.WATCH_SECONDS, self.watch_catalog)

    # Catalog files changing under the app ----------------------------------------------

    @work(thread=True, exclusive=True, group="watch", name="watch catalog")
    def watch_catalog(self) -> None:
        """Notice when a catalog file changes on disk, and offer to reload; then look again later."""
        start = time.monotonic()
        changed = False
        if self.loaded_fingerprint is not None and not self.change_noticed:
            changed = fingerprint(self.catalog_paths) != self.loaded_fingerprint
        if changed and not self.change_noticed:
            self.change_noticed = True
            self.call_from_thread(
                notify_plain,
                self,
                "The catalog changed on disk: press r to reload it.",
                title="Catalog changed",
                timeout=30,
            )
        wait = max(self.WATCH_SECONDS, (time.monotonic() - start) / self.WATCH_SHARE)
        if not get_current_worker().is_cancelled:  # the app is closing
            self.call_from_thread(self.set_timer, wait, self.watch_catalog)

    @work(thread=True, exclusive=True, group="load", name="reload catalog")
    def action_reload(self) -> None:
        """Load the catalog again; when it fails, the last good catalog stays on screen. Says
        what changed: papers added and removed, and the points that moved the plotted frontier."""
        seen = fingerprint(self.catalog_paths)
        old = self.session.explorer.store if self.session else None
        pair = next((s.pair for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if self._rebuilding:  # (it may wait while another process builds the same catalog)
            discard_cache(self.catalog_paths)
        try:
            store, explorer = self._open()
        except CatalogError as err:
            first = err.problems[0] if err.problems else ""
            self.loaded_fingerprint = seen  # do not nag again until the files change again
            self.change_noticed = False
            message = (
                f"Reload failed: {len(err.problems)} problem(s), first: {first}. The last good catalog stays."
            )
            self.call_from_thread(notify_plain, self, message, severity="error", timeout=30)
            return
        except StoreError as err:
            self._rebuilding = False
            message = f"Reload failed: {err}. The last good catalog stays."
            self.call_from_thread(notify_plain, self, message, severity="error", timeout=30)
            return
        self.loaded_fingerprint = store.fingerprint
        self.change_noticed = False
        self._rebuilding = False
        changed = ""
        if old is not None:
            with suppress(Exception):  # saying what changed must never cost the reload itself
                changed = reload_summary(old, store, pair)
        self.call_from_thread(self._reloaded, explorer, store.notices, changed)

    def _reloaded(self, explorer: Explorer, notices: list[str], changed: str = "") -> None:
        if self.session is None:  # the first load had failed: this is the first good catalog
            self._loaded(explorer, notices)
            return
        self.session.explorer = explorer
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.catalog_reloaded()
        notify_plain(self, f"Catalog reloaded: {changed}." if changed else "Catalog reloaded.")

    # Help, the palette, quitting --------------------------------------------------------

    def key_sections(self) -> list[KeySection]:
        """Every key the help lists, by where it works, from the bindings that define them."""
        return [
            KeySection("The list and the plot", MainScreen.BINDINGS, HELP_KEYS),
            KeySection("A paper", DetailScreen.BINDINGS),
            KeySection("Everywhere", self.BINDINGS, [("ctrl+p", "every action, by name")]),
        ]

    def action_help(self) -> None:
        """Show the keys and the search filters."""
        self.push_screen(HelpScreen(self.key_sections()))

    async def action_quit(self) -> None:
        """Keep the query and pair for next time, then quit (saying why if they were not kept)."""
        message = None
        if self.session is not None:
            try:
                message = self.session.save_view().moved_aside
            except NotSaved as err:
                message = str(err)
        self.exit(message=plain(message) if message else None)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The screen's commands from its bindings first, then the app's, each with its key;
        Textual's own (themes, keys, screenshot) last, less those ours already offer."""
        offered = set()
        ours = list(screen.palette_commands()) if isinstance(screen, SessionScreen) else []
        ours += palette_commands(self, self.BINDINGS)
        for command in ours:
            offered.add(command.title)
            yield command
        for command in super().get_system_commands(screen):
            if command.title not in offered:  # Textual offers Quit too (it runs ours)
                yield command
