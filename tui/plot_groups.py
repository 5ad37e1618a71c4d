"""A pair's plot with one frontier per group of points (``tradeoffs plot --by``): each group's
points drawn with a letter of its own, its own frontier joined by its steps, and a legend that
says how many of each group's frontier points the frontier of every point hides.

Letters, not colours alone, tell the groups apart, so the plot reads without colour: a
group's frontier points are its capital letter, its other points the small one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from catalog.query.pairs import Axis
from catalog.query.questions import FrontierAnswer, Group, merged
from catalog.text import one_line
from tui.multiples import wrapped
from tui.plot import (
    axis_exponent,
    axis_limits,
    built,
    holds_the_figure,
    in_units,
    joined,
    new_figure,
    set_frame,
    wrap_parts,
)
from tui.table import clip, plural

#: The groups drawn each with its own letter; the rest are merged into one, "other".
GROUP_MARKERS = "ABCDEFGH"
OTHER_MARKER = "X"
#: Terminal colours (of the 256), one per group, readable on the plot's light background.
COLOURS = (12, 9, 10, 13, 4, 1, 2, 5)
OTHER_COLOUR = 8
OTHER = "other"


@dataclass(frozen=True)
class DrawnGroup:
    """One group as the plot draws it."""

    name: str
    marker: str
    """Its capital letter: its frontier points; the small one: its other points."""
    colour: int
    points: list[tuple[float, float]]
    frontier: list[tuple[float, float]]
    """Its own frontier's points, in x order."""
    hidden: int
    """How many of its frontier points the frontier of every point does not keep."""
    merged: int = 0
    """For "other": how many groups it merges."""


def drawn_groups(answer: FrontierAnswer, groups: Sequence[Group]) -> list[DrawnGroup]:
    """The groups to draw, as ``by_group`` orders them: the first ``len(GROUP_MARKERS)`` each
    with its letter and colour; any beyond them merged as one group, "other"."""
    cap = len(GROUP_MARKERS)
    out = [_drawn(answer, g, GROUP_MARKERS[i], COLOURS[i]) for i, g in enumerate(groups[:cap])]
    rest = groups[cap:]
    if rest:
        other = _drawn(answer, merged(answer, rest, OTHER), OTHER_MARKER, OTHER_COLOUR)
        out.append(replace(other, merged=len(rest)))
    return out


def _drawn(answer: FrontierAnswer, group: Group, marker: str, colour: int) -> DrawnGroup:
    points = [(answer.points[i]["x"], answer.points[i]["y"]) for i in group.members]
    front = [(p["x"], p["y"]) for p in group.frontier]
    return DrawnGroup(one_line(group.value), marker, colour, points, front, group.hidden)


@holds_the_figure
def render_group_plot(
    groups: Sequence[DrawnGroup],
    x: Axis,
    y: Axis,
    *,
    key: str,
    total: int,
    width: int,
    height: int,
    log_x: bool = False,
    log_y: bool = False,
    colour: bool = True,
    hull: bool = False,
    left_out: int = 0,
    not_positive: int = 0,
) -> str:
    """The plot as text, ``width`` x ``height`` cells, then its legend: one line per group
    (its marker, name, points, frontier points and how many of them the whole's hides).

    ``total`` is how many points the pair has (a point may be in several groups);
    ``left_out`` how many qualified points are not drawn (no group's frontier holds them), and
    ``not_positive`` how many a log scale cannot show.
    """
    ex = axis_exponent([p[0] for g in groups for p in g.points])
    ey = axis_exponent([p[1] for g in groups for p in g.points])

    def usable(pts: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        scaled = [(in_units(px, ex), in_units(py, ey)) for px, py in pts]
        return [p for p in scaled if (not log_x or p[0] > 0) and (not log_y or p[1] > 0)]

    shown = [(g, usable(g.points), usable(g.frontier)) for g in groups]
    xs = [p[0] for _, pts, _ in shown for p in pts]
    ys = [p[1] for _, pts, _ in shown for p in pts]
    fig = new_figure(width, height, colour)
    cells = _cells(xs, ys, x, y, (log_x, log_y), (width, height)) if xs else None
    # Lines under the points, so none hides a point; the last group first, so that the first
    # groups' letters are on top where points meet.
    for g, _, front in reversed(shown):
        if len(front) > 1:
            corners = joined(front, x, y, hull)
            line = fig.signal([c[0] for c in corners], [c[1] for c in corners], marker=_mark(g, None))
            line.lines()
            fig.draw(line)
    for g, pts, front in reversed(shown):
        others = sorted(set(pts) - set(front))
        if cells:
            others = list({cells(p): p for p in others}.values())
        if others:
            fig.draw(fig.signal([p[0] for p in others], [p[1] for p in others], marker=_mark(g, False)))
    for g, _, front in reversed(shown):
        if front:
            fig.draw(fig.signal([p[0] for p in front], [p[1] for p in front], marker=_mark(g, True)))
    set_frame(fig, xs, ys, x, y, (width, height), (log_x, log_y), empty=not xs)
    text = built(fig, x, y, (ex, ey), None, width, colour)
    said = _legend(groups, key, (total, left_out, not_positive), width, colour, hull)
    return text.rstrip("\n") + "\n" + "\n".join(said) + "\n"


def _mark(group: DrawnGroup, on_frontier: bool | None) -> object:
    """The group's marker, in its colour: capital on its frontier, small off it, braille for
    the line that joins its frontier."""
    import plotext as plt

    symbol = "braille" if on_frontier is None else group.marker if on_frontier else group.marker.lower()
    return plt.marker(symbol, pixel=group.colour)


def _cells(
    xs: list[float], ys: list[float], x: Axis, y: Axis, logs: tuple[bool, bool], size: tuple[int, int]
) -> Callable[[tuple[float, float]], tuple[int, int]]:
    """A point's cell on the plot, so that many points in one cell are drawn once."""
    limits = (axis_limits(xs, logs[0], x), axis_limits(ys, logs[1], y))

    def along(value: float, lim: tuple[float, float], log: bool, cells: int) -> int:
        low, high = lim
        if log:
            value, low, high = math.log10(value), math.log10(low), math.log10(high)
        return math.floor((value - low) / ((high - low) or 1.0) * cells)

    def cell(p: tuple[float, float]) -> tuple[int, int]:
        return (along(p[0], limits[0], logs[0], size[0]), along(p[1], limits[1], logs[1], size[1]))

    return cell


def _legend(
    groups: Sequence[DrawnGroup], key: str, counts: tuple[int, int, int], width: int, colour: bool, hull: bool
) -> list[str]:
    """What the markers mean: the counts, then one line per group."""
    total, left_out, not_positive = counts
    named = [g for g in groups if not g.merged]
    letters = f"{named[0].marker}-{named[-1].marker}" if len(named) > 1 else named[0].marker if named else ""
    parts = [f"{plural(total, 'point')} in {plural(len(groups), 'group')} by {clip(one_line(key), 30)}"]
    if letters:
        parts += [f"{letters}: a group's own frontier", f"{letters.lower()}: its other points"]
    if any(len(g.frontier) > 1 for g in groups):
        parts.append(
            "lines: each group's hull (two points can be mixed)" if hull else "lines: each group's steps"
        )
    if sum(len(g.points) for g in groups) > total:
        parts.append("a point in several groups shows one of their letters")
    if not_positive:
        parts.append(f"{not_positive} not positive, hidden on a log scale")
    if left_out:
        parts.append(f"{plural(left_out, 'qualified point')} not drawn")
    lines = [line.center(width).rstrip() for line in wrap_parts(parts, "; ", width)]
    for g in groups:
        mark = f"\x1b[38;5;{g.colour}m{g.marker}\x1b[0m" if colour else g.marker
        said = (
            f"{plural(len(g.points), 'point')}, {len(g.frontier):,} on its frontier, "
            f"{g.hidden:,} hidden by the whole's"
        )
        name = f"{OTHER} ({plural(g.merged, 'more group')})" if g.merged else g.name
        told = wrapped(f"{g.marker} {clip(name, max(width - 4, 8))}: {said}", width)
        lines += [mark + told[0][1:], *told[1:]]
    return lines
