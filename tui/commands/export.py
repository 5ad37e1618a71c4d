"""Writing papers, or the points of one pair, in any export format."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from tui.commands.base import (
    EXIT_OK,
    Command,
    Failed,
    UsageError,
    for_stream,
    matching,
    open_store_for,
)
from tui.commands.options import selecting


def arguments(p: argparse.ArgumentParser) -> None:
    from catalog.export import DEFAULT_FORMAT, format_names

    selecting(p)
    p.add_argument("--pair", metavar="X:Y", help="one record per point of this pair, with on_frontier")
    p.add_argument("--frontier-only", action="store_true", help="with --pair: only Pareto-optimal points")
    p.add_argument("--format", choices=format_names(), default=DEFAULT_FORMAT)
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of standard output (parquet to a folder, DIR/: the catalog's tables)",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    from catalog import export

    if args.frontier_only and not args.pair:
        raise UsageError("--frontier-only needs --pair X:Y")
    if export.FORMATS[args.format].needs_file and not args.output:
        raise UsageError(f"{args.format} is a binary format: give -o FILE")
    if args.output and export.is_dataset_target(args.output):
        if args.format == "parquet":
            return _dataset(args)
        if not Path(args.output).is_dir():  # a folder that is not there yet: never a file of its name
            raise Failed(f"cannot write {args.output}: it names a folder (it ends in /); name a file in it")
    store = open_store_for(args)
    ids, conditions = matching(store, args)
    records, points = export.gather(store, args.format, args.pair, ids, args.frontier_only, conditions)
    if not args.output and not export.FORMATS[args.format].escapes_controls:
        records = for_stream(records, out)
    text = export.write(
        args.format,
        records,
        points=points,
        objectives=store.objectives,
        benchmarks=store.benchmarks,
        target=Path(args.output) if args.output else None,
    )
    if text is not None:
        export.emit(text, out)
    return EXIT_OK


def _dataset(args: argparse.Namespace) -> int:
    """The catalog's tables (of the papers ``--query`` selects) as a Parquet dataset in a folder."""
    from catalog import export

    if args.pair:
        raise UsageError(
            "a Parquet dataset holds the catalog's tables, not a pair's points: "
            "drop --pair, or write the points to one file with -o FILE.parquet"
        )
    store = open_store_for(args)
    ids, _ = matching(store, args)
    export.write_dataset(store, Path(args.output), ids)
    return EXIT_OK


COMMAND = Command(
    "export",
    "Write papers, or the points of one pair, in any export format (--format: csv, json, Markdown, "
    "BibTeX, YAML, Parquet and more).",
    (
        "tradeoffs export --format yaml -o catalog-copy.yaml",
        "tradeoffs export --pair latency:fid/mjhq30k --frontier-only --format csv",
        "tradeoffs export --query quantization --format bibtex -o refs.bib",
        "tradeoffs export --query 'tag:diffusion' --format csv",
    ),
    arguments,
    run,
)
