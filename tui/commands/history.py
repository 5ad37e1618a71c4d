"""Every date a pair's frontier moved."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from tui.commands.answers import numbered, paper_notes, point_record
from tui.commands.base import (
    EXIT_OK,
    Command,
    Failed,
    for_stream,
    matching,
    open_store_for,
    say,
    warn,
)
from tui.commands.options import QUERY_HELP, pair_argument, the_pair


def arguments(p: argparse.ArgumentParser) -> None:
    pair_argument(p)
    p.add_argument("--query", metavar="Q", help=QUERY_HELP)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")


def run(args: argparse.Namespace, out: TextIO) -> int:
    from catalog.export import json_text, to_csv
    from catalog.query.history import history
    from catalog.query.pairs import parse_pair
    from tui.table import plural, print_table, terminal_width

    pair = the_pair(args)  # before anything is loaded: a usage error loads no database
    store = open_store_for(args)
    x, y = parse_pair(store, pair)
    ids, conditions = matching(store, args)
    moved = history(store, x, y, ids, conditions)
    if moved.undated:
        warn(f"tradeoffs: note: {plural(moved.undated, 'point')} left out: their papers have no date")
    if not moved.steps:
        raise Failed(
            f"no dated exact point of {x.spec}:{y.spec}: `tradeoffs pairs` lists the pairs with points"
        )
    records: list[dict[str, Any]] = [
        {
            "date": step.date.isoformat(),
            "entered": [point_record(p, x.spec, y.spec) for p in step.entered],
            "displaced": [point_record(p, x.spec, y.spec) for p in step.displaced],
            "hypervolume": step.hypervolume,
        }
        for step in moved.steps
    ]
    if args.format == "json":
        out.write(json_text(records, indent=2) + "\n")
        return EXIT_OK
    if args.format == "csv":
        flat = [
            {
                "date": r["date"],
                "entered": "; ".join(f"{p['point']} [{p['paper_id']}]" for p in r["entered"]),
                "displaced": "; ".join(f"{p['point']} [{p['paper_id']}]" for p in r["displaced"]),
                "hypervolume": r["hypervolume"],
            }
            for r in records
        ]
        out.write(to_csv(for_stream(flat, out)))
        return EXIT_OK
    numbers = numbered([p for r in records for p in r["entered"] + r["displaced"]])

    def named(found: list[dict[str, Any]]) -> str:
        return "; ".join(f"{p['point']} ({numbers[p['paper_id']]})" for p in found)

    final = moved.steps[-1].hypervolume or 1.0
    rows = [
        [r["date"], named(r["entered"]), named(r["displaced"]), f"{r['hypervolume'] / final:.0%}"]
        for r in records
    ]
    rx, ry = moved.reference
    say(
        out,
        f"{x.spec}:{y.spec}: the frontier moved {plural(len(rows), 'time')}; hypervolume as a share "
        f"of today's, against the reference point {x.spec} {rx:g}, {y.spec} {ry:g}",
    )
    print_table(["date", "entered", "displaced", "hypervolume"], rows, out, align_right=[3])
    paper_notes(numbers, out)
    if len(moved.steps) > 1:
        out.write(_history_plot(moved, width=min(terminal_width(), 100)))
    return EXIT_OK


def _history_plot(moved: Any, width: int) -> str:
    """The hypervolume over time as a small step plot (dates as years with a fraction)."""
    from tui.plot import holds_the_figure  # the plot layer: only once there is a plot to draw

    return str(holds_the_figure(_drawn_history)(moved, width))


def _drawn_history(moved: Any, width: int) -> str:
    import plotext as plt

    days = [s.date.year + (s.date.timetuple().tm_yday - 1) / 366 for s in moved.steps]
    areas = [s.hypervolume for s in moved.steps]
    plt.terminal.limit(False, False)
    fig = plt.figure
    fig.clear()
    fig.plot_size(max(width, 30), 10)
    fig.theme("colorless")
    xs = [v for i, d in enumerate(days) for v in ((d, d) if i else (d,))]
    ys = [v for i, a in enumerate(areas) for v in ((areas[i - 1], a) if i else (a,))]
    line = fig.signal(xs, ys, marker="braille")
    line.lines()
    fig.draw(line)
    fig.draw(fig.signal(days, areas, marker="◆"))
    fig.label("published (year)  → later", "x")
    fig.title("hypervolume  ↑ more")
    return str(plt.uncolorize(fig.build().string())).rstrip("\n") + "\n"


COMMAND = Command(
    "history",
    "Every date a pair's frontier moved: the points that entered it, those they displaced, "
    "and the frontier's hypervolume after, as a table and a small plot.",
    (
        "tradeoffs history accuracy/aime24:tokens/aime24",
        "tradeoffs history latency:fid/mjhq30k --format json",
    ),
    arguments,
    run,
)
