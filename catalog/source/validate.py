"""The whole catalog validated in memory: every file read, every rule applied, a ``Catalog`` or its problems.

The store builds the same catalog incrementally in DuckDB (``catalog.store``); this is the
plain reference it is tested against, and the simplest way for a script to get the papers
as Python objects. ``check`` never raises for bad input; ``load_catalog`` is its strict form.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from catalog.errors import CatalogError, Problem
from catalog.model import Catalog
from catalog.source.discover import discover
from catalog.source.read import read_files
from catalog.source.rules import merge_definitions, problems_across, unique_papers


def check(paths: Iterable[Path]) -> tuple[Catalog | None, list[Problem], list[Path]]:
    """Validate every file under ``paths``: (the catalog or None, all problems, the files read)."""
    found, problems = discover(paths)
    files = [Path(f.path) for f in found]
    contents = read_files(files, [f.display for f in found])
    problems.extend(problems_across(contents))
    if problems:
        return None, sorted(set(problems)), files
    objectives, _ = merge_definitions(o for content in contents for o in content.objectives)
    benchmarks, _ = merge_definitions(b for content in contents for b in content.benchmarks)
    papers, _ = unique_papers(contents)
    return Catalog(objectives=objectives, papers=tuple(papers), benchmarks=benchmarks), [], files


def load_catalog(paths: Iterable[Path]) -> Catalog:
    """The validated catalog under ``paths``; raises ``CatalogError`` listing every problem."""
    catalog, problems, _ = check(paths)
    if catalog is None:
        raise CatalogError(problems)
    return catalog
