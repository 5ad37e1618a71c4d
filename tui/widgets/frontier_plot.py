"""The frontier plot inside the app: redrawn from its data whenever it changes or is resized."""

from __future__ import annotations

import os
from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from catalog.query import Axis
from tui.plot import PlotPoint, render_plot

LOG_MODES = ((False, False), (True, False), (False, True), (True, True))


class FrontierPlot(Widget):
    """Points of one objective pair; the frontier marked; the selected paper's points stand out."""

    can_focus = False

    log_mode: reactive[int] = reactive(0)
    """Which axes are logarithmic: an index into ``LOG_MODES``."""
    selected_paper: reactive[str | None] = reactive(None)
    """The paper whose points are drawn with the selection marker."""
    cursor: reactive[int | None] = reactive(None)
    """The index of the point being stepped through, if any."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axes: tuple[Axis, Axis] | None = None
        self.points: list[dict[str, Any]] = []
        self.message = "Press p to pick an objective pair."

    def show(self, axes: tuple[Axis, Axis] | None, points: list[dict[str, Any]], message: str = "") -> None:
        """Draw ``points`` on ``axes`` (or ``message`` when there is nothing to draw)."""
        self.axes, self.points = axes, points
        self.message = message or "Press p to pick an objective pair."
        self.cursor = None
        self.refresh()

    def ordered(self) -> list[dict[str, Any]]:
        """The points in the order stepping visits them: along x."""
        return sorted(self.points, key=lambda p: (p["x"], p["y"]))

    def render(self) -> Text:
        if self.axes is None or not self.points:
            return Text(self.message, justify="center")
        stepped = self.ordered()[self.cursor] if self.cursor is not None and self.points else None
        plot_points = [
            PlotPoint(p["x"], p["y"], p["on_frontier"], p is stepped or p["paper_id"] == self.selected_paper)
            for p in self.points
        ]
        log_x, log_y = LOG_MODES[self.log_mode]
        text = render_plot(
            plot_points,
            *self.axes,
            width=max(self.size.width, 20),
            height=max(self.size.height - 1, 8),
            log_x=log_x,
            log_y=log_y,
            colour=not os.environ.get("NO_COLOR"),
        )
        return Text.from_ansi(text.rstrip("\n"), no_wrap=True)

    def watch_log_mode(self) -> None:
        self.refresh()

    def watch_selected_paper(self) -> None:
        self.refresh()

    def watch_cursor(self) -> None:
        self.refresh()
