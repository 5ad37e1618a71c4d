"""Every objective pair studied, with its numbers of papers and points."""

from __future__ import annotations

import argparse
from typing import TextIO

from tui.commands.base import (
    EXIT_OK,
    Command,
    open_store_for,
)


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace, out: TextIO) -> int:
    from catalog.query.pairs import axis_label, pairs

    store = open_store_for(args)
    rows = pairs(store)

    def label(end: str) -> str:
        return axis_label(store, end)

    if args.format == "json":
        from catalog.export import json_text

        labelled = [{**r, "x_label": label(r["x"]), "y_label": label(r["y"])} for r in rows]
        out.write(json_text(labelled, indent=2) + "\n")
        return EXIT_OK
    from tui.table import print_table

    print_table(
        ["pair", "objectives", "papers", "points", "relative", "qualified"],
        [
            [
                f"{r['x']}:{r['y']}",
                f"{label(r['x'])} vs {label(r['y'])}",
                r["papers"],
                r["points"],
                f"{r['relative_points']} ({', '.join(r['relative_modes'])})"
                if r["relative_modes"]
                else r["relative_points"],
                r["qualified"],
            ]
            for r in rows
        ],
        out,
        align_right=[2, 3, 4, 5],
        keep=[0],
    )
    return EXIT_OK


COMMAND = Command(
    "pairs",
    "Every objective pair studied, with its numbers of papers and points.",
    (
        "tradeoffs pairs",
        "tradeoffs pairs --format json",
    ),
    arguments,
    run,
)
