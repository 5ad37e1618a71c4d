"""The frontier plot inside the app: redrawn from its data whenever it changes or is resized.

It is handed a ``Frontier`` (the explorer's answer for a pair over the listed papers) and draws
it. When the points are many more than the plot has cells, drawing them all would take
seconds; the plot is then drawn from the core's reduction of them to its size
(``catalog.query.points.plot_points``: the frontier, and every other point one per cell),
asked for in a thread worker once per size and scale. The selected paper's points are drawn
on top from the whole list.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import events, work
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from catalog.query.explore import NO_PAIR, Frontier
from catalog.query.pairs import Axis
from catalog.query.points import PlotData, point_name
from catalog.query.records import PointRecord
from tui.plot import PlotPoint, QualifiedPlotPoint, from_records, in_units, nearest_point, render_plot
from tui.widgets.plain import plain_lines

LOG_MODES = ((False, False), (True, False), (False, True), (True, True))
#: What the theme colours on the plot: the frontier and its steps, the selected paper's points,
#: the current point, the qualified points.
_THEMED = (
    ("[◆✦\u2800-\u28ff]", "primary"),
    ("[●◈]", "warning"),
    ("◉", "error"),
    ("[◇○▷◁△▽↗↖↘↙]", "accent"),
)

#: Points per cell of the plot above which the plot is drawn from the core's reduction.
REDUCE_ABOVE = 4

#: Reduces the plot's points to a ``cols`` x ``rows`` plot, given (cols, rows, log_x, log_y).
Reduce = Callable[[int, int, bool, bool], PlotData]
Counts = tuple[int, int, int]


def log_line(mode: int) -> str:
    """What the status line says of log scale ``mode`` (an index into ``LOG_MODES``)."""
    log_x, log_y = LOG_MODES[mode]
    return f"log scale: {'x ' if log_x else ''}{'y' if log_y else ''}".strip() if mode else ""


def point_line(point: PointRecord) -> str:
    """One point, as the status line names it: whose it is, its values, whether it is optimal."""
    mark = " ◆ on the frontier" if point["on_frontier"] else ""
    name = point_name(point["method"], point["setting"], point["conditions"])
    return (
        f"{name} [{point['paper_id']}] "
        f"{point['x_objective']} {point['x']:g}, {point['y_objective']} {point['y']:g}{mark}"
    )


class FrontierPlot(Widget):
    """Points of one objective pair; the frontier marked; the selected paper's points stand out."""

    class PointClicked(Message):
        """A point was clicked: ``index`` is its place in ``ordered()``."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    can_focus = False

    log_mode: reactive[int] = reactive(0)
    """Which axes are logarithmic: an index into ``LOG_MODES``."""
    hull: reactive[bool] = reactive(False)
    """Whether the frontier is joined by its convex hull (two points can be mixed)."""
    selected_paper: reactive[str | None] = reactive(None)
    """The paper whose points are drawn with the selection marker."""
    cursor: reactive[int | None] = reactive(None)
    """The index of the point being stepped through, if any."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axes: tuple[Axis, Axis] | None = None
        """The pair's axes, x then y; None when there is nothing to plot."""
        self.points: list[PointRecord] = []
        """The points drawn, each flagged on or off the frontier."""
        self.message = NO_PAIR
        """What the plot says when it has nothing to draw."""
        self._plain: list[PlotPoint] = []
        self._qualified: list[QualifiedPlotPoint] = []
        self._drawn_as: tuple[str, dict[str, tuple[float, float]]] | None = None
        """The plot's text as last drawn and the axes' limits it used: where a click landed."""
        self._order: list[int] = []
        self._by_paper: dict[str, list[int]] = {}
        self._reduce: Reduce | None = None
        self._reduced: tuple[tuple[int, int, int], list[PlotPoint], Counts] | None = None
        self._asked: tuple[int, int, int] | None = None
        self._generation = 0

    def show(self, frontier: Frontier, reduce: Reduce | None = None) -> None:
        """Draw the points of ``frontier`` on its axes (or its message when there is nothing to draw).

        ``reduce`` answers for the same points reduced to a plot's size; without it every point
        is drawn, however many.
        """
        points = frontier.points
        self.axes, self.points = frontier.axes, points
        self.message = frontier.message or NO_PAIR
        self._plain = [PlotPoint(p["x"], p["y"], p["on_frontier"]) for p in points]
        self._qualified = from_records(frontier.qualified)
        self._order = sorted(range(len(points)), key=lambda i: (points[i]["x"], points[i]["y"]))
        self._by_paper = {}
        for i, point in enumerate(points):
            self._by_paper.setdefault(point["paper_id"], []).append(i)
        self._reduce, self._reduced, self._asked = reduce, None, None
        self._generation += 1
        self.cursor = None
        self.refresh()

    def ordered(self) -> list[PointRecord]:
        """The points in the order stepping visits them: along x."""
        return [self.points[i] for i in self._order]

    @property
    def reduced(self) -> bool:
        """Whether the plot on screen is drawn from the core's reduction of the points."""
        return self._reduced is not None

    def _drawn(self, width: int, height: int) -> tuple[list[PlotPoint], Counts | None] | None:
        """The points to draw, with the selected paper's and the stepped one marked; and, when
        they are reduced, the counts of them all. None while the reduction is on its way.

        The reduction is asked for once per size and scale; until the new one arrives, the last
        one is drawn (its points are where they were, only binned for another size).
        """
        chosen = set(self._by_paper.get(self.selected_paper or "", ()))
        current = self._order[self.cursor] if self.cursor is not None else None
        if current is not None:
            chosen.add(current)

        def marked(i: int) -> PlotPoint:
            return replace(self._plain[i], selected=True, current=i == current)

        if self._reduce is None or len(self._plain) <= REDUCE_ABOVE * width * height:
            return [marked(i) if i in chosen else p for i, p in enumerate(self._plain)], None
        key = (width, height, self.log_mode)
        if (self._reduced is None or self._reduced[0] != key) and self._asked != key:
            self._asked = key
            self._fetch_reduced(self._reduce, key, self._generation)
        if self._reduced is None:
            return None
        _, reduced, counts = self._reduced
        # The chosen points are drawn on top, marked, from the whole list.
        return reduced + [marked(i) for i in sorted(chosen)], counts

    @work(thread=True, exclusive=True, group="plot-cells", name="plot cells", exit_on_error=False)
    def _fetch_reduced(self, reduce: Reduce, key: tuple[int, int, int], generation: int) -> None:
        """The points reduced to a plot of ``key``'s size and scale, found off the UI thread."""
        width, height, mode = key
        data = reduce(width, height, *LOG_MODES[mode])
        points = [PlotPoint(p["x"], p["y"], True) for p in data.frontier]
        points += [PlotPoint(x, y, False) for x, y in data.others]
        counts = (data.total, data.shown, data.on_frontier)
        self.app.call_from_thread(self._reduced_arrived, key, generation, points, counts)

    def _reduced_arrived(
        self, key: tuple[int, int, int], generation: int, points: list[PlotPoint], counts: Counts
    ) -> None:
        if generation == self._generation:  # not the points of a frontier shown since
            self._reduced = (key, points, counts)
            self.refresh()

    def render(self) -> Text:
        if self.axes is None or not (self.points or self._qualified):
            message = plain_lines(self.message)
            message.justify = "center"
            return message
        # A line for the summary under the plot, and one for the legend of qualified points;
        # when either wraps in a narrow pane, the plot gives up the rows it takes.
        legend = 2 if self._qualified else 1
        width, height = max(self.size.width, 20), max(self.size.height - legend, 8)
        found = self._drawn(width, height)
        if found is None:
            return Text(f"Fitting {len(self.points):,} points to the plot…", justify="center")
        drawn, counts = found
        log_x, log_y = LOG_MODES[self.log_mode]
        while True:
            layout: dict[str, tuple[float, float]] = {}
            text = render_plot(
                drawn,
                *self.axes,
                width=width,
                height=height,
                log_x=log_x,
                log_y=log_y,
                colour=False,
                counts=counts,
                qualified=self._qualified,
                layout=layout,
                hull=self.hull,
            )
            excess = text.count("\n") - self.size.height
            if excess <= 0 or height <= 8:
                break
            height = max(height - excess, 8)
        self._drawn_as = (text, layout)
        # Drawn plain, on the widget's own background, then coloured with the app's theme:
        # the plot follows the theme instead of being a light panel in a dark one.
        plot = Text(text.rstrip("\n"), no_wrap=True)
        if not os.environ.get("NO_COLOR"):
            colours = self.app.get_css_variables()
            for pattern, variable in _THEMED:
                if variable in colours:
                    plot.highlight_regex(pattern, style=colours[variable])
        return plot

    def on_click(self, event: events.Click) -> None:
        """Clicking a point steps to it (and the list to its paper)."""
        drawn = self._drawn_as
        if not drawn or "x" not in drawn[1] or not self.points:
            return
        text, layout = drawn
        offset = event.get_content_offset(self)
        if offset is None:
            return
        ordered = self.ordered()
        ex, ey = (int(e) for e in layout.get("scale", (0.0, 0.0)))
        found = nearest_point(
            text,
            [(in_units(p["x"], ex), in_units(p["y"], ey)) for p in ordered],
            (layout["x"], layout["y"]),
            (bool(layout["log"][0]), bool(layout["log"][1])),
            (offset.x, offset.y),
        )
        if found is not None:
            self.post_message(self.PointClicked(found))

    def watch_log_mode(self) -> None:
        self.refresh()

    def watch_hull(self) -> None:
        self.refresh()

    def watch_selected_paper(self) -> None:
        self.refresh()

    def watch_cursor(self) -> None:
        self.refresh()
