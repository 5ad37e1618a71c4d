"""Draw a frontier plot as text with plotext 6: points, the Pareto-optimal ones marked and joined.

Shared by ``tradeoffs plot`` and the app. plotext keeps one global figure, so drawing is done
on one thread at a time (the app draws on its UI thread).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from catalog.query.pairs import Axis
from catalog.query.pareto import frontier_steps
from tui.table import clip, plural

POINT_MARKER = "•"
FRONTIER_MARKER = "◆"
SELECTED_MARKER = "●"
SELECTED_FRONTIER_MARKER = "◈"


@dataclass(frozen=True)
class PlotPoint:
    """A point to draw."""

    x: float
    y: float
    on_frontier: bool
    selected: bool = False


def _better_hint(axis: Axis, horizontal: bool) -> str:
    if horizontal:
        return "→ better" if axis.better == "higher" else "← better"
    return "↑ better" if axis.better == "higher" else "↓ better"


def _set_limits(ruler: object, values: list[float], log: bool) -> None:
    """Leave a margin around the points so none sits on the frame."""
    low, high = min(values), max(values)
    if log:
        ruler.scale("log")  # type: ignore[attr-defined]
        low, high = (low / 1.5, high * 1.5) if low != high else (low / 3, high * 3)
    else:
        margin = (high - low) * 0.06 or max(abs(low) * 0.1, 1.0)
        low, high = low - margin, high + margin
    ruler.lim(low, high)  # type: ignore[attr-defined]


def _usable(points: Sequence[PlotPoint], log_x: bool, log_y: bool) -> list[PlotPoint]:
    return [p for p in points if (not log_x or p.x > 0) and (not log_y or p.y > 0)]


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
) -> str:
    """The plot as text, ``width`` x ``height`` cells (ANSI colours when ``colour``).

    ``counts`` (all points, drawable points, drawable frontier points) is given when ``points``
    were already reduced to one per cell; otherwise they are counted here.
    """
    import plotext as plt  # 0.2 s to import: only once there is something to plot

    plt.terminal.limit(False, False)
    fig = plt.figure
    fig.clear()
    fig.plot_size(max(width, 20), max(height, 8))
    fig.theme("default" if colour else "colorless")
    shown = _usable(points, log_x, log_y)
    others = [p for p in shown if not p.on_frontier and not p.selected]
    front = [p for p in shown if p.on_frontier]
    selected = [p for p in shown if p.selected and not p.on_frontier]
    selected_front = [p for p in shown if p.selected and p.on_frontier]
    if others:
        fig.draw(fig.signal([p.x for p in others], [p.y for p in others], marker=POINT_MARKER))
    if len(front) > 1:
        steps = frontier_steps([(p.x, p.y) for p in front], y.better)
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
    if not shown:
        fig.draw(fig.text(0.5, 0.5, "no points to draw"))
    if shown:
        _set_limits(fig.ruler("x"), [p.x for p in shown], log_x)
        _set_limits(fig.ruler("y"), [p.y for p in shown], log_y)
    fig.label(f"{x.title}  {_better_hint(x, True)}", "x")
    fig.title(clip(title or f"{y.title}  {_better_hint(y, False)}", width - 2))
    text = fig.build().string()
    if not colour:
        text = plt.uncolorize(text)
    total, drawable, optimal = counts or (len(points), len(shown), len(front))
    dropped = total - drawable
    summary = f"{plural(drawable, 'point')}, {optimal:,} on the frontier {FRONTIER_MARKER}"
    if dropped:
        summary += f"; {dropped} not positive, hidden on a log scale"
    if selected or selected_front:
        summary += f"; {SELECTED_MARKER} {SELECTED_FRONTIER_MARKER} selected paper"
    return text.rstrip("\n") + "\n" + clip(summary, width).center(width).rstrip() + "\n"
