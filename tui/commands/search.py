"""Ranked fuzzy search over the catalog."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from tui.commands.base import (
    EXIT_OK,
    Command,
    open_store_for,
    selected,
    warn,
)
from tui.commands.options import whole

if TYPE_CHECKING:
    from catalog.query.records import PaperRecord


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "query", help="words to look for (typos are forgiven) and filters: tag:, year:, pair:, is:bookmarked"
    )
    p.add_argument(
        "--limit", type=whole(1, 1_000_000), default=20, help="how many papers to show (default 20)"
    )
    p.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace, out: TextIO) -> int:
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


COMMAND = Command(
    "search",
    "Ranked fuzzy search over titles, abstracts, tags, methods and objectives.",
    (
        "tradeoffs search 'pareto quantization'",
        "tradeoffs search diffusoin --limit 5 --format json",
        "tradeoffs search 'tag:quantization year:2024-2025'",
    ),
    arguments,
    run,
)
