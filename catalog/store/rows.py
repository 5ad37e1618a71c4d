"""One catalog file turned into table rows: JSON text per table, ready for ``catalog.store.bulk``.

A file's rows depend on nothing but its bytes, its name and its number in the catalog order,
which is what makes a cache per file possible: the store keeps each file's rows with the
file's size, modification time and content hash, and reads a file again only when those
change. Rows are text, never Python objects per paper, so worker processes can send them back
cheaply (``catalog.store.pool``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.claims import value_form
from catalog.errors import Problem
from catalog.model import Benchmark, FileStat, Objective, Paper, Value
from catalog.source.read import read_file
from catalog.store.bulk import rows_lines
from catalog.store.schema import FROM_FILES

#: Papers are ordered as their files are, then as they stand in their file: a paper's position
#: is its file's number times this, plus its place in the file (a 32 MiB file holds fewer).
PAPERS_PER_FILE = 1 << 24
#: Each result (the values reported together) has a number of its own, its ``point``: its
#: file's number times this, plus its place among the file's results. An integer key makes
#: pairing the values of a result several times faster than (paper id, result number).
POINTS_PER_FILE = 1 << 32


@dataclass
class FileRows:
    """What one file contributes: its rows as JSON text per table (``bulk.rows_lines``), its
    objectives, its problems."""

    stat: FileStat
    sha: str = ""
    problems: list[Problem] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    benchmarks: list[Benchmark] = field(default_factory=list)
    rows: dict[str, str] = field(default_factory=dict)


def content_hash(data: bytes) -> str:
    """The content hash kept per file, to tell an edit from a touch."""
    return hashlib.sha256(data).hexdigest()


def objective_row(o: Objective) -> tuple[str, str, str, str | None, str | None, list[str], bool]:
    """An objective as a row of the ``objectives`` table."""
    return (o.id, o.label, o.better, o.unit, o.kind, list(o.aliases), o.per_benchmark)


def benchmark_row(b: Benchmark) -> tuple[str, str, list[str], str | None]:
    """A benchmark as a row of the ``benchmarks`` table."""
    return (b.id, b.label, list(b.aliases), b.url)


def _claim(value: Value) -> str | None:
    """The value's form as JSON, when a number (or ``{mode: number}``) does not say it all."""
    if value.exact and value.mode != "times_less" and value.plus_minus is None and value.interval is None:
        return None
    return json.dumps(value_form(value))


def paper_rows(paper: Paper, position: int, first_point: int) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of one paper, per table, each row its values in the order of the schema's
    columns; its results are numbered from ``first_point``."""
    p = paper
    return {
        "papers": [
            (
                p.id,
                position,
                p.title,
                p.published,
                p.year,
                list(p.authors),
                p.authors_count,
                p.url,
                p.arxiv,
                list(p.code),
                p.abstract,
                p.notes,
                p.file,
                p.line,
            )
        ],
        "tags": [(p.id, t) for t in dict.fromkeys(p.tags)],
        "tradeoffs": [(p.id, x, y) for x, y in p.tradeoffs],
        "results": [
            (
                p.id,
                n,
                r.method,
                r.setting,
                r.baseline,
                r.evidence,
                r.source,
                r.line,
                v.objective,
                low if v.exact else None,
                v.axis_mode or v.mode,
                first_point + n,
                v.benchmark,
                r.at,
                r.row,
                v.shape,
                low,
                high,
                _claim(v),
            )
            for n, r in enumerate(p.results)
            for v in r.values
            for low, high in (v.span(),)
        ],
        "conditions": [(p.id, n, key, value) for n, r in enumerate(p.results) for key, value in r.conditions],
    }


def file_rows(stat: FileStat, file_no: int, fast: bool = False) -> FileRows:
    """Read, check and turn one file into rows. Never raises for bad content.

    ``fast``: read through the fast path where it vouches for the file (the rows are the same).
    """
    out = FileRows(stat)
    content, data = read_file(Path(stat.path), stat.display, fast)
    if data is not None:
        out.sha = content_hash(data)
    out.problems = content.problems
    out.objectives = [objective for objective, _ in content.objectives]
    out.benchmarks = [benchmark for benchmark, _ in content.benchmarks]
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in FROM_FILES}
    point = file_no * POINTS_PER_FILE
    for n, paper in enumerate(content.papers):
        for table, of_paper in paper_rows(paper, file_no * PAPERS_PER_FILE + n, point).items():
            rows[table].extend(of_paper)
        point += len(paper.results)
    out.rows = {table: rows_lines(of_table) for table, of_table in rows.items() if of_table}
    return out
