"""The frontier plot inside the app: redrawn from its data whenever it changes or is resized."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from catalog.query.pairs import Axis
from tui.plot import THIN_ABOVE, PlotPoint, render_plot, thin

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
        self._plain: list[PlotPoint] = []
        self._order: list[int] = []
        self._by_paper: dict[str, list[int]] = {}
        self._thinned: tuple[tuple[int, int, int], list[PlotPoint], tuple[int, int, int]] | None = None

    def show(self, axes: tuple[Axis, Axis] | None, points: list[dict[str, Any]], message: str = "") -> None:
        """Draw ``points`` on ``axes`` (or ``message`` when there is nothing to draw)."""
        self.axes, self.points = axes, points
        self.message = message or "Press p to pick an objective pair."
        self._plain = [PlotPoint(p["x"], p["y"], p["on_frontier"]) for p in points]
        self._order = sorted(range(len(points)), key=lambda i: (points[i]["x"], points[i]["y"]))
        self._by_paper = {}
        for i, point in enumerate(points):
            self._by_paper.setdefault(point["paper_id"], []).append(i)
        self._thinned = None
        self.cursor = None
        self.refresh()

    def ordered(self) -> list[dict[str, Any]]:
        """The points in the order stepping visits them: along x."""
        return [self.points[i] for i in self._order]

    def _drawn(self, width: int, height: int) -> tuple[list[PlotPoint], tuple[int, int, int] | None]:
        """The points to draw, with the selected paper's and the stepped one marked; and, when
        they are thinned, the counts of them all.

        Many points are thinned to the plot's cells once per size and scale (``thin``); the
        selected ones are added on top, so moving the cursor draws a few thousand, not all.
        """
        chosen = set(self._by_paper.get(self.selected_paper or "", ()))
        if self.cursor is not None:
            chosen.add(self._order[self.cursor])
        if len(self._plain) <= THIN_ABOVE * width * height:
            return [replace(p, selected=True) if i in chosen else p for i, p in enumerate(self._plain)], None
        log_x, log_y = LOG_MODES[self.log_mode]
        key = (width, height, self.log_mode)
        if self._thinned is None or self._thinned[0] != key:
            self._thinned = (key, *thin(self._plain, width, height, log_x=log_x, log_y=log_y))
        _, thinned, counts = self._thinned
        # The chosen points are drawn once, marked, whether or not thinning kept them.
        skip = {id(self._plain[i]) for i in chosen}
        marked = [replace(self._plain[i], selected=True) for i in sorted(chosen)]
        return [p for p in thinned if id(p) not in skip] + marked, counts

    def render(self) -> Text:
        if self.axes is None or not self.points:
            return Text(self.message, justify="center")
        width, height = max(self.size.width, 20), max(self.size.height - 1, 8)
        drawn, counts = self._drawn(width, height)
        log_x, log_y = LOG_MODES[self.log_mode]
        text = render_plot(
            drawn,
            *self.axes,
            width=width,
            height=height,
            log_x=log_x,
            log_y=log_y,
            colour=not os.environ.get("NO_COLOR"),
            counts=counts,
        )
        return Text.from_ansi(text.rstrip("\n"), no_wrap=True)

    def watch_log_mode(self) -> None:
        self.refresh()

    def watch_selected_paper(self) -> None:
        self.refresh()

    def watch_cursor(self) -> None:
        self.refresh()
