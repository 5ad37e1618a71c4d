"""An ASCII frontier plot of one objective pair, of several side by side (small multiples), or
of one pair with one frontier per group of points (``--by``)."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from tui.commands.base import (
    EXIT_OK,
    Command,
    UsageError,
    conditions_note,
    matching,
    open_store_for,
    query_hint,
    say,
    warn,
)
from tui.commands.options import pairs_argument, save_view_argument, selecting, the_pairs, whole

if TYPE_CHECKING:
    from catalog.query.pairs import Axis
    from catalog.query.points import PlotData
    from catalog.query.records import FrontierPoint
    from catalog.store.store import Store


def arguments(p: argparse.ArgumentParser) -> None:
    pairs_argument(p)
    selecting(p)
    save_view_argument(p)
    p.add_argument(
        "--width",
        type=whole(20, 1000),
        help="width in columns, 20 to 1000, of the plot or, with several pairs, of all the panels "
        "together (default: the terminal's)",
    )
    p.add_argument(
        "--height",
        type=whole(8, 1000),
        help="height in rows, 8 to 1000, of the plot or of each panel (default: fits the terminal)",
    )
    p.add_argument(
        "--all",
        action="store_true",
        dest="all_points",
        help="list every point under the plot (each pair's), the frontier's first, not only the frontier's",
    )
    p.add_argument("--log-x", action="store_true", help="logarithmic x axis")
    p.add_argument("--log-y", action="store_true", help="logarithmic y axis")
    p.add_argument(
        "--hull",
        action="store_true",
        help="join the frontier by its convex hull, for pairs where two points can be mixed "
        "(traffic split between two models on a cost axis); the staircase otherwise",
    )
    p.add_argument(
        "--by",
        metavar="KEY",
        help="one frontier per group, each group's points with a letter of its own: by paper, by tag "
        "(a point is in each of its paper's tags) or by a condition the points state (hardware, steps)",
    )


#: How many frontier points ``plot`` lists under the plot; under small multiples, under each.
FRONTIER_LISTED = 40
LISTED_EACH = 8

#: What a hint for more says: the count, what they are, the command that lists them all.
More = Callable[[int, str, str], list[str]]


def run(args: argparse.Namespace, out: TextIO) -> int:
    specs = the_pairs(args)  # before anything is loaded: a usage error loads no database
    from catalog.errors import QueryError
    from catalog.query.pairs import parse_pair

    store = open_store_for(args)
    if args.by and len(specs) > 1:
        raise UsageError("--by draws one pair at a time (each with its own groups): give one pair")
    axes = []
    for spec in specs:
        try:
            axes.append(parse_pair(store, spec))
        except QueryError as err:
            if len(specs) == 1:
                raise
            raise QueryError(f"pair {spec!r}: {err}") from None
    ids, conditions = matching(store, args)
    if args.by:
        x, y = axes[0]
        return _by_group(store, args, specs[0], x, y, (ids, conditions), out)
    if len(specs) > 1:
        return _several(store, args, specs, axes, ids, conditions, out)
    width = args.width or _terminal_width()
    height = args.height or max(12, min(30, _terminal_height() - 8))
    write_plot(store, args, specs[0], axes[0], (ids, conditions), (width, height), out)
    return EXIT_OK


def write_plot(
    store: Store,
    args: argparse.Namespace,
    spec: str,
    axes: tuple[Axis, Axis],
    selection: tuple[list[str] | None, Sequence[tuple[str, str]]],
    size: tuple[int, int],
    out: TextIO,
) -> PlotData:
    """One pair's plot as ``tradeoffs plot`` writes it to ``out`` (in colour when ``out`` is a
    terminal that takes it): the drawing, the frontier's points under it (``--all``: every
    point), the qualified points and the notes (an empty plot's on standard error). ``args``
    gives the scales, the hull and the query that hints repeat. Returns what was plotted."""
    x, y = axes
    ids, conditions = selection
    data = _data(store, args, x, y, ids, conditions, size)
    out.write(_drawn(args, x, y, data, size, out).rstrip("\n") + "\n")
    if getattr(args, "all_points", False):
        say(out, *_every_point(store, x, y, ids, conditions))
    else:

        def more(count: int, what: str, command: str) -> list[str]:
            return [f"… and {count} more {what} ({command} lists them all)"]

        say(out, *(line for line, _ in _listed(args, spec, x, y, data, FRONTIER_LISTED, more)))
    _plot_notes(store, x, y, ids, conditions, not data.total and not data.qualified, out)
    return data


def _several(
    store: Store,
    args: argparse.Namespace,
    specs: list[str],
    axes: list[tuple[Axis, Axis]],
    ids: list[str] | None,
    conditions: Sequence[tuple[str, str]],
    out: TextIO,
    why_inline: bool = False,
) -> int:
    """Small multiples: one panel per pair, as many side by side as fit the width; under them
    each pair's first frontier points (``--all``: every point), lines wrapped to the width.
    Why a panel is empty goes to standard error, or with ``why_inline`` under its pair."""
    import io

    from catalog.text import one_line
    from tui.multiples import layout, side_by_side, wrapped
    from tui.table import clip, plural

    width = args.width or _terminal_width()
    shape = layout(len(specs), width, args.height, _terminal_height())
    size = (shape.width, shape.height)
    drawn = []
    panels = []
    for spec, (x, y) in zip(specs, axes):
        data = _data(store, args, x, y, ids, conditions, size)
        drawn.append(data)
        title = clip(one_line(spec), shape.width).center(shape.width).rstrip()
        panels.append(title + "\n" + _drawn(args, x, y, data, size, out))
    out.write(side_by_side(panels, shape.columns, shape.width))

    def more(count: int, what: str, command: str) -> list[str]:
        return [f"… and {count} more {what}; to list them all:", f"  {command}"]

    for spec, (x, y), data in zip(specs, axes, drawn):
        if args.all_points:
            head = f"{spec}: every point, the frontier's first"
            lines = [(line, True) for line in _every_point(store, x, y, ids, conditions)]
        else:
            whole = len(data.frontier) == data.on_frontier <= LISTED_EACH
            shared = _shared(data.frontier if whole else [])
            head = f"{spec}: {plural(data.on_frontier, 'point')} on the frontier"
            if shared:
                head += ", all measured under " + ", ".join(f"{k}={v}" for k, v in shared.items())
            lines = _listed(args, spec, x, y, data, LISTED_EACH, more, shared)
        notes = io.StringIO()
        empty = not data.total and not data.qualified
        _plot_notes(store, x, y, ids, conditions, empty, notes, why_empty=notes if why_inline else None)
        lines += [(line, True) for line in notes.getvalue().splitlines()]
        out.write("\n")
        for line, wrap in [(head, True), *lines]:
            said = one_line(line)
            out.writelines(part + "\n" for part in (wrapped(said, width) if wrap else [said]))
    return EXIT_OK


def multiples_text(
    store: Store,
    specs: Sequence[str],
    selection: tuple[list[str] | None, Sequence[tuple[str, str]]],
    size: tuple[int, int],
    *,
    query: str = "",
    log_x: bool = False,
    log_y: bool = False,
    hull: bool = False,
) -> str:
    """Small multiples of ``specs`` as ``tradeoffs plot X:Y W:Z`` writes them (without colour),
    ``size`` being the whole width and each panel's height: the app's grid of pairs. ``query``
    is what the hints' commands repeat. A pair this catalog does not know raises ``QueryError``."""
    import io

    from catalog.query.pairs import parse_pair

    args = _drawing_args(size, query, log_x, log_y, hull)
    axes = [parse_pair(store, spec) for spec in specs]
    ids, conditions = selection
    out = io.StringIO()
    _several(store, args, list(specs), axes, ids, conditions, out, why_inline=True)
    return out.getvalue()


def _drawing_args(
    size: tuple[int, int], query: str, log_x: bool, log_y: bool, hull: bool, **more: str
) -> argparse.Namespace:
    """The options of a plot drawn for the app as the command would draw it: its size, scales
    and hull, and the query its hints repeat."""
    width, height = size
    return argparse.Namespace(
        query=query or None,
        log_x=log_x,
        log_y=log_y,
        hull=hull,
        all_points=False,
        width=width,
        height=height,
        **more,
    )


def groups_text(
    store: Store,
    spec: str,
    key: str,
    selection: tuple[list[str] | None, Sequence[tuple[str, str]]],
    size: tuple[int, int],
    *,
    query: str = "",
    log_x: bool = False,
    log_y: bool = False,
    hull: bool = False,
) -> str:
    """One frontier per group of ``key`` as ``tradeoffs plot X:Y --by KEY`` writes it (without
    colour), at ``size``: the app's groups page. A key no point states gives the message why."""
    import io

    from catalog.errors import QueryError
    from catalog.query.pairs import parse_pair

    args = _drawing_args(size, query, log_x, log_y, hull, by=key)
    out = io.StringIO()
    try:
        _by_group(store, args, spec, *parse_pair(store, spec), selection, out)
    except QueryError as err:
        return f"{err}\n"
    return out.getvalue()


def _by_group(
    store: Store,
    args: argparse.Namespace,
    spec: str,
    x: Axis,
    y: Axis,
    selection: tuple[list[str] | None, Sequence[tuple[str, str]]],
    out: TextIO,
) -> int:
    """``--by KEY``: the pair's points by group (``questions.by_group``), each group's own
    frontier, and the legend; then (``--all``) every point, or where each group's frontier
    points are listed; then the notes any plot has."""
    from catalog.query import questions
    from catalog.query.points import qualified
    from tui.plot_groups import drawn_groups, render_group_plot
    from tui.table import use_colour

    ids, conditions = selection
    answer = questions.frontier(store, x, y, ids, conditions)
    groups = questions.by_group(answer, args.by, questions.paper_tags(store, answer))
    loose = qualified(store, x, y, ids, conditions)
    not_positive = sum(
        1 for p in answer.points if (args.log_x and p["x"] <= 0) or (args.log_y and p["y"] <= 0)
    )
    text = render_group_plot(
        drawn_groups(answer, groups),
        x,
        y,
        key=args.by,
        total=len(answer.points),
        width=args.width or _terminal_width(),
        height=args.height or max(12, min(30, _terminal_height() - 8)),
        log_x=args.log_x,
        log_y=args.log_y,
        colour=use_colour(out),
        hull=args.hull,
        left_out=len(loose),
        not_positive=not_positive,
    )
    out.write(text)
    if args.all_points:
        say(out, *_every_point(store, x, y, ids, conditions))
    elif groups:
        command = f"tradeoffs frontier {shlex.quote(spec)} --by {shlex.quote(args.by)}{query_hint(args)}"
        say(out, f"each group's frontier points: {command} --format json")
    return _plot_notes(store, x, y, ids, conditions, not answer.points and not loose, out)


def _data(
    store: Store,
    args: argparse.Namespace,
    x: Axis,
    y: Axis,
    ids: list[str] | None,
    conditions: Sequence[tuple[str, str]],
    size: tuple[int, int],
) -> PlotData:
    """The pair's points, reduced to one per cell of a plot of this size."""
    from catalog.query.points import plot_points

    cols, rows = size
    return plot_points(
        store, x, y, ids, cols=cols, rows=rows, log_x=args.log_x, log_y=args.log_y, conditions=conditions
    )


def _drawn(
    args: argparse.Namespace, x: Axis, y: Axis, data: PlotData, size: tuple[int, int], out: TextIO
) -> str:
    """The pair's plot as text, at this size, with its counts and legend."""
    from tui.plot import PlotPoint, from_records, render_plot
    from tui.table import use_colour

    drawn = [PlotPoint(p["x"], p["y"], True) for p in data.frontier] + [
        PlotPoint(px, py, False) for px, py in data.others
    ]
    width, height = size
    return render_plot(
        drawn,
        x,
        y,
        width=width,
        height=height,
        log_x=args.log_x,
        log_y=args.log_y,
        colour=use_colour(out),
        counts=(data.total, data.shown, data.on_frontier),
        qualified=from_records(data.qualified),
        hull=args.hull,
    )


def _listed(
    args: argparse.Namespace,
    spec: str,
    x: Axis,
    y: Axis,
    data: PlotData,
    listed: int,
    more: More,
    shared: dict[str, str] | None = None,
) -> list[tuple[str, bool]]:
    """The first ``listed`` frontier points along x (the knee marked; named without the
    ``shared`` conditions, said elsewhere), then as many qualified points, each line with
    whether it may be wrapped (a command to type again may not)."""
    from catalog.query import dominance
    from tui.plot import FRONTIER_MARKER, KNEE_MARKER, exact_line, qualified_line

    lines: list[tuple[str, bool]] = []
    front = sorted(data.frontier, key=lambda p: p["x"])
    knee = dominance.knee([(p["x"], p["y"]) for p in front], x.better, y.better, mixing=args.hull)
    for i, p in enumerate(front[:listed]):
        if shared:
            p = p.copy()
            p["conditions"] = {k: v for k, v in p["conditions"].items() if shared.get(k) != v}
        lines.append((exact_line(KNEE_MARKER if i == knee else FRONTIER_MARKER, p, x.spec, y.spec), True))
    if data.on_frontier > min(len(front), listed):
        command = f"tradeoffs export --pair {shlex.quote(spec)} --frontier-only{query_hint(args)}"
        lines += _hint(more(data.on_frontier - min(len(front), listed), "on the frontier", command))
    lines += [(qualified_line(q, x.spec, y.spec), True) for q in data.qualified[:listed]]
    if len(data.qualified) > listed:
        command = f"tradeoffs export --pair {shlex.quote(spec)}{query_hint(args)}"
        lines += _hint(more(len(data.qualified) - listed, "qualified points", command))
    return lines


def _shared(front: Sequence[FrontierPoint]) -> dict[str, str]:
    """The conditions every one of these points was measured under, the same for each."""
    if not front:
        return {}
    first = front[0]["conditions"]
    return {k: v for k, v in first.items() if all(p["conditions"].get(k) == v for p in front[1:])}


def _hint(lines: list[str]) -> list[tuple[str, bool]]:
    """A hint's lines: its first may be wrapped, not the command after it."""
    return [(line, i == 0) for i, line in enumerate(lines)]


def _plot_notes(
    store: Store,
    x: Axis,
    y: Axis,
    ids: list[str] | None,
    conditions: Sequence[tuple[str, str]],
    empty: bool,
    out: TextIO,
    why_empty: TextIO | None = None,
) -> int:
    """What a plot says under its points: the conditions it mixes, or why it is empty (on
    ``why_empty``; None: on standard error, beside a plot on standard output)."""
    conditions_note(store, x, y, ids, conditions, out)
    if empty:
        why = no_points(store, x, y, ids, conditions)
        if why_empty is None:
            warn(why)
        else:
            why_empty.write(why + "\n")
    return EXIT_OK


def no_points(
    store: Store,
    x: Axis,
    y: Axis,
    ids: list[str] | None = None,
    conditions: Sequence[tuple[str, str]] = (),
) -> str:
    """What to say of a pair with no point: that the papers asked for have none while the
    catalog has some, or that none reports both and where to look instead (the pair in
    relative values, when it has some there)."""
    from catalog.query.pairs import other_modes
    from catalog.query.points import plot_points
    from tui.table import plural

    if ids is not None or conditions:
        everywhere = plot_points(store, x, y, cols=1, rows=1).total
        if everywhere:
            pair, has = f"{x.spec}:{y.spec}", f"the whole catalog has {plural(everywhere, 'point')}"
            if ids is not None and not ids:
                return f"no paper is asked for (the query or the date selects none); {has} of {pair}"
            asked = (
                f"the {plural(len(ids), 'paper')} asked for" if ids is not None else "the papers asked for"
            )
            measured = " measured under the conditions asked" if conditions else ""
            return f"no point of {pair}{measured} among {asked}; {has}"
    elsewhere = other_modes(store, x, y)
    if elsewhere:
        spec, n = elsewhere[0]
        hint = f"its values are relative: try `tradeoffs plot {spec}` ({plural(n, 'point')})"
    else:
        hint = "`tradeoffs pairs` lists the pairs with points"
    return f"no result reports both {x.spec} and {y.spec}; {hint}"


def _every_point(
    store: Store,
    x: Axis,
    y: Axis,
    ids: list[str] | None,
    conditions: Sequence[tuple[str, str]],
) -> list[str]:
    """Every point of the plot by name, the frontier's first, each along x; then the qualified."""
    from catalog.query.points import points, qualified
    from tui.plot import FRONTIER_MARKER, POINT_MARKER, exact_line, qualified_line

    found = points(store, x, y, ids, conditions=conditions)
    lines = [
        exact_line(FRONTIER_MARKER if p["on_frontier"] else POINT_MARKER, p, x.spec, y.spec)
        for p in sorted(found, key=lambda p: (not p["on_frontier"], p["x"], p["y"]))
    ]
    return lines + [qualified_line(q, x.spec, y.spec) for q in qualified(store, x, y, ids, conditions)]


def _terminal_width() -> int:
    from tui.table import terminal_width

    return terminal_width()


def _terminal_height() -> int:
    import shutil

    return shutil.get_terminal_size((100, 30)).lines


COMMAND = Command(
    "plot",
    "An ASCII frontier plot of one objective pair, or of several side by side.",
    (
        "tradeoffs plot compute:score/mmlu --log-x",
        "tradeoffs plot latency:fid/mjhq30k --query 'setting:steps=1'",
        "tradeoffs plot tokens@percent:accuracy@difference",
        "tradeoffs plot accuracy/aime24:tokens/aime24 accuracy/math500:tokens/math500",
        "tradeoffs plot accuracy/aime24:tokens/aime24 --by paper",
    ),
    arguments,
    run,
)
