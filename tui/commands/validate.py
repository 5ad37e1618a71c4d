"""Checking catalog files: every problem as ``file:line:col: message``."""

from __future__ import annotations

import argparse
from typing import TextIO

from tui.commands.base import (
    EXIT_OK,
    Command,
    open_store_for,
)


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders to check with the default catalog"
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
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


COMMAND = Command(
    "validate",
    "Check catalog files; print every problem as file:line:col: message.",
    (
        "tradeoffs validate",
        "tradeoffs validate my-papers/ extra.yaml",
        "tradeoffs validate --no-default my-catalog/",
    ),
    arguments,
    run,
)
