"""What each ``tradeoffs`` command does, given its parsed arguments and where to write.

Each command imports what it needs when it runs, so a command never pays for another's
libraries, and none of them imports Textual.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from catalog.atomic import write_atomic
from catalog.model import Problem
from catalog.paths import default_catalog_paths
from catalog.text import printable

if TYPE_CHECKING:
    from catalog.store import Store

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command was asked for something that cannot be done as asked (exit 2)."""


class Failed(Exception):
    """The command ran but could not succeed (exit 1)."""


def catalog_paths(args: argparse.Namespace, extra: Sequence[str] = ()) -> list[Path]:
    """The catalog roots a command reads: the default catalog unless left out, then the additions."""
    added = (getattr(args, "catalog", None) or []) + (getattr(args, "sub_catalog", None) or []) + list(extra)
    no_default = getattr(args, "no_default", False) or getattr(args, "sub_no_default", False)
    if no_default and not added:
        raise UsageError("--no-default leaves nothing to read: give --catalog PATH")
    return ([] if no_default else default_catalog_paths()) + [Path(p) for p in added]


def open_catalog(args: argparse.Namespace) -> Store:
    """Open the store for a command, printing any notice about the cache once."""
    return open_store_for(args)


def open_store_for(args: argparse.Namespace, extra: Sequence[str] = ()) -> Store:
    """Open the store of the command's catalog plus ``extra`` paths."""
    from catalog.store import open_store

    store = open_store(catalog_paths(args, extra))
    for notice in store.notices:
        print(notice, file=sys.stderr)
    return store


def _matching_ids(store: Store, query: str | None) -> list[str] | None:
    if query is None:
        return None
    from catalog.search import SearchIndex

    index = SearchIndex(store)
    return [hit.paper_id for hit in index.search(query, limit=max(index.total, 1)) if hit.complete]


# Commands -------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    # Opening the store validates every file it reads; a file unchanged since the last build
    # was valid then and is not read again. An invalid catalog raises ``CatalogError``.
    store = open_store_for(args, args.paths)
    files, papers, objectives, results = (
        store.cursor()
        .execute(
            "SELECT (SELECT count(*) FROM files), (SELECT count(*) FROM papers), "
            "(SELECT count(*) FROM objectives), "
            "(SELECT count(*) FROM (SELECT DISTINCT paper_id, result_no FROM results))"
        )
        .fetchone()
    )
    out.write(f"ok: {files} files, {papers} papers, {objectives} objectives, {results} results\n")
    return EXIT_OK


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    from catalog.search import SearchIndex

    hits = SearchIndex(open_catalog(args)).search(args.query, limit=args.limit)
    if args.format == "json":
        out.write(
            json.dumps(
                [{"id": h.paper_id, "title": h.title, "year": h.year, "score": h.score} for h in hits],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    elif not hits:
        print(f"no papers match {args.query!r}", file=sys.stderr)
    else:
        from tui.table import print_table

        print_table(
            ["score", "year", "id", "title"],
            [[h.score, h.year, h.paper_id, h.title] for h in hits],
            out,
            align_right=[0],
        )
    return EXIT_OK


def cmd_pairs(args: argparse.Namespace, out: TextIO) -> int:
    from catalog import query

    store = open_catalog(args)
    rows = query.pairs(store)
    objectives = store.objectives

    def label(end: str) -> str:
        return objectives[end].label if end in objectives else f"{end} (kind)"

    if args.format == "json":
        out.write(
            json.dumps([{**r, "x_label": label(r["x"]), "y_label": label(r["y"])} for r in rows], indent=2)
            + "\n"
        )
        return EXIT_OK
    from tui.table import print_table

    print_table(
        ["pair", "objectives", "papers", "points", "relative"],
        [
            [
                f"{r['x']}:{r['y']}",
                f"{label(r['x'])} vs {label(r['y'])}",
                r["papers"],
                r["points"],
                r["relative_points"],
            ]
            for r in rows
        ],
        out,
        align_right=[2, 3, 4],
    )
    return EXIT_OK


#: How many frontier points ``plot`` lists under the plot.
FRONTIER_LISTED = 40


def cmd_plot(args: argparse.Namespace, out: TextIO) -> int:
    from catalog import query
    from tui.plot import FRONTIER_MARKER, PlotPoint, render_plot
    from tui.table import terminal_width, use_colour

    store = open_catalog(args)
    x, y = query.parse_pair(store, args.pair)
    width = args.width or terminal_width()
    height = args.height or max(12, min(30, _terminal_height() - 8))
    data = query.plot_points(
        store,
        x,
        y,
        _matching_ids(store, args.query),
        cols=width,
        rows=height,
        log_x=args.log_x,
        log_y=args.log_y,
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
    )
    out.write(text.rstrip("\n") + "\n")
    front = sorted(data.frontier, key=lambda p: p["x"])
    for p in front[:FRONTIER_LISTED]:
        setting = f", {p['setting']}" if p["setting"] else ""
        out.write(
            printable(
                f"{FRONTIER_MARKER} {p['method']}{setting} [{p['paper_id']}]: "
                f"{x.spec} {p['x']:g}, {y.spec} {p['y']:g}"
            )
            + "\n"
        )
    listed = min(len(front), FRONTIER_LISTED)
    if data.on_frontier > listed:
        more = data.on_frontier - listed
        out.write(f"… and {more} more on the frontier (tradeoffs export --frontier-only lists them all)\n")
    if not data.total:
        print(
            f"no result reports both {x.spec} and {y.spec}; `tradeoffs pairs` lists the pairs with points",
            file=sys.stderr,
        )
    return EXIT_OK


def _terminal_height() -> int:
    import shutil

    return shutil.get_terminal_size((100, 30)).lines


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from catalog import export

    if args.frontier_only and not args.pair:
        raise UsageError("--frontier-only needs --pair X:Y")
    if args.format == "parquet" and not args.output:
        raise UsageError("parquet is a binary format: give -o FILE")
    store = open_catalog(args)
    records, points = export.gather(
        store, args.format, args.pair, _matching_ids(store, args.query), args.frontier_only
    )
    text = export.write(store, args.format, records, points, Path(args.output) if args.output else None)
    if text is not None:
        out.write(text)
    return EXIT_OK


def cmd_sql(args: argparse.Namespace, out: TextIO) -> int:
    import duckdb

    store = open_catalog(args)
    try:
        cursor = store.cursor().execute(args.query)
        columns = [d[0] for d in cursor.description or []]
        rows = cursor.fetchall() if columns else []
    except duckdb.Error as err:
        message = str(err).splitlines()[0]
        if "read-only" in message or "read only" in message:
            raise Failed(
                f"{message}\nthe catalog is read-only here: sql runs queries, it does not change data"
            ) from None
        raise Failed(f"SQL error: {message}") from None
    if args.format == "json":
        out.write(
            json.dumps([dict(zip(columns, r)) for r in rows], default=str, ensure_ascii=False, indent=2)
            + "\n"
        )
    elif args.format == "csv":
        from catalog.export import to_csv

        out.write(to_csv([dict(zip(columns, r)) for r in rows]) if rows else ",".join(columns) + "\n")
    else:
        from tui.table import print_table

        print_table(columns, rows, out)
    return EXIT_OK


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    import datetime as dt

    from catalog.drafts import render_draft, slug
    from catalog.page import parse_page
    from catalog.paths import SCHEMA_FILE, user_catalog_dir
    from catalog.text import squash_space

    source = Path(args.file)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise Failed(f"{source}: cannot read it as UTF-8 text ({err})") from None
    entries = parse_page(text, args.year or dt.date.today().year)
    if not entries:
        raise Failed(
            f"{source}: no papers found; is it the text of a papers listing page (title, abstract, ...)?"
        )
    target = Path(args.output) if args.output else user_catalog_dir()
    extra = [str(target)] if target.is_dir() else []
    store = open_store_for(args, extra)
    known = dict(store.cursor().execute("SELECT lower(title), id FROM papers").fetchall())
    known = {squash_space(title): pid for title, pid in known.items()}
    taken = set(known.values())
    target.mkdir(parents=True, exist_ok=True)
    schema = os.path.relpath(SCHEMA_FILE, target)
    if schema.count("..") > 1:  # far away: an absolute path reads better and survives moves
        schema = str(SCHEMA_FILE)
    written, present = 0, 0
    for entry in entries:
        key = squash_space(entry.title.lower())
        if key in known:
            present += 1
            out.write(printable(f"already in the catalog: {entry.title} [{known[key]}]") + "\n")
            continue
        paper_id = slug(entry.title, taken)
        known[key] = paper_id
        path = target / f"{paper_id}.yaml"
        if path.exists():
            out.write(f"not overwritten: {path} exists\n")
            continue
        write_atomic(path, render_draft(entry, paper_id, store.objectives, schema).encode())
        written += 1
    out.write(
        f"{written} drafts written to {target}; {present} already in the catalog; "
        f"{len(entries)} on the page\n"
    )
    return EXIT_OK


def cmd_app(args: argparse.Namespace, out: TextIO) -> int:
    from tui.app import TradeoffsApp

    # Textual lets COLUMNS and LINES override the terminal's real size; a stale exported value
    # would lay the app out for a screen it does not have.
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)
    TradeoffsApp(catalog_paths(args)).run()
    return EXIT_OK


COMMANDS: dict[str | None, Callable[[argparse.Namespace, TextIO], int]] = {
    "validate": cmd_validate,
    "search": cmd_search,
    "pairs": cmd_pairs,
    "plot": cmd_plot,
    "export": cmd_export,
    "import": cmd_import,
    "sql": cmd_sql,
    None: cmd_app,
}


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(printable(str(problem)), file=sys.stderr)
    count = len(problems)
    print(
        f"{count} problem{'s' if count != 1 else ''}: fix {'them' if count != 1 else 'it'} and run again",
        file=sys.stderr,
    )
