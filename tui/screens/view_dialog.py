"""The view dialog (``v``): the command line that shows what is on screen, copied to the
clipboard, and a name to save the view under for ``tradeoffs --view NAME``; and what opening a
saved view on the main screen can do with this catalog.

The command line holds the user's query as written, so it is shown as text, never as markup;
the clipboard gets it exactly (Textual sends it with the terminal's OSC 52 sequence, which
some terminals ignore: the dialog says so).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from catalog.errors import QueryError
from catalog.query.history import last_day
from catalog.query.records import PointRecord
from catalog.views import View, command_line, name_problem
from tui.widgets.frontier_plot import LOG_MODES
from tui.widgets.plain import notify_plain, plain, plain_lines

COPIED = "Copied to the clipboard (if your terminal allows it)."


class ViewDialog(ModalScreen[str | None]):
    """The view's command line, copied to the clipboard; enter saves the view under the name
    typed (dismissed with it). A name already saved is replaced only when asked twice.

    Args:
        view: What is on screen.
        saved: The names views are saved under now.
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, view: View, saved: Collection[str]) -> None:
        super().__init__()
        self.view = view
        self.line = command_line(view)
        """The command line shown and copied; None when the view has no pair to plot."""
        self.saved = set(saved)
        self._replace: str | None = None
        """The name the user was warned is taken; entering it again replaces that view."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="view-dialog"):
            yield Label("This view on the command line", classes="dialog-title")
            if self.line is None:
                yield Static(
                    "No pair is plotted, and a plot needs one (p picks it); saved, the view keeps "
                    "the query for tradeoffs --view NAME.",
                    id="view-line",
                )
            else:
                yield Static(plain_lines(self.line), id="view-line")
                yield Static(COPIED, id="view-copied")
            if self.view.paper is not None:
                selected = _selected(self.view.paper, self.view.method)
                yield Static(plain(f"Saving keeps the selected {selected} too."), id="view-point")
            yield Label("Save it as (enter saves; tradeoffs --view NAME opens it):", id="view-name-label")
            yield Input(placeholder="a name: letters, digits, - _ .", id="view-name")
            yield Footer()

    def on_mount(self) -> None:
        if self.line is not None:
            self.app.copy_to_clipboard(self.line)
        self.query_one("#view-name", Input).focus()

    @on(Input.Submitted, "#view-name")
    def save(self) -> None:
        """Dismiss with the name typed, once it is a name (and, when it is taken, asked twice)."""
        name = self.query_one("#view-name", Input).value.strip()
        if problem := name_problem(name):
            notify_plain(self, problem[:1].upper() + problem[1:] + ".", severity="warning")
            return
        if name in self.saved and self._replace != name:
            self._replace = name
            notify_plain(self, f"A view is saved as {name!r}: enter again to replace it.", severity="warning")
            return
        self.dismiss(name)


@dataclass(frozen=True)
class Opening:
    """What the main screen opens of a saved view, and what it could not.

    Attributes:
        pair: The pair to plot (None: the view has none, or this catalog does not know it).
        log_mode: The plot's log scales, an index into ``LOG_MODES``.
        as_of: The date to draw the plot as of, as its last day (``YYYY-MM-DD``), or None.
        point: The point to select once the plot is drawn, as (paper id, method or None).
        unmet: What could not be opened, each said as a clause ("its pair x:y is not in this
            catalog").
    """

    pair: str | None
    log_mode: int
    as_of: str | None
    point: tuple[str, str | None] | None
    unmet: list[str] = field(default_factory=list)


def opening(view: View, knows_pair: Callable[[str], bool]) -> Opening:
    """What of ``view`` can be opened on a catalog that ``knows_pair`` answers for."""
    unmet = []
    pair = view.pair
    if pair is not None and not knows_pair(pair):
        unmet.append(f"its pair {pair} is not in this catalog")
        pair = None
    as_of = None
    if view.as_of is not None:
        try:
            as_of = last_day(view.as_of).isoformat()
        except QueryError as err:
            unmet.append(f"its date: {err}")
    if view.by is not None:
        unmet.append(f"the app draws no frontier per {view.by} (tradeoffs plot --by {view.by} does)")
    point = None
    if view.paper is not None:
        if pair is None:
            unmet.append(f"its {_selected(view.paper, view.method)} has no plot to be on")
        else:
            point = (view.paper, view.method)
    return Opening(pair, LOG_MODES.index((view.log_x, view.log_y)), as_of, point, unmet)


def find_point(ordered: Sequence[PointRecord], paper: str, method: str | None) -> int | None:
    """Where the point of ``paper`` (and ``method``, if given) is in ``ordered``, the first one;
    None when there is none."""
    for i, p in enumerate(ordered):
        if p["paper_id"] == paper and (method is None or p["method"] == method):
            return i
    return None


def missing_point(paper: str, method: str | None) -> str:
    """What the user is told when a view's point is not on its plot any more."""
    return f"The view's {_selected(paper, method)} is not on the plot."


def _selected(paper: str, method: str | None) -> str:
    """A view's selection in words: ``point METHOD [PAPER]``, or ``paper PAPER``."""
    return f"point {method} [{paper}]" if method is not None else f"paper {paper}"


def on_screen(
    pair: str | None, query: str, as_of: str | None, log_mode: int, hull: bool, point: PointRecord | None
) -> View:
    """The view of what the main screen shows: the pair, the query, the date it is drawn as of,
    the scales, hull or steps, and the point stepped to."""
    log_x, log_y = LOG_MODES[log_mode]
    return View(
        pair=pair,
        query=query if query.strip() else "",
        as_of=as_of if pair else None,
        log_x=log_x,
        log_y=log_y,
        hull=hull and pair is not None,
        paper=point["paper_id"] if point else None,
        method=point["method"] if point else None,
    )
