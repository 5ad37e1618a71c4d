"""Draft catalog files from the text of a papers listing page."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from tui.commands.base import (
    EXIT_INVALID,
    EXIT_OK,
    Command,
    Failed,
    open_store_for,
    say,
    warn,
)
from tui.commands.options import whole


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="the text of a papers listing page")
    p.add_argument(
        "-o", "--output", metavar="DIR", help="where to write the drafts (default: your catalog folder)"
    )
    p.add_argument(
        "--year", type=whole(1000, 9999), help="the year of dates written without one (default: this year)"
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
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
            say(out, f"already in the catalog: {planned.entry.title} [{planned.paper_id}]")
        elif planned.outcome == "exists":
            say(out, f"not overwritten: {planned.path} exists")
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

    from catalog import atomic

    written: list[Path] = []
    for path, text in drafts:
        try:
            atomic.write_atomic(path, text.encode())
        except OSError as err:
            for done in written:
                with suppress(OSError):
                    done.unlink()
            raise Failed(
                f"{path}: cannot write the draft ({err.strerror or err}); no drafts written"
            ) from None
        written.append(path)


COMMAND = Command(
    "import",
    "Turn a copied papers listing page into draft catalog files, one per paper, to confirm and complete.",
    (
        "tradeoffs import papers-page.txt",
        "tradeoffs import papers-page.txt -o my-catalog/ --year 2025",
    ),
    arguments,
    run,
)
