"""Draw a frontier plot as text with plotext 6: points, the Pareto-optimal ones marked and joined.

Shared by ``tradeoffs plot`` and the app. plotext keeps one global figure, so every drawing
holds it (``holds_the_figure``): the app draws its pages and bundles in threads of their own.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

from catalog.query import dominance
from catalog.query.pairs import Axis
from catalog.query.pareto import frontier_steps
from catalog.query.points import point_name
from catalog.query.records import FrontierPoint, PointRecord, QualifiedRecord
from catalog.text import one_line
from tui.table import clip, plural

POINT_MARKER = "•"
FRONTIER_MARKER = "◆"
SELECTED_MARKER = "●"
SELECTED_FRONTIER_MARKER = "◈"
#: The point being stepped through: a shape of its own, so it stands out without colour too.
CURRENT_MARKER = "◉"
#: The frontier's knee (``catalog.query.dominance.knee``).
KNEE_MARKER = "✦"
#: A qualified point (a range, a bound or an approximate value) that may be on the frontier,
#: and one that cannot be.
MAY_BE_MARKER = "◇"
QUALIFIED_MARKER = "○"
#: A bound's marker points to its open side: (x's open side, y's open side), -1, 0 or 1.
BOUND_MARKERS = {
    (1, 0): "▷",
    (-1, 0): "◁",
    (0, 1): "△",
    (0, -1): "▽",
    (1, 1): "↗",
    (-1, 1): "↖",
    (1, -1): "↘",
    (-1, -1): "↙",
}


@dataclass(frozen=True)
class PlotPoint:
    """A point to draw."""

    x: float
    y: float
    on_frontier: bool
    selected: bool = False
    current: bool = False


@dataclass(frozen=True)
class QualifiedPlotPoint:
    """A point with a range, a bound or an approximate value: where each value lies on its
    axis, as (low, high), None for an open end."""

    x: tuple[float | None, float | None]
    y: tuple[float | None, float | None]
    may_be_on_frontier: bool


def from_records(records: Sequence[QualifiedRecord]) -> list[QualifiedPlotPoint]:
    """The qualified points of a query, ready to draw."""
    return [
        QualifiedPlotPoint((r["x_low"], r["x_high"]), (r["y_low"], r["y_high"]), r["may_be_on_frontier"])
        for r in records
    ]


def exact_line(mark: str, p: FrontierPoint | PointRecord, x_spec: str, y_spec: str) -> str:
    """A point with exact values as lists name it: ``◆ Swift [paper]: quality 81.5, wait 12``."""
    name = point_name(p["method"], p["setting"], p["conditions"])
    return f"{mark} {name} [{p['paper_id']}]: {x_spec} {p['x']:g}, {y_spec} {p['y']:g}"


def qualified_line(r: QualifiedRecord, x_spec: str, y_spec: str) -> str:
    """A qualified point as lists name it: ``◇ Ranger [paper]: quality 74 to 78, latency 20 (may be
    on the frontier)``."""
    mark = MAY_BE_MARKER if r["may_be_on_frontier"] else QUALIFIED_MARKER
    name = point_name(r["method"], r["setting"], r["conditions"])
    verdict = " (may be on the frontier)" if r["may_be_on_frontier"] else ""
    return f"{mark} {name} [{r['paper_id']}]: {x_spec} {r['x_said']}, {y_spec} {r['y_said']}{verdict}"


def _ends(span: tuple[float | None, float | None]) -> tuple[list[float], int]:
    """The positions to draw a value at, and the side it is open to (-1, 0 or 1)."""
    low, high = span
    if low is None:
        return [high] if high is not None else [], -1
    if high is None:
        return [low], 1
    return ([low] if low == high else [low, high]), 0


def _draw_qualified(fig: object, points: Sequence[QualifiedPlotPoint], log_x: bool, log_y: bool) -> list[str]:
    """Draw each qualified point: a range as a line between its ends, a bound as an arrow to
    its open side. Returns the markers used, for the legend."""
    used: list[str] = []
    for point in points:
        xs, x_open = _ends(point.x)
        ys, y_open = _ends(point.y)
        xs = [v for v in xs if not log_x or v > 0]
        ys = [v for v in ys if not log_y or v > 0]
        if not xs or not ys:
            continue
        if len(xs) > 1 or len(ys) > 1:
            line = fig.signal(  # type: ignore[attr-defined]
                xs if len(xs) > 1 else xs * 2, ys if len(ys) > 1 else ys * 2, marker="braille"
            )
            line.lines()
            fig.draw(line)  # type: ignore[attr-defined]
        if (x_open, y_open) in BOUND_MARKERS:
            marker = BOUND_MARKERS[(x_open, y_open)]
        else:
            marker = MAY_BE_MARKER if point.may_be_on_frontier else QUALIFIED_MARKER
        cx, cy = [v for v in xs for _ in ys], [v for _ in xs for v in ys]
        fig.draw(fig.signal(cx, cy, marker=marker))  # type: ignore[attr-defined]
        used.append(marker)
    return used


def qualified_positions(points: Sequence[QualifiedPlotPoint]) -> tuple[list[float], list[float]]:
    """Every finite end of the qualified points, per axis: the plot's limits take them in."""
    xs = [v for p in points for v in p.x if v is not None]
    ys = [v for p in points for v in p.y if v is not None]
    return xs, ys


def _better_hint(axis: Axis, horizontal: bool) -> str:
    if horizontal:
        return "→ better" if axis.better == "higher" else "← better"
    return "↑ better" if axis.better == "higher" else "↓ better"


def axis_limits(values: Sequence[float], log: bool, axis: Axis) -> tuple[float, float]:
    """The range an axis shows: its values with a margin, so none sits on the frame, without
    crossing the objective's natural bounds (0 below values that are all positive, 100 above
    percentages that are all at most 100)."""
    low, high = min(values), max(values)
    if log:
        return (low / 1.5, high * 1.5) if low != high else (low / 3, high * 3)
    margin = (high - low) * 0.06 or max(abs(low) * 0.1, 1.0)
    padded_low, padded_high = low - margin, high + margin
    if low >= 0:
        padded_low = max(padded_low, 0.0)
    if axis.mode == "absolute" and (axis.unit or "").startswith("%") and high <= 100:
        padded_high = min(padded_high, 100.0)
    return padded_low, padded_high


def _set_limits(ruler: object, values: list[float], log: bool, axis: Axis, cells: int) -> None:
    """Set the axis's range (``axis_limits``); on a linear axis, ticks at round numbers,
    about every ``cells``-th of it, each labelled with its own value."""
    padded_low, padded_high = axis_limits(values, log, axis)
    if log:
        ruler.scale("log")  # type: ignore[attr-defined]
        ruler.lim(padded_low, padded_high)  # type: ignore[attr-defined]
        return  # plotext's own ticks: it does not take given ones on a log scale
    ruler.lim(padded_low, padded_high)  # type: ignore[attr-defined]
    ticks = nice_ticks(padded_low, padded_high, max(2, cells))
    ruler.ticks(ticks, [f"{t:g}" for t in ticks])  # type: ignore[attr-defined]


def nearest_point(
    text: str,
    points: Sequence[tuple[float, float]],
    limits: tuple[tuple[float, float], tuple[float, float]],
    logs: tuple[bool, bool],
    at: tuple[int, int],
) -> int | None:
    """The index of the point drawn nearest the cell ``at`` (column, row) of a plot's ``text``,
    or None when ``at`` is outside its frame. Each point's cell is found from the frame's
    corners in the text and the axes' limits, as the plot placed it."""
    lines = text.splitlines()
    top = next((i for i, line in enumerate(lines) if "┌" in line), None)
    bottom = next((i for i, line in enumerate(lines) if "└" in line), None)
    if top is None or bottom is None or not points:
        return None
    left, right = lines[top].index("┌"), lines[top].rindex("┐")
    column, row = at
    if not (left < column < right and top < row < bottom):
        return None

    def place(value: float, lim: tuple[float, float], log: bool) -> float:
        low, high = lim
        if log:
            value, low, high = math.log10(max(value, 1e-300)), math.log10(low), math.log10(high)
        return (value - low) / ((high - low) or 1.0)

    def cell(point: tuple[float, float]) -> tuple[float, float]:
        return (
            left + 1 + place(point[0], limits[0], logs[0]) * (right - left - 2),
            bottom - 1 - place(point[1], limits[1], logs[1]) * (bottom - top - 2),
        )

    return min(
        range(len(points)),
        key=lambda i: (cell(points[i])[0] - column) ** 2 + (2 * (cell(points[i])[1] - row)) ** 2,
    )


def nice_ticks(low: float, high: float, count: int) -> list[float]:
    """About ``count`` evenly spaced round numbers (1, 2 or 5 times a power of ten apart)
    between ``low`` and ``high``."""
    raw = (high - low) / count
    if not 0 < raw < math.inf:
        return [low]
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    out = []
    n = math.ceil(low / step - 1e-9)
    while n * step <= high + step * 1e-9:
        out.append(float(f"{n * step:.15g}"))  # 0.30000000000000004 is 0.3
        n += 1
    return [t for t in out if low - step * 1e-6 <= t <= high + step * 1e-6] or [low]


#: Past these magnitudes an axis is drawn in units of a power of ten, which its title names:
#: plotext's arithmetic on the values themselves would overflow (near 1e308) or underflow.
_LARGEST, _SMALLEST = 1e100, 1e-100


def axis_exponent(values: Sequence[float]) -> int:
    """The power of ten an axis is drawn in: 0, unless its largest value is beyond 1e100 or,
    not 0, within 1e-100."""
    biggest = max((abs(v) for v in values), default=0.0)
    if biggest >= _LARGEST or 0 < biggest < _SMALLEST:
        return math.floor(math.log10(biggest))
    return 0


def in_units(value: float, exponent: int) -> float:
    """``value`` over ten to the ``exponent``, without overflowing on the way."""
    if not exponent:
        return value
    half = exponent // 2
    return value / 10.0**half / 10.0 ** (exponent - half)


def _ends_in(ends: tuple[float | None, float | None], exponent: int) -> tuple[float | None, float | None]:
    low, high = ends
    return (
        None if low is None else in_units(low, exponent),
        None if high is None else in_units(high, exponent),
    )


def _usable(points: Sequence[PlotPoint], log_x: bool, log_y: bool) -> list[PlotPoint]:
    return [p for p in points if (not log_x or p.x > 0) and (not log_y or p.y > 0)]


_FIGURE = threading.RLock()
Drawing = TypeVar("Drawing", bound=Callable[..., Any])


def holds_the_figure(draw: Drawing) -> Drawing:
    """``draw``, run holding plotext's one figure: two threads drawing at once would draw into
    each other's plot. Only the drawing holds it, never the queries before it."""

    @functools.wraps(draw)
    def holding(*args: Any, **kwargs: Any) -> Any:
        with _FIGURE:
            return draw(*args, **kwargs)

    return cast(Drawing, holding)


@holds_the_figure
def render_plot(
    points: Sequence[PlotPoint],
    x: Axis,
    y: Axis,
    *,
    width: int,
    height: int,
    log_x: bool = False,
    log_y: bool = False,
    colour: bool = True,
    title: str | None = None,
    counts: tuple[int, int, int] | None = None,
    qualified: Sequence[QualifiedPlotPoint] = (),
    layout: dict[str, tuple[float, float]] | None = None,
    hull: bool = False,
) -> str:
    """The plot as text, ``width`` x ``height`` cells (ANSI colours when ``colour``).

    ``counts`` (all points, drawable points, drawable frontier points) is given when ``points``
    were already reduced to one per cell; otherwise they are counted here. ``qualified``
    points (ranges, bounds, approximate values) are drawn with markers of their own, never as
    plain points.
    """
    all_x, all_y = qualified_positions(qualified)
    ex = axis_exponent([p.x for p in points] + all_x)
    ey = axis_exponent([p.y for p in points] + all_y)
    if ex or ey:
        points = [replace(p, x=in_units(p.x, ex), y=in_units(p.y, ey)) for p in points]
        qualified = [replace(q, x=_ends_in(q.x, ex), y=_ends_in(q.y, ey)) for q in qualified]
    if layout is not None:
        layout["scale"] = (float(ex), float(ey))
    fig = new_figure(width, height, colour)
    shown = _usable(points, log_x, log_y)
    others = [p for p in shown if not p.on_frontier and not p.selected]
    front = [p for p in shown if p.on_frontier]
    current = [p for p in shown if p.current]
    selected = [p for p in shown if p.selected and not p.on_frontier and not p.current]
    selected_front = [p for p in shown if p.selected and p.on_frontier and not p.current]
    if others:
        fig.draw(fig.signal([p.x for p in others], [p.y for p in others], marker=POINT_MARKER))
    if len(front) > 1:
        steps = joined([(p.x, p.y) for p in front], x, y, hull)
        line = fig.signal([s[0] for s in steps], [s[1] for s in steps], marker="braille")
        line.lines()
        fig.draw(line)
    if front:
        fig.draw(fig.signal([p.x for p in front], [p.y for p in front], marker=FRONTIER_MARKER))
    if selected:
        fig.draw(fig.signal([p.x for p in selected], [p.y for p in selected], marker=SELECTED_MARKER))
    if selected_front:
        fig.draw(
            fig.signal(
                [p.x for p in selected_front], [p.y for p in selected_front], marker=SELECTED_FRONTIER_MARKER
            )
        )
    # The knee over the selected paper's marks (the legend names both), under the current point.
    knee = dominance.knee([(p.x, p.y) for p in front], x.better, y.better, mixing=hull)
    if knee is not None and not front[knee].current:
        fig.draw(fig.signal([front[knee].x], [front[knee].y], marker=KNEE_MARKER))
    if current:
        fig.draw(fig.signal([p.x for p in current], [p.y for p in current], marker=CURRENT_MARKER))
    used = _draw_qualified(fig, qualified, log_x, log_y)
    qx, qy = qualified_positions(qualified)
    qx = [v for v in qx if not log_x or v > 0]
    qy = [v for v in qy if not log_y or v > 0]
    xs, ys = [p.x for p in shown] + qx, [p.y for p in shown] + qy
    set_frame(fig, xs, ys, x, y, (width, height), (log_x, log_y), empty=not shown and not used, layout=layout)
    text = built(fig, x, y, (ex, ey), title, width, colour)
    total, drawable, optimal = counts or (len(points), len(shown), len(front))
    dropped = total - drawable
    parts = [f"{plural(drawable, 'point')}, {optimal:,} on the frontier {FRONTIER_MARKER}"]
    if dropped:
        parts.append(f"{dropped} not positive, hidden on a log scale")
    if selected or selected_front:
        parts.append(f"{SELECTED_MARKER} {SELECTED_FRONTIER_MARKER} selected paper")
    if knee is not None:
        parts.append(f"{KNEE_MARKER} knee")
    if hull and len(front) > 1:
        parts.append("lines: the hull (two points can be mixed)")
    if current:
        parts.append(f"{CURRENT_MARKER} current")
    lines = wrap_parts(parts, "; ", width)
    if used:
        lines += wrap_parts(_qualified_legend(used), " · ", width)
    return text.rstrip("\n") + "\n" + "\n".join(line.center(width).rstrip() for line in lines) + "\n"


def new_figure(width: int, height: int, colour: bool) -> Any:
    """plotext's one figure, cleared and sized ``width`` x ``height`` (at least 20 x 8), in
    colour or without."""
    import plotext as plt  # 0.2 s to import: only once there is something to plot

    plt.terminal.limit(False, False)
    fig = plt.figure
    fig.clear()
    fig.plot_size(max(width, 20), max(height, 8))
    fig.theme("default" if colour else "colorless")
    return fig


def joined(front: Sequence[tuple[float, float]], x: Axis, y: Axis, hull: bool) -> list[tuple[float, float]]:
    """The corners of the line that joins frontier points: the staircase's, or the hull's
    points in order (``hull``: mixing two points is possible)."""
    if hull:
        on = dominance.hull_mask(list(front), x.better, y.better)
        return sorted({p for p, kept in zip(front, on) if kept})
    return frontier_steps(list(front), y.better)


def set_frame(
    fig: Any,
    xs: list[float],
    ys: list[float],
    x: Axis,
    y: Axis,
    size: tuple[int, int],
    logs: tuple[bool, bool],
    *,
    empty: bool,
    layout: dict[str, tuple[float, float]] | None = None,
) -> None:
    """The axes' ranges and ticks, taking in ``xs`` and ``ys`` (``empty``: nothing was drawn,
    and the plot says so); ``layout`` receives the limits, for finding a point from a cell."""
    if empty:
        fig.draw(fig.text(0.5, 0.5, "no points to draw"))
        return
    width, height = size
    # One value is drawn the same on either scale; plotext 6 fails on a log axis of one
    # value at most 1 (it widens it by 1 either side, then takes the logarithm).
    log_x, log_y = logs[0] and len(set(xs)) > 1, logs[1] and len(set(ys)) > 1
    _set_limits(fig.ruler("x"), xs, log_x, x, max(width // 10, 2))
    _set_limits(fig.ruler("y"), ys, log_y, y, max(height // 3, 3))
    if layout is not None:
        layout["x"] = axis_limits(xs, log_x, x)
        layout["y"] = axis_limits(ys, log_y, y)
        layout["log"] = (float(log_x), float(log_y))


def built(
    fig: Any, x: Axis, y: Axis, exponents: tuple[int, int], title: str | None, width: int, colour: bool
) -> str:
    """The figure as text, with the axes' titles (in units of a power of ten where drawn so)
    and which way is better; ``title`` instead of the y axis's, when given."""
    import plotext as plt

    ex, ey = exponents
    # The titles are catalog text (objective and benchmark labels): shown, never obeyed.
    x_title = one_line(x.title) + (f" (in units of 1e{ex})" if ex else "")
    y_title = one_line(y.title) + (f" (in units of 1e{ey})" if ey else "")
    fig.label(f"{x_title}  {_better_hint(x, True)}", "x")
    fig.title(clip(one_line(title) if title else f"{y_title}  {_better_hint(y, False)}", width - 2))
    text = str(fig.build().string())
    return plt.uncolorize(text) if not colour else text


def wrap_parts(parts: list[str], separator: str, width: int) -> list[str]:
    """``parts`` joined by ``separator`` in lines at most ``width`` wide, breaking only between
    parts (a part longer than a line is cut)."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(separator) + len(part) <= width:
            lines[-1] += separator + part
        else:
            lines.append(clip(part, width))
    return lines


def _qualified_legend(used: list[str]) -> list[str]:
    """What the qualified markers mean, naming only those drawn."""
    parts = []
    if MAY_BE_MARKER in used:
        parts.append(f"{MAY_BE_MARKER} may be on frontier")
    if QUALIFIED_MARKER in used:
        parts.append(f"{QUALIFIED_MARKER} cannot")
    arrows = "".join(m for m in BOUND_MARKERS.values() if m in used)
    if arrows:
        parts.append(f"{arrows} bound, open side")
    return [*parts, "line: range"]
