"""A page of drawn text: the grid of pairs (small multiples) or the claims map.

The screen is given what to draw as a function of the width, and draws it again when the
terminal is resized; what it draws is shown as written, never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

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
        self._drawn_for: int | None = None

    def compose(self) -> ComposeResult:
        yield Label(plain(self.heading), id="panel-title")
        with VerticalScroll(id="panel-scroll"):
            yield Static(id="panel-text")
        yield Footer()

    def on_mount(self) -> None:
        self.redraw()
        self.query_one("#panel-scroll").focus()

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Draw the page for the screen's width (once per width)."""
        width = max(40, self.size.width - 4)  # the padding, and the scroll bar's room
        if width == self._drawn_for:
            return
        self._drawn_for = width
        # A drawing fits the width it is drawn for; a line of words past it (a note, a command
        # to copy) is wrapped rather than cut at the screen's edge.
        lines = [part for line in self.draw(width).rstrip("\n").split("\n") for part in wrapped(line, width)]
        self.query_one("#panel-text", Static).update(plain_lines("\n".join(lines)))
