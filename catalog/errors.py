"""What can go wrong, as values and exceptions the whole tool shares.

A leaf: it imports nothing of the tool and no library, so the command line can name these
errors (and print usage) without loading DuckDB, PyYAML or rapidfuzz.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a catalog file, at a 1-based line and column."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class CatalogError(Exception):
    """The catalog could not be loaded; ``problems`` says why, each with its place.

    Never empty: a check that finds something wrong must say what, so an error without
    problems is a bug of the tool, refused here rather than shown as a silent failure.
    """

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("a CatalogError needs at least one problem: a check fired without saying why")
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class QueryError(ValueError):
    """The user asked for something the catalog cannot answer (an unknown pair, say)."""


class ExportError(Exception):
    """An export could not be written; the message names the user's path and why, plainly."""


class StoreError(Exception):
    """The catalog's database could not be built anywhere (a full disk, say); the message says
    where it was tried, why it failed and what to do."""


#: What went wrong and what to do, for the failures writing or reading a file meets (others say
#: the system's own words).
OS_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk is full", "free some space or write it elsewhere"),
    errno.EDQUOT: ("your disk quota is used up", "free some space or write it elsewhere"),
    errno.EFBIG: (
        "the file would be larger than the disk or the file size limit allows",
        "write it elsewhere",
    ),
    errno.EROFS: ("the disk is read-only", "write it elsewhere"),
    errno.EIO: ("the disk reported an input/output error", "check the disk, or write it elsewhere"),
    errno.EISDIR: ("it is a folder", "name a file in it"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "name a file inside a folder"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter name"),
    errno.ELOOP: ("its symbolic links go round in a loop", "fix the links, or write elsewhere"),
    errno.ENXIO: (
        "nothing is there to take the data (a socket, or a device with no driver)",
        "write to a file",
    ),
    errno.EPIPE: (
        "the program reading it stopped before the end",
        "keep the reader open until the export ends",
    ),
}


def os_reason(err: OSError) -> tuple[str, str]:
    """What went wrong in plain words, and what to do (empty when the words say it)."""
    if err.errno in OS_REASONS:
        return OS_REASONS[err.errno]
    return (err.strerror or str(err)), ""
