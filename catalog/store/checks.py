"""The rules across files, checked over a built database: detected cheaply, worded exactly.

Detection runs over the loaded rows (duplicate ids, unknown references) and over each file's
recorded definitions (conflicting objectives and benchmarks), with the helpers of
``catalog.source.rules``. Only when a detection fires are the files involved read again, and
the same module words their problems with places. A detection that cannot be worded is a bug,
never a silent failure: ``CatalogError`` refuses to be raised without problems.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from catalog.errors import CatalogError, Problem
from catalog.model import Benchmark, FileStat, Objective
from catalog.source.read import read_files
from catalog.source.rules import is_known, kinds_of, merge_definitions, needs_benchmark, problems_across


@dataclass(frozen=True)
class Vocabularies:
    """Every file's objectives and benchmarks merged in catalog order, and the ids of each
    defined differently in two places."""

    objectives: dict[str, Objective] = field(default_factory=dict)
    benchmarks: dict[str, Benchmark] = field(default_factory=dict)
    conflicts: frozenset[tuple[str, str]] = frozenset()
    """(``objectives`` or ``benchmarks``, id) of each definition that disagrees with the first."""


def merged_vocabularies(con: duckdb.DuckDBPyConnection) -> Vocabularies:
    """The vocabularies as the files define them, merged (the first definition wins)."""
    rows = con.execute(
        "SELECT objectives, benchmarks FROM files "
        "WHERE objectives IS NOT NULL OR benchmarks IS NOT NULL ORDER BY file_no"
    ).fetchall()
    objectives, objective_conflicts = merge_definitions(
        (Objective(oid, label, better, unit, kind, tuple(aliases), per_benchmark), None)
        for (text, _) in rows
        if text
        for oid, label, better, unit, kind, aliases, per_benchmark in json.loads(text)
    )
    benchmarks, benchmark_conflicts = merge_definitions(
        (Benchmark(bid, label, tuple(aliases), url), None)
        for (_, text) in rows
        if text
        for bid, label, aliases, url in json.loads(text)
    )
    conflicts = {("objectives", o.id) for o, _, _ in objective_conflicts}
    conflicts |= {("benchmarks", b.id) for b, _, _ in benchmark_conflicts}
    return Vocabularies(objectives, benchmarks, frozenset(conflicts))


def involved_files(
    con: duckdb.DuckDBPyConnection, vocabularies: Vocabularies, problems: list[Problem]
) -> set[str]:
    """The files (by name shown) that problems involve; empty when the catalog is valid.

    ``problems`` are those found in files on their own while reading them.
    """
    involved = {p.file for p in problems}
    if vocabularies.conflicts:
        for objectives, benchmarks, display in con.execute(
            "SELECT objectives, benchmarks, display FROM files "
            "WHERE objectives IS NOT NULL OR benchmarks IS NOT NULL"
        ).fetchall():
            defined = {("objectives", row[0]) for row in json.loads(objectives or "[]")}
            defined |= {("benchmarks", row[0]) for row in json.loads(benchmarks or "[]")}
            if defined & vocabularies.conflicts:
                involved.add(display)
    objectives = vocabularies.objectives
    kinds = kinds_of(objectives)
    used = con.execute(
        "SELECT DISTINCT objective, false FROM results "
        "UNION SELECT DISTINCT x, true FROM (SELECT x FROM tradeoffs UNION SELECT y FROM tradeoffs)"
    ).fetchall()
    unknown = [name for name, kinds_allowed in used if not is_known(name, kinds_allowed, objectives, kinds)]
    unknown += [
        name
        for (name,) in con.execute(
            "SELECT DISTINCT objective FROM results WHERE benchmark IS NULL"
        ).fetchall()
        if needs_benchmark(name, objectives)
    ]
    benchmarks_used = con.execute(
        "SELECT DISTINCT benchmark FROM results WHERE benchmark IS NOT NULL"
    ).fetchall()
    unknown_benchmarks = [name for (name,) in benchmarks_used if name not in vocabularies.benchmarks]
    if unknown or unknown_benchmarks:
        involved.update(
            r[0]
            for r in con.execute(
                "SELECT DISTINCT p.file FROM papers p WHERE p.id IN ("
                "  SELECT paper_id FROM results WHERE objective IN (SELECT unnest($u::VARCHAR[]))"
                "  OR benchmark IN (SELECT unnest($b::VARCHAR[]))"
                "  UNION SELECT paper_id FROM tradeoffs"
                "  WHERE x IN (SELECT unnest($u::VARCHAR[])) OR y IN (SELECT unnest($u::VARCHAR[])))",
                {"u": unknown, "b": unknown_benchmarks},
            ).fetchall()
        )
    involved.update(
        r[0]
        for r in con.execute(
            "SELECT DISTINCT file FROM papers "
            "WHERE id IN (SELECT id FROM papers GROUP BY id HAVING count(*) > 1)"
        ).fetchall()
    )
    return involved


def refuse_if_invalid(
    con: duckdb.DuckDBPyConnection, files: list[FileStat], vocabularies: Vocabularies, problems: list[Problem]
) -> None:
    """Raise ``CatalogError`` with every problem, worded with its place, when any rule is broken."""
    involved = involved_files(con, vocabularies, problems)
    if not involved:
        return
    chosen = [s for s in files if s.display in involved]
    contents = read_files([Path(s.path) for s in chosen], [s.display for s in chosen])
    raise CatalogError(problems_across(contents, vocabularies.objectives, vocabularies.benchmarks))
