"""What every command shares: its record in the registry, exit codes, errors, messages, and
opening the catalog it reads.

Each command imports what it needs when it runs, so a command never pays for another's
libraries, and none of them imports Textual.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from catalog.text import one_line, terminal_safe

if TYPE_CHECKING:
    from catalog.errors import Problem
    from catalog.query.pairs import Axis
    from catalog.query.select import Selection
    from catalog.store.store import Store

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class Command(NamedTuple):
    """One command of the registry: its name, what ``--help`` says of it, its examples, the
    options it takes (added to its parser) and what it does."""

    name: str
    help: str
    examples: tuple[str, ...]
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, TextIO], int]


class UsageError(Exception):
    """The command was asked for something that cannot be done as asked (exit 2)."""


class Failed(Exception):
    """The command ran but could not succeed (exit 1)."""


def warn(message: str) -> None:
    """Say ``message`` on standard error, on one line, its control characters shown as escapes
    (it may quote catalog text: a title, a file name, DuckDB's words about a value)."""
    print(one_line(message), file=sys.stderr)


def say(out: TextIO, *lines: str) -> None:
    """Write lines of output, each on one line with the control characters of the catalog text
    in it shown as escapes."""
    out.writelines(one_line(line) + "\n" for line in lines)


def for_stream(records: Any, out: TextIO) -> Any:
    """``records`` as ``out`` is given them: on a terminal with every control character in
    their text shown as an escape (``terminal_safe``); to a pipe or a file exactly as they are."""
    return terminal_safe(records) if out.isatty() else records


def catalog_paths(args: argparse.Namespace, extra: Sequence[str] = ()) -> list[Path]:
    """The catalog roots a command reads: the default catalog unless left out, then the additions."""
    added = (getattr(args, "catalog", None) or []) + (getattr(args, "sub_catalog", None) or []) + list(extra)
    from catalog.paths import default_catalog_paths

    no_default = getattr(args, "no_default", False) or getattr(args, "sub_no_default", False)
    if no_default and not added:
        raise UsageError("--no-default leaves nothing to read: give --catalog PATH")
    return ([] if no_default else default_catalog_paths()) + [Path(p) for p in added]


def catalog_arguments(paths: Sequence[Path]) -> tuple[bool, list[str]]:
    """``--no-default`` and the ``--catalog`` paths that make a command read ``paths``: the
    inverse of ``catalog_paths``, for command lines written from the app."""
    from catalog.paths import default_catalog_paths

    default, roots = default_catalog_paths(), list(paths)
    if default and roots[: len(default)] == default:
        return False, [str(p) for p in roots[len(default) :]]
    return True, [str(p) for p in roots]


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


def matching(store: Store, args: argparse.Namespace) -> tuple[list[str] | None, tuple[tuple[str, str], ...]]:
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


def query_hint(args: argparse.Namespace) -> str:
    """The options a hint repeats so that it lists the same points: the query, the date, the
    catalogs."""
    said = f" --query {shlex.quote(args.query)}" if args.query else ""
    if getattr(args, "as_of", None):
        said += f" --as-of {shlex.quote(args.as_of)}"
    if getattr(args, "no_default", False) or getattr(args, "sub_no_default", False):
        said += " --no-default"
    for path in (getattr(args, "catalog", None) or []) + (getattr(args, "sub_catalog", None) or []):
        said += f" --catalog {shlex.quote(path)}"
    return said


def conditions_note(
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
        say(out, f"note: {mixed} (in --query)")


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
