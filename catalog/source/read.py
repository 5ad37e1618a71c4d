"""Read one catalog file: its bytes, its tree, its objectives and papers, every problem in it.

A file's content depends on nothing but its bytes and its name: that is what lets the store
keep a cache per file, and lets worker processes read files independently.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from catalog.source.discover import display_path
from catalog.source.document import parse_document
from catalog.source.fast import read_fast
from catalog.source.reader import FileContent
from catalog.source.yamlsafe import compose, read_bytes


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while parsing.

    It rescans the growing node graph again and again; nothing here makes cycles, so pausing
    it is safe and makes big catalogs several times faster to read.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_file(path: Path, name: str, fast: bool = False) -> tuple[FileContent, bytes | None]:
    """One file parsed and checked on its own, with the bytes it held (None when unreadable).
    Never raises for bad content: problems come back in the content.

    ``fast``: try the fast path first (``catalog.source.fast``), for a reader that keeps only
    papers' and results' lines (the store's rows); a file it cannot vouch for is read exactly.
    """
    data, problems = read_bytes(path, name)
    root = None
    if data is not None and fast:
        content = read_fast(name, data)
        if content is not None:
            return content, data
    if data is not None:
        root, problems = compose(name, data)
    if root is None:
        content = FileContent()
        content.problems.extend(problems)
        return content, data
    return parse_document(name, root), data


def read_files(files: list[Path], names: list[str] | None = None) -> list[FileContent]:
    """Parse and check each file on its own (``names``: how to show each file in problems)."""
    shown = names if names is not None else [display_path(f) for f in files]
    with collector_paused():
        return [read_file(file, name)[0] for file, name in zip(files, shown)]
