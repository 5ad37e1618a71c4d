"""What can go wrong, as values and exceptions the whole tool shares.

A leaf: it imports nothing of the tool and no library, so the command line can name these
errors (and print usage) without loading DuckDB, PyYAML or rapidfuzz.
"""

from __future__ import annotations

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
