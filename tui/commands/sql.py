"""Read-only SQL over the loaded catalog."""

from __future__ import annotations

import argparse
from typing import TextIO

from tui.commands.base import (
    EXIT_OK,
    Command,
    Failed,
    for_stream,
    open_store_for,
)
from tui.commands.options import whole


def arguments(p: argparse.ArgumentParser) -> None:
    from catalog.query.sql import DEFAULT_MEGABYTES, DEFAULT_SECONDS

    p.add_argument("query", metavar="QUERY", help="one SQL statement")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (the default), csv, or json: strict JSON, where NaN and infinite values are null",
    )
    p.add_argument(
        "--timeout",
        type=whole(1, 86_400),
        default=DEFAULT_SECONDS,
        metavar="SECONDS",
        help=f"stop the query after this many seconds (default {DEFAULT_SECONDS})",
    )
    p.add_argument(
        "--memory",
        type=whole(64, 1_048_576),
        default=DEFAULT_MEGABYTES,
        metavar="MB",
        help=f"stop the query when it needs more memory than this (default {DEFAULT_MEGABYTES:,} MB)",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    from catalog.query.sql import SqlError, run_sql

    store = open_store_for(args)
    try:
        answer = run_sql(store, args.query, seconds=args.timeout, megabytes=args.memory)
    except SqlError as err:
        raise Failed(str(err)) from None
    columns, rows = _distinct(answer.columns), answer.rows
    if args.format == "json":
        from catalog.export import json_text

        out.write(json_text([dict(zip(columns, r)) for r in rows], indent=2) + "\n")
    elif args.format == "csv":
        from catalog.export import to_csv

        columns, rows = for_stream((columns, rows), out)
        out.write(to_csv([dict(zip(columns, r)) for r in rows], columns))
    else:
        from tui.table import print_table

        print_table(columns, rows, out)
    return EXIT_OK


def _distinct(columns: list[str]) -> list[str]:
    """Column names made distinct (``a``, ``a_2``), so records keep every column of a query that
    names two alike (``SELECT 1 AS a, 2 AS a``)."""
    seen: set[str] = set()
    out = []
    for name in columns:
        unique, n = name, 2
        while unique in seen:
            unique, n = f"{name}_{n}", n + 1
        seen.add(unique)
        out.append(unique)
    return out


COMMAND = Command(
    "sql",
    "Read-only SQL over the loaded catalog (tables: papers, objectives, tags, tradeoffs, "
    "results; views: pairs, result_pairs).",
    (
        "tradeoffs sql 'SELECT objective, count(*) FROM results GROUP BY ALL'",
        "tradeoffs sql 'SELECT * FROM pairs' --format csv",
    ),
    arguments,
    run,
)
