"""What each ``tradeoffs`` command does, given its parsed arguments and where to write.

Each command imports what it needs when it runs, so a command never pays for another's
libraries, and none of them imports Textual.
"""

from __future__ import annotations

import argparse
import io
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from catalog.atomic import write_atomic
from catalog.errors import Problem
from catalog.paths import default_catalog_paths
from catalog.text import one_line, terminal_safe

if TYPE_CHECKING:
    from catalog.query.pairs import Axis
    from catalog.query.points import PlotData
    from catalog.query.records import PaperRecord, PointRecord
    from catalog.query.select import Selection
    from catalog.store.store import Store

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """The command was asked for something that cannot be done as asked (exit 2)."""


class Failed(Exception):
    """The command ran but could not succeed (exit 1)."""


def warn(message: str) -> None:
    """Say ``message`` on standard error, on one line, its control characters shown as escapes
    (it may quote catalog text: a title, a file name, DuckDB's words about a value)."""
    print(one_line(message), file=sys.stderr)


def for_stream(records: Any, out: TextIO) -> Any:
    """``records`` as ``out`` is given them: on a terminal with every control character in
    their text shown as an escape (``terminal_safe``); to a pipe or a file exactly as they are."""
    return terminal_safe(records) if out.isatty() else records


def catalog_paths(args: argparse.Namespace, extra: Sequence[str] = ()) -> list[Path]:
    """The catalog roots a command reads: the default catalog unless left out, then the additions."""
    added = (getattr(args, "catalog", None) or []) + (getattr(args, "sub_catalog", None) or []) + list(extra)
    no_default = getattr(args, "no_default", False) or getattr(args, "sub_no_default", False)
    if no_default and not added:
        raise UsageError("--no-default leaves nothing to read: give --catalog PATH")
    return ([] if no_default else default_catalog_paths()) + [Path(p) for p in added]


class BuildProgress:
    """Signs of life while a catalog is read, on standard error when it is a terminal (and
    nothing otherwise, so scripts and pipes see none): one line, redrawn at most 4 times a
    second, cleared when the build is done."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        import time

        now = time.monotonic()
        if done < total and now - self._last < 0.25:
            return
        self._last = now
        said = f"reading catalog files: {done:,} of {total:,}"
        if done >= total:
            said = f"read {total:,} catalog files; building the database…"
        self.stream.write(f"\r\x1b[K{said}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Take the line away, so the command's own output starts on a clean line."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def open_store_for(args: argparse.Namespace, extra: Sequence[str] = ()) -> Store:
    """Open the store of the command's catalog plus ``extra`` paths, printing any notice once;
    on a terminal, with signs of life while a catalog is read."""
    from catalog.store.store import open_store
    from tui.table import plural

    progress = BuildProgress(sys.stderr) if sys.stderr.isatty() else None
    skip = getattr(args, "skip_broken", False) or getattr(args, "sub_skip_broken", False)
    try:
        store = open_store(
            catalog_paths(args, extra), on_progress=progress, skip_broken=skip and args.command != "validate"
        )
    finally:
        if progress:
            progress.clear()
    for notice in store.notices:
        warn(notice)
    if store.skipped:
        files = sorted({p.file for p in store.skipped})
        warn(
            f"note: left out {plural(len(files), 'file')} with problems: {', '.join(files)} "
            "(tradeoffs validate lists them)"
        )
    return store


def selected(store: Store, raw: str, *, complete_only: bool = True, limit: int | None = None) -> Selection:
    """The papers a ``--query`` (or ``search``'s query) selects, in the app's query language.

    A query that cannot mean what it says (a malformed filter, an unknown tag or objective)
    is a usage error: a script must not get an answer to a question it did not ask.
    """
    from catalog.query.filters import parse_query
    from catalog.query.select import select

    bookmarks: list[str] = []
    if parse_query(raw).bookmarked:
        from catalog.state import load_state

        state, problem = load_state()
        if problem:
            warn(f"tradeoffs: {problem}")
        bookmarks = state.bookmarks
    selection = select(store, raw, bookmarks, complete_only=complete_only, limit=limit)
    if selection.problems:
        raise UsageError("; ".join(selection.problems))
    return selection


def _matching(store: Store, args: argparse.Namespace) -> tuple[list[str] | None, tuple[tuple[str, str], ...]]:
    """The papers ``--query`` selects and ``--as-of`` keeps (None: every paper), and the
    conditions their points need."""
    query, as_of = args.query, getattr(args, "as_of", None)
    ids: list[str] | None = None
    conditions: tuple[tuple[str, str], ...] = ()
    if query is not None:
        selection = selected(store, query)
        ids, conditions = selection.ids, selection.query.conditions
        if not ids:
            warn(f"tradeoffs: note: no paper matches --query {query!r}")
    if as_of is not None:
        from catalog.query.history import published_by
        from tui.table import plural

        kept = published_by(store, as_of, ids)
        if kept.undated:
            warn(f"tradeoffs: note: --as-of leaves out {plural(kept.undated, 'paper')} with no date")
        ids = kept.ids
    return ids, conditions


# Commands -------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    # Opening the store validates every file it reads; a file unchanged since the last build
    # was valid then and is not read again. An invalid catalog raises ``CatalogError``.
    store = open_store_for(args, args.paths)
    counts = (
        store.cursor()
        .execute(
            "SELECT (SELECT count(*) FROM files), (SELECT count(*) FROM papers), "
            "(SELECT count(*) FROM objectives), "
            "(SELECT count(*) FROM (SELECT DISTINCT paper_id, result_no FROM results))"
        )
        .fetchone()
    )
    files, papers, objectives, results = counts or (0, 0, 0, 0)
    out.write(f"ok: {files} files, {papers} papers, {objectives} objectives, {results} results\n")
    return EXIT_OK


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    from catalog.query.papers import summaries

    store = open_store_for(args)
    selection = selected(store, args.query, complete_only=False, limit=args.limit)
    ids = selection.ids
    scores = {h.paper_id: h.score for h in selection.hits}
    about = {h.paper_id: (h.title, h.year) for h in selection.hits}
    if len(about) < len(ids):  # papers selected by filters alone have no hit to tell their title
        about.update(summaries(store, [pid for pid in ids if pid not in about]))
    found = [(scores.get(pid), about[pid][1], pid, about[pid][0]) for pid in ids if pid in about]
    if args.format == "json":
        from catalog.export import json_text
        from catalog.query.papers import papers

        records = {p["id"]: p for p in papers(store, [pid for _, _, pid, _ in found])}
        found_json = [_found(records[pid], score, selection.words) for score, _, pid, _ in found]
        out.write(json_text(found_json, indent=2) + "\n")
    elif not found:
        warn(f"no papers match {args.query!r}")
    else:
        from tui.table import print_table

        print_table(
            ["score", "year", "title", "id"],
            [[_score(score), year, title, pid] for score, year, pid, title in found],
            out,
            align_right=[0],
            shrink_first=[3],
        )
    return EXIT_OK


def _found(paper: PaperRecord, score: float | None, words: Sequence[str]) -> dict[str, object]:
    """One paper as ``search --format json`` gives it: what a script needs to go on from it."""
    text = " ".join([paper["title"], paper["abstract"] or "", *paper["tags"]]).lower()
    return {
        "id": paper["id"],
        "title": paper["title"],
        "year": paper["year"],
        "score": score,
        "matched": [w for w in words if w.lower() in text],
        "tags": paper["tags"],
        "pairs": [f"{x}:{y}" for x, y in paper["tradeoffs"]],
        "url": paper["url"],
        "arxiv": paper["arxiv"],
        "code": paper["code"],
    }


def _score(score: float | None) -> str:
    """A match score as the table shows it: one decimal, always."""
    return "" if score is None else f"{score:.1f}"


def cmd_pairs(args: argparse.Namespace, out: TextIO) -> int:
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


#: How many frontier points ``plot`` lists under the plot.
FRONTIER_LISTED = 40


def _query_hint(args: argparse.Namespace) -> str:
    """The options a hint repeats so that it lists the same points: the query, the catalogs."""
    said = f" --query {shlex.quote(args.query)}" if args.query else ""
    if getattr(args, "no_default", False) or getattr(args, "sub_no_default", False):
        said += " --no-default"
    for path in (getattr(args, "catalog", None) or []) + (getattr(args, "sub_catalog", None) or []):
        said += f" --catalog {shlex.quote(path)}"
    return said


def cmd_plot(args: argparse.Namespace, out: TextIO) -> int:
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
    x, y = parse_pair(store, args.pair)
    width = args.width or terminal_width()
    height = args.height or max(12, min(30, _terminal_height() - 8))
    ids, conditions = _matching(store, args)
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
        out.write(one_line(exact_line(mark, p, x.spec, y.spec)) + "\n")
    listed = min(len(front), FRONTIER_LISTED)
    if data.on_frontier > listed:
        more = data.on_frontier - listed
        hint = f"tradeoffs export --pair {shlex.quote(args.pair)} --frontier-only{_query_hint(args)}"
        out.write(one_line(f"… and {more} more on the frontier ({hint} lists them all)") + "\n")
    for q in data.qualified[:FRONTIER_LISTED]:
        out.write(one_line(qualified_line(q, x.spec, y.spec)) + "\n")
    if len(data.qualified) > FRONTIER_LISTED:
        more = len(data.qualified) - FRONTIER_LISTED
        hint = f"tradeoffs export --pair {shlex.quote(args.pair)}{_query_hint(args)}"
        out.write(one_line(f"… and {more} more qualified points ({hint} lists them all)") + "\n")
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

    _mixed_note(store, x, y, ids, conditions, out)
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


def _mixed_note(
    store: Store,
    x: Axis,
    y: Axis,
    ids: list[str] | None,
    conditions: Sequence[tuple[str, str]],
    out: TextIO,
) -> None:
    """The conditions the pair's points differ on, and the filter that narrows them, if any."""
    from catalog.query.points import mixed_note, spread

    mixed = mixed_note(spread(store, x, y, ids, conditions))
    if mixed:
        out.write(one_line(f"note: {mixed} (in --query)") + "\n")


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
        out.write(one_line(exact_line(mark, p, x.spec, y.spec)) + "\n")
    for q in qualified(store, x, y, ids, conditions):
        out.write(one_line(qualified_line(q, x.spec, y.spec)) + "\n")


def _terminal_height() -> int:
    import shutil

    return shutil.get_terminal_size((100, 30)).lines


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from catalog import export

    if args.frontier_only and not args.pair:
        raise UsageError("--frontier-only needs --pair X:Y")
    if export.FORMATS[args.format].needs_file and not args.output:
        raise UsageError(f"{args.format} is a binary format: give -o FILE")
    store = open_store_for(args)
    ids, conditions = _matching(store, args)
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


def cmd_sql(args: argparse.Namespace, out: TextIO) -> int:
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


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    import datetime as dt

    from catalog.drafts.page import MAX_PAGE_PAPERS, PageError, parse_page, read_page
    from catalog.drafts.plan import plan_import
    from catalog.paths import user_catalog_dir
    from tui.table import plural

    source = Path(args.file)
    try:
        text = read_page(source)
    except PageError as err:
        raise Failed(f"{source}: {err}") from None
    year = args.year or dt.date.today().year
    entries = parse_page(text, year)
    if not entries:
        raise Failed(
            f"{source}: no papers found; is it the text of a papers listing page (title, abstract, ...)?"
        )
    if len(entries) > MAX_PAGE_PAPERS:
        raise Failed(
            f"{source}: the page lists {len(entries):,} papers, over the {MAX_PAGE_PAPERS:,} one import "
            "takes: split it into smaller pages and import each"
        )
    target = Path(args.output) if args.output else user_catalog_dir()
    if target.exists() and not target.is_dir():
        raise Failed(f"{target}: not a folder: give -o a folder to write the drafts in")
    store = open_store_for(args, [str(target)] if target.is_dir() else [])
    known = dict(store.cursor().execute("SELECT title, id FROM papers").fetchall())
    plan = plan_import(entries, known, target, store.objectives)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise Failed(f"{target}: cannot make the folder ({err.strerror or err}); no drafts written") from None
    for planned in plan.planned:
        if planned.outcome == "present":
            out.write(one_line(f"already in the catalog: {planned.entry.title} [{planned.paper_id}]") + "\n")
        elif planned.outcome == "exists":
            out.write(one_line(f"not overwritten: {planned.path} exists") + "\n")
    _write_drafts([(p.path, p.text) for p in plan.planned if p.outcome == "draft" and p.path])
    skipped = [p for p in plan.planned if p.outcome == "skipped"]
    for planned in skipped:
        where = f"{source}:{planned.entry.line}"
        warn(f"{where}: skipped {_short(planned.entry.title)!r}: {planned.reason}")
    out.write(
        f"{plan.count('draft')} drafts written to {target}; {plan.count('present')} already in the catalog; "
        + (f"{len(skipped)} skipped (see above); " if skipped else "")
        + f"{len(entries)} on the page\n"
    )
    assumed = sum(p.outcome == "draft" and p.entry.year_assumed for p in plan.planned)
    if assumed:
        out.write(
            f"{plural(assumed, 'draft')} took the year {year} for a date the page gives without one; "
            "each says so in a comment: check them\n"
        )
    return EXIT_INVALID if skipped else EXIT_OK


def _short(title: str, limit: int = 80) -> str:
    """A title cut to ``limit`` characters for a message."""
    return title if len(title) <= limit else title[: limit - 1] + "…"


def _write_drafts(drafts: list[tuple[Path, str]]) -> None:
    """Write every draft (path, text), or none: when one cannot be written, those already
    written are removed."""
    from contextlib import suppress

    written: list[Path] = []
    for path, text in drafts:
        try:
            write_atomic(path, text.encode())
        except OSError as err:
            for done in written:
                with suppress(OSError):
                    done.unlink()
            raise Failed(
                f"{path}: cannot write the draft ({err.strerror or err}); no drafts written"
            ) from None
        written.append(path)


def cmd_app(args: argparse.Namespace, out: TextIO) -> int:
    from tui.app import TradeoffsApp

    # Textual lets COLUMNS and LINES override the terminal's real size; a stale exported value
    # would lay the app out for a screen it does not have.
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)
    TradeoffsApp(catalog_paths(args)).run()
    return EXIT_OK


def cmd_frontier(args: argparse.Namespace, out: TextIO) -> int:
    from catalog.query import questions
    from catalog.query.pairs import parse_pair

    store = open_store_for(args)
    x, y = parse_pair(store, args.pair)
    ids, conditions = _matching(store, args)
    answer = questions.frontier(store, x, y, ids, conditions)
    if not answer.points:
        raise Failed(f"no exact point of {x.spec}:{y.spec}: `tradeoffs pairs` lists the pairs with points")
    if args.explain:
        explained = questions.explain(answer, args.explain)
        records = [_explained(e, x.spec, y.spec) for e in explained]
        lines = [
            line for e in explained for line in questions.explanation_lines(e, x, y, more="--format json")
        ]
        _write_answer(
            args.format, records, out, lambda: out.writelines(one_line(line) + "\n" for line in lines)
        )
    elif args.at:
        records = [_at_budget(b, x.spec, y.spec) for b in questions.at_budgets(answer, args.at)]
        _write_answer(args.format, records, out, lambda: _budget_table(records, x.spec, y.spec, out))
    elif args.by:
        records = [
            {
                "group": g.value,
                "points": g.points,
                "frontier": [_point(p, x.spec, y.spec) for p in g.frontier],
                "hidden": g.hidden,
            }
            for g in questions.by_group(answer, args.by)
        ]
        _write_answer(args.format, records, out, lambda: _group_table(records, args.by, out))
    else:
        records = [_alone(answer, i) for i, p in enumerate(answer.points) if p["on_frontier"]]
        _write_answer(args.format, records, out, lambda: _frontier_table(answer, records, out))
    if args.format == "table":
        _mixed_note(store, x, y, ids, conditions, out)
    return EXIT_OK


def _write_answer(fmt: str, records: list[dict[str, Any]], out: TextIO, table: Callable[[], None]) -> None:
    """The records as JSON or CSV, or as the table (or lines) ``table`` writes."""
    from catalog.export import json_text, to_csv

    if fmt == "json":
        out.write(json_text(records, indent=2) + "\n")
    elif fmt == "csv":
        out.write(to_csv(for_stream(records, out)))
    else:
        table()


def _point(p: PointRecord, x_spec: str, y_spec: str) -> dict[str, Any]:
    return {
        "paper_id": p["paper_id"],
        "point": p["method"] + (f" ({p['setting']})" if p["setting"] else ""),
        "conditions": p["conditions"],
        x_spec: p["x"],
        y_spec: p["y"],
    }


def _alone(answer: Any, index: int) -> dict[str, Any]:
    p = answer.points[index]
    return {
        **_point(p, answer.x.spec, answer.y.spec),
        "knee": index == answer.knee,
        "hypervolume_alone": answer.alone[index],
        "hypervolume_share": answer.share(index),
    }


def _frontier_table(answer: Any, records: list[dict[str, Any]], out: TextIO) -> None:
    from tui.table import plural, print_table

    x, y = answer.x.spec, answer.y.spec
    rx, ry = answer.reference
    out.write(
        one_line(
            f"{x}:{y}: {plural(len(answer.points), 'point')}, {len(records)} on the frontier; "
            f"hypervolume {answer.hypervolume:,.6g} against the reference point {x} {rx:g}, {y} {ry:g}"
        )
        + "\n"
    )
    records = sorted(records, key=lambda r: r[x])
    numbers = _numbered(records)
    rows = [
        [
            "✦" if r["knee"] else "◆",
            r["point"],
            f"{r[x]:g}",
            f"{r[y]:g}",
            f"{r['hypervolume_share']:.1%}",
            numbers[r["paper_id"]],
        ]
        for r in records
    ]
    print_table(["", "point", x, y, "alone", "paper"], rows, out, align_right=[2, 3, 4, 5], shrink_first=[1])
    _paper_notes(numbers, out)
    knee = "; ✦ the knee" if any(r["knee"] for r in records) else ""
    out.write(f"alone: the share of the hypervolume lost without the point{knee}\n")


def _numbered(records: list[dict[str, Any]]) -> dict[str, str]:
    """A short number for each paper of ``records``, in order: tables name a paper by it and
    list the ids, which are long, whole under the table."""
    numbers: dict[str, str] = {}
    for r in records:
        paper = r.get("paper_id") or (r.get("at") or {}).get("paper_id")
        if paper and paper not in numbers:
            numbers[paper] = str(len(numbers) + 1)
    return numbers


def _paper_notes(numbers: dict[str, str], out: TextIO) -> None:
    for paper, number in numbers.items():
        out.write(one_line(f"paper {number}: {paper}") + "\n")


def _explained(e: Any, x_spec: str, y_spec: str) -> dict[str, Any]:
    return {
        **_point(e.point, x_spec, y_spec),
        "on_frontier": e.point["on_frontier"],
        "dominated_by": [_point(p, x_spec, y_spec) for p in e.dominated_by],
        f"{x_spec}_shift": e.distance.shift_x,
        f"{y_spec}_shift": e.distance.shift_y,
        "epsilon": e.distance.epsilon,
        "hypervolume_alone": e.alone,
        "hypervolume_share": e.share,
    }


def _group_table(records: list[dict[str, Any]], key: str, out: TextIO) -> None:
    from tui.table import print_table

    rows = [[r["group"], str(r["points"]), str(len(r["frontier"])), str(r["hidden"])] for r in records]
    headers = [key, "points", "on its frontier", "hidden by the whole's"]
    print_table(headers, rows, out, align_right=[1, 2, 3], shrink_first=[0])
    out.write(
        "hidden by the whole's: the group's own frontier points that the frontier of every point "
        "together does not keep\n"
    )


def _at_budget(b: Any, x_spec: str, y_spec: str) -> dict[str, Any]:
    found = _point(b.point, x_spec, y_spec) if b.point is not None else None
    return {"budget": b.budget, "best": found[y_spec] if found else None, **({"at": found} if found else {})}


def _budget_table(records: list[dict[str, Any]], x_spec: str, y_spec: str, out: TextIO) -> None:
    from tui.table import print_table

    numbers = _numbered(records)
    rows = []
    for r in records:
        at = r.get("at")
        if at is None:
            rows.append([f"{r['budget']:g}", "none within it", "", "", ""])
        else:
            paper = numbers[at["paper_id"]]
            rows.append([f"{r['budget']:g}", f"{r['best']:g}", f"{at[x_spec]:g}", at["point"], paper])
    headers = [f"at {x_spec}", f"best {y_spec}", x_spec, "point", "paper"]
    print_table(headers, rows, out, align_right=[0, 1, 2, 4], shrink_first=[3])
    _paper_notes(numbers, out)


def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    from catalog.export import json_text, to_csv
    from catalog.query.history import history
    from catalog.query.pairs import parse_pair
    from tui.table import plural, print_table, terminal_width

    store = open_store_for(args)
    x, y = parse_pair(store, args.pair)
    ids, conditions = _matching(store, args)
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
            "entered": [_point(p, x.spec, y.spec) for p in step.entered],
            "displaced": [_point(p, x.spec, y.spec) for p in step.displaced],
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
    numbers = _numbered([p for r in records for p in r["entered"] + r["displaced"]])

    def named(found: list[dict[str, Any]]) -> str:
        return "; ".join(f"{p['point']} ({numbers[p['paper_id']]})" for p in found)

    final = moved.steps[-1].hypervolume or 1.0
    rows = [
        [r["date"], named(r["entered"]), named(r["displaced"]), f"{r['hypervolume'] / final:.0%}"]
        for r in records
    ]
    rx, ry = moved.reference
    out.write(
        one_line(
            f"{x.spec}:{y.spec}: the frontier moved {plural(len(rows), 'time')}; hypervolume as a share "
            f"of today's, against the reference point {x.spec} {rx:g}, {y.spec} {ry:g}"
        )
        + "\n"
    )
    print_table(["date", "entered", "displaced", "hypervolume"], rows, out, align_right=[3])
    _paper_notes(numbers, out)
    if len(moved.steps) > 1:
        out.write(_history_plot(moved, width=min(terminal_width(), 100)))
    return EXIT_OK


def _history_plot(moved: Any, width: int) -> str:
    """The hypervolume over time as a small step plot (dates as years with a fraction)."""
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


def cmd_diff(args: argparse.Namespace, out: TextIO) -> int:
    import tempfile

    from catalog.export import json_text
    from catalog.query.diff import diff_catalogs
    from tui.plot import FRONTIER_MARKER, exact_line
    from tui.table import plural

    with tempfile.TemporaryDirectory(prefix="tradeoffs-diff-") as scratch:
        stores = []
        for number, side in enumerate((args.old, args.new)):
            root = _catalog_side(side, Path(scratch) / str(number))
            stores.append(open_store_for(args, [str(root)]))
        found = diff_catalogs(stores[0], stores[1], args.pair or ())
    if args.format == "json":
        record = {
            "added": found.added,
            "removed": found.removed,
            "changed": found.changed,
            "frontiers": [
                {"pair": f.pair, "entered": [dict(p) for p in f.entered], "left": [dict(p) for p in f.left]}
                for f in found.frontiers
            ],
        }
        out.write(json_text(record, indent=2) + "\n")
        return EXIT_OK
    for what, ids in (("added", found.added), ("removed", found.removed), ("changed", found.changed)):
        listed = f": {', '.join(ids)}" if ids else ""
        out.write(one_line(f"{plural(len(ids), 'paper')} {what}{listed}") + "\n")
    if not found.frontiers:
        out.write("no frontier changed\n")
    for change in found.frontiers:
        x, y = change.pair.split(":")
        out.write(
            one_line(f"{change.pair}: {len(change.entered)} entered the frontier, {len(change.left)} left it")
            + "\n"
        )
        for sign, group in (("+", change.entered), ("-", change.left)):
            for p in group:
                out.write(one_line(f"  {sign} {exact_line(FRONTIER_MARKER, p, x, y)}") + "\n")
    return EXIT_OK


def _catalog_side(text: str, scratch: Path) -> Path:
    """One side of a diff: a catalog file or folder, or ``PATH@REVISION`` for the catalog as
    it was at that git revision (copied into ``scratch``)."""
    path, at, revision = text.rpartition("@")
    if not at or Path(text).exists() or not path:
        return Path(text)
    import subprocess
    import tarfile

    folder = Path(path).resolve()
    where = folder if folder.is_dir() else folder.parent
    top = subprocess.run(
        ["git", "-C", str(where), "rev-parse", "--show-toplevel"], capture_output=True, text=True
    )
    if top.returncode != 0:
        raise Failed(f"{text}: {path} is not in a git repository, so it has no revision {revision}")
    inside = folder.relative_to(Path(top.stdout.strip()).resolve())
    archive = subprocess.run(
        ["git", "-C", top.stdout.strip(), "archive", "--format=tar", revision, "--", str(inside)],
        capture_output=True,
    )
    if archive.returncode != 0:
        said = archive.stderr.decode(errors="replace").strip().splitlines() or ["no reason given"]
        raise Failed(f"{text}: git has no {inside} at {revision} ({said[0]})")
    scratch.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(scratch, filter="data")
    return scratch / inside


COMMANDS: dict[str | None, Callable[[argparse.Namespace, TextIO], int]] = {
    "validate": cmd_validate,
    "search": cmd_search,
    "pairs": cmd_pairs,
    "plot": cmd_plot,
    "frontier": cmd_frontier,
    "history": cmd_history,
    "diff": cmd_diff,
    "export": cmd_export,
    "import": cmd_import,
    "sql": cmd_sql,
    None: cmd_app,
}


def print_problems(problems: list[Problem], offer_skip: bool = False) -> None:
    """Every problem on its own ``file:line:col`` line, then what to do (``offer_skip``: and the
    flag that goes on without the files that have them)."""
    from tui.table import plural

    for problem in problems:
        warn(str(problem))
    files = sorted({p.file for p in problems})
    warn(
        f"{plural(len(problems), 'problem')} in {plural(len(files), 'file')}: "
        f"fix {'it' if len(problems) == 1 else 'them'} and run again"
        + (", or add --skip-broken to go on without those files" if offer_skip else "")
    )
