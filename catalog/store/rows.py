"""One catalog file turned into table rows: newline-delimited JSON text per table, ready for ``read_json``.

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
    """What one file contributes: its rows as JSON lines per table, its objectives, its problems."""

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


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False)


def _claim(value: Value) -> str | None:
    """The value's form as JSON, when a number (or ``{mode: number}``) does not say it all."""
    if value.exact and value.mode != "times_less" and value.plus_minus is None and value.interval is None:
        return None
    return json.dumps(value_form(value))


def paper_rows(paper: Paper, position: int, first_point: int) -> dict[str, list[str]]:
    """The JSON lines of one paper, per table, keyed by the schema's column names; its results
    are numbered from ``first_point``."""
    p = paper
    return {
        "papers": [
            _line(
                {
                    "id": p.id,
                    "position": position,
                    "title": p.title,
                    "published": p.published,
                    "year": p.year,
                    "authors": list(p.authors),
                    "authors_count": p.authors_count,
                    "url": p.url,
                    "arxiv": p.arxiv,
                    "code": list(p.code),
                    "abstract": p.abstract,
                    "notes": p.notes,
                    "file": p.file,
                    "line": p.line,
                }
            )
        ],
        "tags": [_line({"paper_id": p.id, "tag": t}) for t in dict.fromkeys(p.tags)],
        "tradeoffs": [_line({"paper_id": p.id, "x": x, "y": y}) for x, y in p.tradeoffs],
        "results": [
            _line(
                {
                    "paper_id": p.id,
                    "result_no": n,
                    "method": r.method,
                    "setting": r.setting,
                    "baseline": r.baseline,
                    "evidence": r.evidence,
                    "source": r.source,
                    "line": r.line,
                    "objective": v.objective,
                    "value": (v.span()[0] if v.exact else None),
                    "mode": v.axis_mode or v.mode,
                    "point": first_point + n,
                    "benchmark": v.benchmark,
                    "source_at": r.at,
                    "source_row": r.row,
                    "shape": v.shape,
                    "low": v.span()[0],
                    "high": v.span()[1],
                    "claim": _claim(v),
                }
            )
            for n, r in enumerate(p.results)
            for v in r.values
        ],
        "conditions": [
            _line({"paper_id": p.id, "result_no": n, "key": key, "value": value})
            for n, r in enumerate(p.results)
            for key, value in r.conditions
        ],
    }


def file_rows(stat: FileStat, file_no: int) -> FileRows:
    """Read, check and turn one file into rows. Never raises for bad content."""
    out = FileRows(stat)
    content, data = read_file(Path(stat.path), stat.display)
    if data is not None:
        out.sha = content_hash(data)
    out.problems = content.problems
    out.objectives = [objective for objective, _ in content.objectives]
    out.benchmarks = [benchmark for benchmark, _ in content.benchmarks]
    lines: dict[str, list[str]] = {table: [] for table in FROM_FILES}
    point = file_no * POINTS_PER_FILE
    for n, paper in enumerate(content.papers):
        for table, rows in paper_rows(paper, file_no * PAPERS_PER_FILE + n, point).items():
            lines[table].extend(rows)
        point += len(paper.results)
    out.rows = {table: "".join(f"{row}\n" for row in rows) for table, rows in lines.items() if rows}
    return out
