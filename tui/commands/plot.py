"""An ASCII frontier plot of one objective pair."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from tui.commands.base import (
    EXIT_OK,
    Command,
    conditions_note,
    matching,
    open_store_for,
    query_hint,
    say,
    warn,
)
from tui.commands.options import pair_argument, selecting, the_pair, whole

if TYPE_CHECKING:
    from catalog.query.pairs import Axis
    from catalog.query.points import PlotData
    from catalog.store.store import Store


def arguments(p: argparse.ArgumentParser) -> None:
    pair_argument(p)
    selecting(p)
    p.add_argument(
        "--width", type=whole(20, 1000), help="plot width in columns, 20 to 1000 (default: the terminal's)"
    )
    p.add_argument(
        "--height", type=whole(8, 1000), help="plot height in rows, 8 to 1000 (default: fits the terminal)"
    )
    p.add_argument(
        "--all",
        action="store_true",
        dest="all_points",
        help="list every point under the plot, the frontier's first, not only the frontier's",
    )
    p.add_argument("--log-x", action="store_true", help="logarithmic x axis")
    p.add_argument("--log-y", action="store_true", help="logarithmic y axis")
    p.add_argument(
        "--hull",
        action="store_true",
        help="join the frontier by its convex hull, for pairs where two points can be mixed "
        "(traffic split between two models on a cost axis); the staircase otherwise",
    )


#: How many frontier points ``plot`` lists under the plot.
FRONTIER_LISTED = 40


def run(args: argparse.Namespace, out: TextIO) -> int:
    from catalog.query import dominance
    from catalog.query.pairs import parse_pair
    from catalog.query.points import plot_points
    from tui.plot import (
        FRONTIER_MARKER,
        KNEE_MARKER,
        PlotPoint,
        exact_line,
        from_records,
        qualified_line,
        render_plot,
    )
    from tui.table import terminal_width, use_colour

    store = open_store_for(args)
    x, y = parse_pair(store, the_pair(args))
    width = args.width or terminal_width()
    height = args.height or max(12, min(30, _terminal_height() - 8))
    ids, conditions = matching(store, args)
    data = plot_points(
        store,
        x,
        y,
        ids,
        cols=width,
        rows=height,
        log_x=args.log_x,
        log_y=args.log_y,
        conditions=conditions,
    )
    drawn = [PlotPoint(p["x"], p["y"], True) for p in data.frontier] + [
        PlotPoint(px, py, False) for px, py in data.others
    ]
    text = render_plot(
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
    out.write(text.rstrip("\n") + "\n")
    if args.all_points:
        _list_every_point(store, x, y, ids, conditions, out)
        return _plot_notes(store, x, y, ids, conditions, data, out)
    front = sorted(data.frontier, key=lambda p: p["x"])
    knee = dominance.knee([(p["x"], p["y"]) for p in front], x.better, y.better)
    for i, p in enumerate(front[:FRONTIER_LISTED]):
        mark = KNEE_MARKER if i == knee else FRONTIER_MARKER
        say(out, exact_line(mark, p, x.spec, y.spec))
    listed = min(len(front), FRONTIER_LISTED)
    if data.on_frontier > listed:
        more = data.on_frontier - listed
        hint = f"tradeoffs export --pair {shlex.quote(args.pair)} --frontier-only{query_hint(args)}"
        say(out, f"… and {more} more on the frontier ({hint} lists them all)")
    for q in data.qualified[:FRONTIER_LISTED]:
        say(out, qualified_line(q, x.spec, y.spec))
    if len(data.qualified) > FRONTIER_LISTED:
        more = len(data.qualified) - FRONTIER_LISTED
        hint = f"tradeoffs export --pair {shlex.quote(args.pair)}{query_hint(args)}"
        say(out, f"… and {more} more qualified points ({hint} lists them all)")
    return _plot_notes(store, x, y, ids, conditions, data, out)


def _plot_notes(
    store: Store,
    x: Axis,
    y: Axis,
    ids: list[str] | None,
    conditions: Sequence[tuple[str, str]],
    data: PlotData,
    out: TextIO,
) -> int:
    """What a plot says under its points: the conditions it mixes, or why it is empty."""
    from tui.table import plural

    conditions_note(store, x, y, ids, conditions, out)
    if not data.total and not data.qualified:
        from catalog.query.pairs import other_modes

        elsewhere = other_modes(store, x, y)
        if elsewhere:
            spec, n = elsewhere[0]
            hint = f"its values are relative: try `tradeoffs plot {spec}` ({plural(n, 'point')})"
        else:
            hint = "`tradeoffs pairs` lists the pairs with points"
        warn(f"no result reports both {x.spec} and {y.spec}; {hint}")
    return EXIT_OK


def _list_every_point(
    store: Store,
    x: Axis,
    y: Axis,
    ids: list[str] | None,
    conditions: Sequence[tuple[str, str]],
    out: TextIO,
) -> None:
    """Every point of the plot by name, the frontier's first, each along x; then the qualified."""
    from catalog.query.points import points, qualified
    from tui.plot import FRONTIER_MARKER, POINT_MARKER, exact_line, qualified_line

    found = points(store, x, y, ids, conditions=conditions)
    for p in sorted(found, key=lambda p: (not p["on_frontier"], p["x"], p["y"])):
        mark = FRONTIER_MARKER if p["on_frontier"] else POINT_MARKER
        say(out, exact_line(mark, p, x.spec, y.spec))
    for q in qualified(store, x, y, ids, conditions):
        say(out, qualified_line(q, x.spec, y.spec))


def _terminal_height() -> int:
    import shutil

    return shutil.get_terminal_size((100, 30)).lines


COMMAND = Command(
    "plot",
    "An ASCII frontier plot of one objective pair.",
    (
        "tradeoffs plot compute:score/mmlu --log-x",
        "tradeoffs plot latency:fid/mjhq30k --query 'setting:steps=1'",
        "tradeoffs plot tokens@percent:accuracy@difference",
    ),
    arguments,
    run,
)
