"""A page of drawn text: the grid of pairs (small multiples), one frontier per group, or the
claims map.

The screen is given what to draw as a function of the width, and draws it in a thread of its
own (at 100,000 papers a page takes a second or more: the app stays responsive meanwhile),
again when the terminal is resized; what it draws is shown as written, never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tui.multiples import wrapped
from tui.widgets.plain import plain, plain_lines


class PanelScreen(Screen[None]):
    """Drawn text under a title, scrolled with the arrows and pages, closed with escape or q.

    Args:
        title: What the page shows (catalog text is escaped).
        draw: The page's text for a width in columns.
    """

    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, title: str, draw: Callable[[int], str]) -> None:
        super().__init__()
        self.heading = title
        self.draw = draw
        self._asked_for: int | None = None
        self.drawn_for: int | None = None
        """The width the text on the page was drawn for (None while it is being drawn)."""

    def compose(self) -> ComposeResult:
        yield Label(plain(self.heading), id="panel-title")
        with VerticalScroll(id="panel-scroll"):
            yield Static("Drawing…", id="panel-text")
        yield Footer()

    def on_mount(self) -> None:
        self.redraw()
        self.query_one("#panel-scroll").focus()

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Draw the page for the screen's width (once per width), off the UI thread."""
        width = max(40, self.size.width - 4)  # the padding, and the scroll bar's room
        if width == self._asked_for:
            return
        self._asked_for = width
        self.drawing(width)

    @work(thread=True, exclusive=True, group="panel", name="panel", exit_on_error=False)
    def drawing(self, width: int) -> None:
        """Draw the page for ``width``; a newer width cancels it."""
        # A drawing fits the width it is drawn for; a line of words past it (a note, a command
        # to copy) is wrapped rather than cut at the screen's edge.
        lines = [part for line in self.draw(width).rstrip("\n").split("\n") for part in wrapped(line, width)]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, "\n".join(lines), width)

    def _show(self, text: str, width: int) -> None:
        if width == self._asked_for:
            self.query_one("#panel-text", Static).update(plain_lines(text))
            self.drawn_for = width

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Say on the page when drawing it failed, rather than leave it drawing for ever."""
        if event.worker.group == "panel" and event.state == WorkerState.ERROR:
            self.query_one("#panel-text", Static).update(
                plain(f"Could not draw the page: {event.worker.error}")
            )
